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


def shot(page, name, full_page=True):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}-{page.viewport_size['width']}.png"), full_page=full_page)


@pytest.fixture
def world(db):
    teacher, student = make_teacher("teach"), make_user("sam")
    a, b = make_article("a", BODY_A), make_article("b", BODY_B)
    make_article("outside", OUTSIDE)  # related to the claim, but not in the exercise
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
    shot(page, "exercise-link-panel", full_page=False)
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


def every_page(world):
    """(who, path, name) for every kind of page, seen by the one who may open it."""
    ex, sam = world["exercise"].pk, world["sam"]
    slug = world["seed"].slug
    claim = world["sams"].pk
    return [
        (None, "/", "home"), (None, "/accounts/login/", "login"), (None, "/accounts/signup/", "signup"),
        (None, f"/articles/{slug}/", "reader-anonymous"), (None, "/guide/", "guide"), (None, "/map/", "map"),
        (None, f"/articles/{slug}/original/", "original"), (None, "/no-such-page/", "not-found"),
        ("sam", f"/articles/{slug}/", "reader"), ("sam", "/classes/", "classes-student"),
        ("sam", f"/exercises/{ex}/", "exercise-student"), ("sam", f"/exercises/{ex}/articles/a/", "exercise-article"),
        ("sam", f"/exercises/{ex}/discussion/a/", "discussion-article"), ("sam", f"/exercises/{ex}/feedback/", "feedback"),
        ("sam", f"/map/?exercise={ex}", "exercise-map"), ("sam", "/my/annotations/", "my-annotations"),
        ("sam", "/whats-new/", "whats-new"), ("sam", f"/claims/{claim}/discussion/", "thread"),
        ("teach", "/classes/", "classes-teacher"), ("teach", f"/classes/{world['classroom'].pk}/", "class"),
        ("teach", f"/classes/{world['classroom'].pk}/exercises/new/", "exercise-new"),
        ("teach", f"/exercises/{ex}/edit/", "exercise-edit"), ("teach", f"/exercises/{ex}/dashboard/", "dashboard"),
        ("teach", f"/exercises/{ex}/key/a/", "key-article"), ("teach", f"/exercises/{ex}/flags/", "flags"),
        ("teach", f"/exercises/{ex}/feedback/?student={sam.pk}", "feedback-teacher"),
        ("teach", "/articles/add/", "add-article"), ("teach", "/articles/a/edit/", "article-edit"),
    ]


@pytest.fixture
def whole_lesson(lesson, seeded, expected_statuses):
    from django.utils import timezone

    from annotator.classroom.models import Submission

    from .factories import make_link

    expected_statuses.add(404)  # the not-found page is one of the pages
    exercise = lesson["exercise"]
    exercise.discussion = True
    exercise.save()
    make_link(lesson["sam"], lesson["sams"], lesson["b"], "Putin praised the attack as wise")
    Submission.objects.create(exercise=exercise, student=lesson["sam"], submitted=timezone.now())
    return {**lesson, "seed": next(iter(seeded.values()))}


@pytest.mark.parametrize("width", [390, 1280])
def test_no_page_scrolls_sideways_on_a_phone(whole_lesson, live_server, page, width):
    page.set_viewport_size({"width": width, "height": 844 if width == 390 else 900})
    wide, signed_in = [], None
    for who, path, name in every_page(whole_lesson):
        if who != signed_in:
            page.context.clear_cookies()
            if who:
                sign_in(page, live_server, who)
            signed_in = who
        page.goto(live_server.url + path)
        expect(page.locator("main")).to_be_visible()
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        if overflow > 0:
            wide.append((name, overflow))
        nav = page.locator(".site-header nav > *:visible")
        for index in range(nav.count()):
            box = nav.nth(index).bounding_box()
            if box["x"] < 0 or box["x"] + box["width"] > width:
                wide.append((name, "navigation item out of sight"))
        shot(page, f"page-{name}")
    assert not wide, wide


def test_on_a_phone_the_link_picker_gives_the_other_article_the_screen_and_the_form_waits(world, live_server, page):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server, "sam")
    page.goto(f"{live_server.url}/exercises/{world['exercise'].pk}/articles/a/")
    page.locator(f"#claim-{world['claim'].pk}").get_by_role("button", name="Find in other articles").click()
    panel = page.get_by_role("dialog", name="Find this claim in other articles")
    form = panel.get_by_role("form", name="Link the claim to the chosen passage")
    expect(form).to_be_hidden()
    panel.get_by_role("button", name="Open article").click()
    text = panel.locator(".lp-text")
    expect(text).to_be_visible()
    browse = panel.locator(".lp-browse").bounding_box()
    # "Open article" chooses the listed passage at once: the form is there, and the text keeps most of the screen.
    expect(form).to_be_visible()
    assert browse["height"] >= 0.6 * 844, browse
    shot(page, "link-picker-article", full_page=False)
    panel.get_by_role("button", name="← Back to passages").click()
    panel.get_by_role("button", name="Link this passage").click()
    expect(form).to_be_visible()
    expect(panel.get_by_role("radio", name="corroborates the claim")).to_be_focused()
    shot(page, "link-picker-chosen", full_page=False)


def test_on_a_phone_the_roster_is_cards_with_every_score_in_sight_and_touch_sized_actions(whole_lesson, live_server, page):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server, "teach")
    page.goto(f"{live_server.url}/exercises/{whole_lesson['exercise'].pk}/dashboard/")
    roster = page.get_by_role("region", name="Students", exact=True)
    roster.scroll_into_view_if_needed()
    for cell in roster.locator('td[data-label="F1"]').all():
        box = cell.bounding_box()
        assert 0 <= box["x"] and box["x"] + box["width"] <= 390, box
    for action in roster.locator(".roster-actions a, .roster-actions button").all():
        assert action.bounding_box()["height"] >= 24
    shot(page, "dashboard-roster", full_page=False)


@pytest.mark.parametrize("width", [1280, 390])
def test_the_suggestions_panel_scrolls_with_the_page_not_inside_it(seeded, live_server, page, width):
    make_user("amira")
    article = next(a for a in seeded.values() if a.source_file == "000_f75c1bf812ec66b2.txt")
    page.set_viewport_size({"width": width, "height": 844 if width == 390 else 900})
    sign_in(page, live_server, "amira")
    page.goto(live_server.url + article.get_absolute_url())
    page.locator("#assist-toggle").click()
    expect(page.locator(".assist-card").first).to_be_visible()
    inner = page.evaluate("""() => { const list = document.querySelector('.assist-list');
        return [getComputedStyle(list).overflowY, list.scrollHeight - list.clientHeight]; }""")
    assert inner == ["visible", 0], inner
    shot(page, "suggestions")


@pytest.mark.parametrize("width", [1280, 390])
def test_the_keyboard_path_to_a_key_claim_with_its_explanation(lesson, live_server, page, width):
    from annotator.annotations.models import Annotation

    page.set_viewport_size({"width": width, "height": 844 if width == 390 else 900})
    exercise = lesson["exercise"]
    sign_in(page, live_server, "teach")
    page.goto(f"{live_server.url}/exercises/{exercise.pk}/key/b/")
    page.locator("#article-text").focus()
    page.keyboard.press("s")  # the headline
    page.keyboard.press("s")  # the sentence
    page.keyboard.press("1")
    # Attributed: the source is asked for first, and the form says why while it is empty.
    expect(page.locator("#toolbar-source")).to_be_focused()
    expect(page.locator("#toolbar .source-nudge")).to_be_visible()
    page.keyboard.type("PressTV")
    expect(page.locator("#toolbar .source-nudge")).to_be_hidden()
    page.keyboard.press("Shift+Tab")  # back on the label radios
    expect(page.get_by_role("radio", name="Attributed")).to_be_focused()
    page.keyboard.press("2")
    # A key claim's explanation comes before saving: 2 and 3 no longer save at once.
    expect(page.locator("#toolbar-explanation")).to_be_focused()
    assert not Annotation.objects.filter(exercise=exercise, is_key=True, article=lesson["b"]).exists()
    page.keyboard.type("The praise is PressTV's own judgement, not a report.")
    shot(page, "key-keyboard", full_page=False)
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Cancel")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Save claim")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("mark.hl-editorialized")).to_have_count(1)
    saved = Annotation.objects.get(exercise=exercise, is_key=True, article=lesson["b"])
    assert (saved.label, saved.source) == ("editorialized", "PressTV")
    assert saved.explanation == "The praise is PressTV's own judgement, not a report."


@pytest.mark.parametrize("width", [1280, 390])
def test_the_exercise_form_after_a_submission_warns_beside_the_articles(whole_lesson, live_server, page, width):
    page.set_viewport_size({"width": width, "height": 844 if width == 390 else 900})
    sign_in(page, live_server, "teach")
    page.goto(f"{live_server.url}/exercises/{whole_lesson['exercise'].pk}/edit/")
    articles = page.get_by_role("group", name="Articles")
    expect(articles.locator(".warning")).to_contain_text("1 student has already submitted.")
    articles.get_by_role("checkbox", name="Kremlin readout").uncheck()
    page.get_by_role("button", name="Save exercise").click()
    expect(page.get_by_text("tick this box to change the articles anyway")).to_be_visible()
    shot(page, "exercise-form-warning")
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("width", [1280, 390])
def test_removing_a_student_asks_first_on_the_class_page(lesson, live_server, page, width):
    from annotator.classroom.models import Membership

    page.set_viewport_size({"width": width, "height": 844 if width == 390 else 900})
    sign_in(page, live_server, "teach")
    page.goto(f"{live_server.url}/classes/{lesson['classroom'].pk}/")
    expect(page.locator(".join-qr svg")).to_be_visible()
    page.get_by_text("Remove…").first.click()
    expect(page.get_by_text("Remove kim from Period 3? Their work is kept.")).to_be_visible()
    shot(page, "class-page")
    page.get_by_role("button", name="Remove kim").click()
    expect(page.get_by_text("Student removed from the class.")).to_be_visible()
    assert not Membership.objects.filter(student=lesson["kim"]).exists()
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("who", ["kim", "teach"])
def test_opening_a_discussion_thread_breaks_no_rule_of_the_content_security_policy(lesson, live_server, page, who):
    from annotator.discussion import services as discussion

    exercise = lesson["exercise"]
    exercise.discussion = True
    exercise.save()
    discussion.create_reply(lesson["teacher"], lesson["sams"].pk, {"text": "Who else reports it? https://example.org"})
    page.add_init_script("""window.cspViolations = [];
        document.addEventListener('securitypolicyviolation', e => window.cspViolations.push(
            [e.violatedDirective, e.sample, e.sourceFile, e.lineNumber].join(' ')));""")
    sign_in(page, live_server, who)
    page.goto(f"{live_server.url}/exercises/{exercise.pk}/discussion/a/")
    page.locator(f"#disc-{lesson['sams'].pk} summary").click()
    expect(page.locator(f"#thread-{lesson['sams'].pk} .replies")).to_be_visible()
    page.get_by_role("button", name="Add a “see this” passage").first.click()
    expect(page.get_by_role("dialog", name="Point your reply to a passage")).to_be_visible()
    assert page.evaluate("window.cspViolations") == []
    page.goto(f"{live_server.url}/claims/{lesson['sams'].pk}/discussion/")
    expect(page.locator(".replies")).to_be_visible()
    assert page.evaluate("window.cspViolations") == []


def test_the_first_tab_on_a_reader_page_offers_a_skip_to_the_article_text(seeded, live_server, page):
    article = next(iter(seeded.values()))
    page.goto(live_server.url + article.get_absolute_url())
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to the article text")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("#article-text")).to_be_focused()
