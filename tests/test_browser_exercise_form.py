"""The exercise form's article search in a real Chromium: typing narrows the articles offered,
what is ticked stays ticked across searches, and Enter searches rather than saving the exercise."""

import datetime

import pytest
from playwright.sync_api import expect

from annotator.classroom.models import Exercise

from .browser import sign_in
from .factories import make_article, make_class, make_teacher

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def archive(db):
    teacher = make_teacher("teach")
    classroom = make_class(teacher, [])
    first = datetime.date(2026, 1, 1)
    for n in range(40):
        make_article(f"report-{n:03d}", f"Council report {n:03d}\nThe council met on day {n}.",
                     published=first + datetime.timedelta(days=n))
    make_article("harbour", "Harbour dredging resumes\nThe dredgers are back.", published=datetime.date(2025, 1, 1))
    return classroom


def box(page, title):
    return page.get_by_role("checkbox", name=title)


def test_searching_keeps_ticked_articles_and_enter_does_not_save_the_exercise(archive, live_server, page):
    sign_in(page, live_server, "teach")
    page.goto(f"{live_server.url}/classes/{archive.pk}/exercises/new/")
    choices = page.locator("#article-choices input[name=articles]")
    expect(choices).to_have_count(30)
    expect(box(page, "Harbour dredging resumes")).to_have_count(0)  # too old to be offered unasked
    box(page, "Council report 039").check()

    search = page.get_by_role("searchbox", name="Find articles")
    search.fill("harbour")
    expect(choices).to_have_count(2)
    expect(box(page, "Council report 039")).to_be_checked()
    box(page, "Harbour dredging resumes").check()
    search.fill("report 001")
    search.press("Enter")
    expect(choices).to_have_count(3)
    assert page.url.endswith(f"/classes/{archive.pk}/exercises/new/")  # still the unsaved form, not a reload
    assert not Exercise.objects.exists()

    page.get_by_label("Title").fill("Dredging and the council")
    page.get_by_role("button", name="Save exercise").click()
    page.wait_for_url("**/dashboard/")
    saved = Exercise.objects.get(title="Dredging and the council")
    assert sorted(saved.articles.values_list("slug", flat=True)) == ["harbour", "report-039"]
