"""A lesson in a real Chromium, as a teacher and students on a laptop and a phone would run it:
lateral reading inside an exercise, the links a teacher sees and judges, pages that fit a phone."""

import os

import pytest
from playwright.sync_api import expect

from .browser import sign_in
from .factories import BODY_A, BODY_B, make_article, make_claim, make_class, make_exercise, make_teacher, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OUTSIDE = "Outside story\nPutin praised restraint and urged the attack, wise or not, outside the lesson."
# Screenshots for looking at by eye go here when it is set (SHOTS=/tmp/shots pytest ...).
SHOTS = os.environ.get("SHOTS")


def shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}-{page.viewport_size['width']}.png"), full_page=True)


@pytest.fixture
def world(db):
    teacher, student = make_teacher("teach"), make_user("sam")
    a, b, outside = make_article("a", BODY_A), make_article("b", BODY_B), make_article("outside", OUTSIDE)
    exercise = make_exercise(make_class(teacher, [student]), [a, b])
    claim = make_claim(student, a, "Putin urged restraint", exercise=exercise)
    return {"teacher": teacher, "student": student, "a": a, "b": b, "exercise": exercise, "claim": claim}


@pytest.mark.parametrize("width", [1280, 390])
def test_the_link_panel_in_an_exercise_offers_its_articles_and_can_widen(world, live_server, page, width):
    page.set_viewport_size({"width": width, "height": 844 if width == 390 else 900})
    sign_in(page, live_server, "sam")
    page.goto(f"{live_server.url}/exercises/{world['exercise'].pk}/articles/a/")
    page.locator(f"#claim-{world['claim'].pk}").get_by_role("button", name="Find in other articles").click()
    panel = page.get_by_role("dialog", name="Find this claim in other articles")
    expect(panel.locator(".lp-passage")).to_have_count(1)
    expect(panel.locator(".lp-article")).to_have_text([BODY_B.split("\n")[0]])
    expect(panel.locator("[data-link-summary]")).to_contain_text("this exercise's other articles")
    shot(page, "exercise-link-panel")
    panel.get_by_label("Also search articles outside this exercise").check()
    expect(panel.locator(".lp-article", has_text="Outside story")).to_be_visible()
    expect(panel.locator("[data-link-summary]")).to_contain_text("in other articles")
    panel.get_by_label("Also search articles outside this exercise").uncheck()
    expect(panel.locator(".lp-passage")).to_have_count(1)


@pytest.mark.parametrize("width", [1280, 390])
def test_the_teacher_sees_each_students_links_on_the_dashboard_and_marks_one(lesson, live_server, page, width):
    from .factories import make_link

    page.set_viewport_size({"width": width, "height": 844 if width == 390 else 900})
    link = make_link(lesson["sam"], lesson["sams"], lesson["b"], "PressTV claimed", "corroborates")
    sign_in(page, live_server, "teach")
    page.goto(f"{live_server.url}/exercises/{lesson['exercise'].pk}/dashboard/")
    section = page.get_by_role("region", name="Students' links")
    section.get_by_text("sam", exact=True).click()
    row = section.locator(f"#student-link-{link.pk}")
    expect(row).to_contain_text("corroborated by")
    expect(row).to_contain_text("PressTV claimed")
    expect(row).to_contain_text("The key has no link for this claim")
    row.get_by_role("button", name="Not sound").click()
    expect(row).to_contain_text("You marked it not sound")
    expect(row.get_by_role("button", name="Not sound")).to_have_attribute("aria-pressed", "true")
    shot(page, "dashboard")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
