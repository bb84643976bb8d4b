"""Discussion on claims in a real Chromium: replying after the reveal, What's new, answering,
the teacher hiding a reply, no replies before the reveal, and a "see this" passage."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from annotator.discussion import services
from annotator.discussion.models import Reply

from .browser import drag_select, sign_in
from .factories import make_claim, make_class, make_exercise, make_teacher, make_user, passage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/shots")
BENS_CLAIM = "Putin praised Iran’s unprecedented, 300+ missile and drone assault against Israel"
ANAS_CLAIM = "Russian strongman"
UNREAD_1 = re.compile(r"^What's new \(1\)$")


@pytest.fixture
def seeded_lesson(seeded):
    """A class with two students, Ana (Student A) and Ben (Student B), each with a claim on
    the same seed article of an exercise in discussion mode."""
    teacher, ana, ben = make_teacher("teach"), make_user("ana"), make_user("ben")
    first, second = sorted(seeded.values(), key=lambda a: a.source_file)[:2]
    exercise = make_exercise(make_class(teacher, [ana, ben], join_code="maple-otter-42"), [first, second],
                             title="Who is praising whom?", discussion=True)
    bens = make_claim(ben, first, BENS_CLAIM, "editorialized", exercise=exercise)
    anas = make_claim(ana, first, ANAS_CLAIM, "editorialized", exercise=exercise)
    return {"teacher": teacher, "ana": ana, "ben": ben, "exercise": exercise, "article": first, "bens": bens,
            "anas": anas, "discussion_url": f"/exercises/{exercise.pk}/discussion/{first.slug}/"}


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"/$"))


def open_thread(page, claim):
    card = page.locator(f"#claim-{claim.pk}")
    card.locator("details.disc > summary").click()
    thread = card.locator(f"#thread-{claim.pk}")
    expect(thread).to_be_visible()
    return card, thread


def test_done_when_a_replies_to_b_b_sees_it_in_whats_new_and_answers(seeded_lesson, live_server, page):
    bens = seeded_lesson["bens"]
    sign_in(page, live_server, "ana")
    page.goto(live_server.url + seeded_lesson["discussion_url"])
    card, thread = open_thread(page, bens)
    expect(thread).to_contain_text("No replies yet.")
    thread.get_by_label("Your reply").fill("Is “praised” PressTV's word or the Kremlin's? <b>Check</b> https://example.org/x")
    thread.get_by_role("button", name="Post reply").click()
    first = thread.locator(".reply").first
    expect(first).to_contain_text("Student A")
    expect(first).to_contain_text("(you)")
    expect(first).to_be_focused()
    # Markup stays text; the web address became a link.
    expect(first.locator(".reply-text")).to_contain_text("<b>Check</b>")
    expect(first.locator(".reply-text a")).to_have_attribute("href", "https://example.org/x")
    expect(card.locator("details.disc > summary")).to_contain_text("Discussion (1)")
    assert Reply.objects.get().author == seeded_lesson["ana"]

    sign_out(page)
    sign_in(page, live_server, "ben")
    news = page.get_by_role("link", name=UNREAD_1)
    expect(news).to_be_visible()
    news.click()
    item = page.locator(".activity-item")
    expect(item).to_have_count(1)
    expect(item).to_contain_text("Your claim")
    expect(item).to_contain_text("Student A")
    expect(item).to_contain_text("praised” PressTV's word")
    item.get_by_role("link", name=re.compile(r"Open the discussion")).click()
    thread = page.locator(f"#thread-{bens.pk}")
    expect(thread.locator(".reply").first).to_contain_text("new")
    # Reading it cleared the count in the header.
    expect(page.get_by_role("link", name="What's new", exact=True)).to_be_visible()
    thread.locator("details.reply-to > summary").click()
    thread.get_by_label("Your answer").fill("PressTV's: the Kremlin readout says nothing like it.")
    thread.get_by_role("button", name="Post answer").click()
    answer = thread.locator(".replies.answers .reply")
    expect(answer).to_contain_text("Student B")
    expect(answer).to_contain_text("PressTV's: the Kremlin readout")
    assert Reply.objects.get(author=seeded_lesson["ben"]).parent == Reply.objects.get(author=seeded_lesson["ana"])

    sign_out(page)
    sign_in(page, live_server, "ana")
    expect(page.get_by_role("link", name=UNREAD_1)).to_be_visible()
    page.get_by_role("link", name=UNREAD_1).click()
    expect(page.locator(".activity-item")).to_contain_text("A thread you joined")
    expect(page.locator(".activity-item")).to_contain_text("Student B")


def test_the_teacher_hides_a_reply_and_students_no_longer_see_it(seeded_lesson, live_server, page):
    bens = seeded_lesson["bens"]
    services.create_reply(seeded_lesson["ana"], bens.pk, {"text": "A fair question about the source."})
    rude = services.create_reply(seeded_lesson["ana"], bens.pk, {"text": "Only a fool would tag it like that."})
    sign_in(page, live_server, "teach")
    page.goto(live_server.url + seeded_lesson["discussion_url"])
    card, thread = open_thread(page, bens)
    expect(thread.locator(".reply")).to_have_count(2)
    thread.locator(f"#reply-{rude.pk}").get_by_role("button", name="Hide from students").click()
    hidden = thread.locator(f"#reply-{rude.pk}")
    expect(hidden).to_contain_text("Hidden from students by teach")
    expect(hidden.get_by_role("button", name="Show to students")).to_be_visible()
    rude.refresh_from_db()
    assert rude.hidden_by == seeded_lesson["teacher"] and rude.hidden_at is not None

    sign_out(page)
    sign_in(page, live_server, "ben")
    page.goto(live_server.url + seeded_lesson["discussion_url"])
    card, thread = open_thread(page, bens)
    expect(card.locator("details.disc > summary")).to_contain_text("Discussion (1)")
    expect(thread.locator(".reply")).to_have_count(1)
    expect(thread).to_contain_text("A fair question about the source.")
    expect(thread).not_to_contain_text("Only a fool")
    page.goto(live_server.url + "/whats-new/")
    expect(page.locator("main")).not_to_contain_text("Only a fool")

    # Its author still sees it, marked as hidden.
    sign_out(page)
    sign_in(page, live_server, "ana")
    page.goto(live_server.url + seeded_lesson["discussion_url"])
    card, thread = open_thread(page, bens)
    expect(thread.locator(f"#reply-{rude.pk}")).to_contain_text("Hidden by your teacher")


def test_a_student_cannot_reply_before_the_reveal(seeded_lesson, live_server, page):
    exercise = seeded_lesson["exercise"]
    exercise.discussion = False
    exercise.save()
    anas = seeded_lesson["anas"]
    sign_in(page, live_server, "ana")
    page.goto(live_server.url + f"/exercises/{exercise.pk}/articles/{seeded_lesson['article'].slug}/")
    card = page.locator(f"#claim-{anas.pk}")
    expect(card).to_contain_text("Discussion opens after the reveal.")
    expect(card.locator("details.disc")).to_have_count(0)
    # Nor through the JSON API or the form's address, with a valid CSRF token.
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    response = page.request.post(f"{live_server.url}/api/annotations/{anas.pk}/replies/",
                                 data={"text": "Too early"}, headers={"X-CSRFToken": token})
    assert response.status == 403
    assert "opens after the reveal" in response.json()["error"]
    # Ben's claim does not even exist for Ana yet.
    response = page.request.post(f"{live_server.url}/api/annotations/{seeded_lesson['bens'].pk}/replies/",
                                 data={"text": "Too early"}, headers={"X-CSRFToken": token})
    assert response.status == 404
    assert not Reply.objects.exists()


def test_a_reply_points_to_a_passage_selected_in_another_article(seeded_lesson, live_server, page):
    bens = seeded_lesson["bens"]
    sign_in(page, live_server, "ana")
    page.goto(live_server.url + seeded_lesson["discussion_url"])
    card, thread = open_thread(page, bens)
    thread.get_by_role("button", name="Add a “see this” passage").click()
    panel = page.get_by_role("dialog", name="Point your reply to a passage")
    expect(panel).to_be_visible()
    expect(panel.get_by_role("heading", name="Point your reply to a passage")).to_be_focused()
    passages = panel.locator(".lp-passage")
    expect(passages.first).to_be_visible()
    # Open the best passage's article whole and select a few words of it with the mouse.
    target_slug = passages.first.get_by_role("button", name="Open article").get_attribute("hx-get").split("/articles/")[1].split("/")[0]
    passages.first.get_by_role("button", name="Open article").click()
    picker = panel.locator(".lp-text")
    expect(picker).to_be_visible()
    from annotator.corpus.models import Article

    target = Article.objects.get(slug=target_slug)
    words = " ".join(target.body.split("\n")[1].split()[:4]).rstrip(".,;:")
    drag_select(page, words, container=f"#ev-text-c{bens.pk}")
    expect(panel.locator("[data-link-chosen]")).to_contain_text(words)
    # The reply's picker speaks of the reply, not of a link.
    expect(panel.locator(".lp-chosen-label")).to_have_text("Passage to point to")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "discussion-evidence-panel-1280.png"), caret="initial")
    panel.get_by_role("button", name="Use the selected words").click()
    expect(page.locator(".link-panel")).to_have_count(0)
    chosen = thread.locator(".reply-evidence.is-chosen")
    expect(chosen).to_contain_text(words)
    expect(chosen).to_be_focused()
    thread.get_by_label("Your reply").fill("This article tells it differently.")
    thread.get_by_role("button", name="Post reply").click()
    evidence = thread.locator(".reply .reply-evidence")
    expect(evidence).to_contain_text("See this")
    expect(evidence.get_by_role("link")).to_have_attribute("href", target.get_absolute_url())
    saved = Reply.objects.get()
    assert saved.to_article == target and target.body[saved.to_start:saved.to_end] == saved.to_exact == words

    # The other way: a listed passage, taken as it is.
    thread.locator("details.reply-to > summary").click()
    answer_form = thread.locator(f"#evidence-p{saved.pk}")
    answer_form.get_by_role("button", name="Add a “see this” passage").click()
    panel = page.get_by_role("dialog", name="Point your reply to a passage")
    panel.locator(".lp-passage").first.get_by_role("button", name="Use this passage").click()
    expect(page.locator(".link-panel")).to_have_count(0)
    expect(answer_form.locator(".reply-evidence.is-chosen")).to_be_visible()
    answer_form.get_by_role("button", name="Remove passage").click()
    expect(answer_form.get_by_role("button", name="Add a “see this” passage")).to_be_visible()


@pytest.mark.parametrize("width", [1280, 390])
def test_screenshots_of_a_thread_in_a_card_and_of_whats_new(seeded_lesson, live_server, page, width):
    bens, anas, ben = seeded_lesson["bens"], seeded_lesson["anas"], seeded_lesson["ben"]
    other = seeded_lesson["exercise"].articles.exclude(pk=seeded_lesson["article"].pk).get()
    first = services.create_reply(seeded_lesson["ana"], bens.pk, {
        "text": "Is “praised” PressTV's word or the Kremlin's? The readout at https://example.org/readout says less.",
        **_first_sentence(other)})
    services.create_reply(ben, bens.pk, {"text": "PressTV's. I tagged it editorialized for that reason.",
                                         "parent": first.pk})
    services.create_reply(seeded_lesson["teacher"], bens.pk, {"text": "Good: who is the source of “praised”?"})
    services.create_reply(ben, anas.pk, {"text": "“Strongman” is the writer's own word, isn't it?"})
    # Tall enough for the sticky sidebar to show the whole card with its thread.
    page.set_viewport_size({"width": width, "height": 1500})
    sign_in(page, live_server, "ben")
    page.goto(live_server.url + seeded_lesson["discussion_url"])
    card, thread = open_thread(page, bens)
    expect(thread.locator(".reply")).to_have_count(3)
    card.evaluate("el => el.scrollIntoView({block: 'start'})")
    SHOTS.mkdir(parents=True, exist_ok=True)
    card.screenshot(path=str(SHOTS / f"discussion-card-{width}.png"))
    page.screenshot(path=str(SHOTS / f"discussion-reader-{width}.png"))
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.set_viewport_size({"width": width, "height": 900})
    sign_out(page)
    sign_in(page, live_server, "ana")
    page.goto(live_server.url + "/whats-new/")
    expect(page.locator(".activity-item")).to_have_count(2)
    page.screenshot(path=str(SHOTS / f"discussion-whats-new-{width}.png"), full_page=True)
    # Nothing overflows the narrow screen sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def _first_sentence(article):
    """The first eight words of the article's second paragraph, as a "see this" passage."""
    return passage(article, " ".join(article.body.split("\n")[1].split()[:8]).rstrip(".,;:"))


def test_discussion_pages_pass_axe(seeded_lesson, live_server, page):
    from axe_playwright_python.sync_playwright import Axe

    def serious():
        violations = Axe().run(page).response["violations"]
        return [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in violations
                if v["impact"] in ("serious", "critical")]

    bens = seeded_lesson["bens"]
    first = services.create_reply(seeded_lesson["ana"], bens.pk, {"text": "Whose word is “praised”?"})
    services.create_reply(seeded_lesson["ben"], bens.pk, {"text": "PressTV's.", "parent": first.pk})
    services.flag_reply(seeded_lesson["ben"], first.pk)
    sign_in(page, live_server, "ana")
    page.goto(live_server.url + seeded_lesson["discussion_url"])
    open_thread(page, bens)
    problems = {"reader with a thread": serious()}
    for path in (f"/claims/{bens.pk}/discussion/", "/whats-new/"):
        page.goto(live_server.url + path)
        problems[path] = serious()
    sign_out(page)
    sign_in(page, live_server, "teach")
    for path in (f"/exercises/{seeded_lesson['exercise'].pk}/flags/", f"/claims/{bens.pk}/discussion/"):
        page.goto(live_server.url + path)
        problems["teacher " + path] = serious()
    assert {k: v for k, v in problems.items() if v} == {}
