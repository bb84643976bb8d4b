"""The reader in a real Chromium: reading, selecting with mouse and keyboard, tagging, deleting."""

import pytest
from playwright.sync_api import expect

from annotator.annotations.models import Annotation
from annotator.corpus.models import Article

from .browser import drag_select, sign_in
from .factories import make_article, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_as_amira(page, live_server, source_file="000_f75c1bf812ec66b2.txt"):
    """Sign in as a new reader and open one seed article; returns the article."""
    make_user("amira")
    article = Article.objects.get(source_file=source_file)
    sign_in(page, live_server, "amira")
    page.goto(live_server.url + article.get_absolute_url())
    return article


def test_home_page_and_an_article_open_in_chromium(seeded, live_server, page):
    page.goto(live_server.url + "/")
    expect(page.locator(".article-item")).to_have_count(5)
    page.get_by_role("link", name="Lavrov Revealed That Putin").click()
    expect(page.locator("#headline")).to_contain_text("Lavrov Revealed That Putin Has Been A Lifelong Supporter")
    expect(page.locator("#article-text")).to_contain_text("ironclad security")


def test_drag_select_then_press_2_tags_exactly_that_text_and_it_survives_reload(seeded, live_server, page):
    article = open_as_amira(page, live_server)
    drag_select(page, "Russian strongman")
    expect(page.locator("#toolbar")).to_be_visible()
    page.keyboard.press("2")
    expect(page.locator("mark.hl-editorialized")).to_have_text("Russian strongman")
    saved = Annotation.objects.get()
    assert (saved.label, saved.exact) == ("editorialized", "Russian strongman")
    assert article.body[saved.start : saved.end] == "Russian strongman"
    page.reload()
    expect(page.locator("mark.hl-editorialized")).to_have_text("Russian strongman")


def test_a_partial_word_selection_snaps_to_whole_words(seeded, live_server, page):
    open_as_amira(page, live_server)
    drag_select(page, "ssian strongm")
    page.keyboard.press("3")
    expect(page.locator("mark.hl-disputed")).to_have_text("Russian strongman")


def test_two_overlapping_claims_are_both_drawn(seeded, live_server, page):
    open_as_amira(page, live_server)
    drag_select(page, "Russian strongman Vladimir Putin")
    page.keyboard.press("2")
    expect(page.locator("mark.hl")).to_have_count(1)
    drag_select(page, "Vladimir Putin praised")
    page.keyboard.press("3")
    expect(page.locator(".card")).to_have_count(2)
    overlap = page.locator("mark.hl", has_text="Vladimir Putin")
    expect(overlap).to_have_count(1)
    covering = page.evaluate("(o) => window.Annotator.drawnClaims().filter((c) => c.start <= o && o < c.end).length",
                             int(overlap.get_attribute("data-o")))
    assert covering == 2
    assert sorted(a.exact for a in Annotation.objects.all()) == ["Russian strongman Vladimir Putin", "Vladimir Putin praised"]


def test_attributed_claim_with_source_and_note_through_the_toolbar(seeded, live_server, page):
    open_as_amira(page, live_server)
    drag_select(page, "PressTV claimed that Putin effusively supported the missile attack")
    page.keyboard.press("1")
    expect(page.locator("#toolbar-source")).to_be_focused()
    page.keyboard.type("PressTV")
    page.fill("#toolbar-note", "Compare with <b>Tass</b>'s readout")
    page.click("#toolbar button[type=submit]")
    card = page.locator(".card.attributed")
    expect(card).to_contain_text("Source: PressTV")
    expect(card.locator(".note")).to_have_text("Compare with <b>Tass</b>'s readout")


def test_keyboard_only_sentence_selection_and_tagging(seeded, live_server, page):
    article = open_as_amira(page, live_server, "002_8b1818b777817aec.txt")
    page.locator("#article-text").focus()
    page.keyboard.press("s")  # the headline
    page.keyboard.press("s")  # the first sentence of the standfirst
    page.keyboard.press("Shift+ArrowLeft")  # drop its last word
    page.keyboard.press("3")
    expect(page.locator("mark.hl-disputed")).to_have_count(1)
    saved = Annotation.objects.get()
    standfirst = article.body.split("\n")[1]
    assert standfirst.startswith(saved.exact) and len(saved.exact) < len(standfirst)
    assert article.body[saved.start : saved.end] == saved.exact


def test_emoji_and_a_flag_before_the_span_anchor_exactly(live_server, page):
    body = "Flags 🇺🇦 and emoji 👍🏽 come first\nThen the claim that officials denied everything."
    article = make_article("emoji", body, title="Flags and emoji come first")
    make_user("amira")
    sign_in(page, live_server, "amira")
    page.goto(live_server.url + article.get_absolute_url())
    drag_select(page, "officials denied")
    page.keyboard.press("3")
    expect(page.locator("mark.hl-disputed")).to_have_text("officials denied")
    saved = Annotation.objects.get()
    assert (saved.start, saved.end) == (body.index("officials denied"), body.index("officials denied") + 16)


def test_clicking_a_highlight_focuses_its_card_and_delete_removes_it(seeded, live_server, page):
    open_as_amira(page, live_server)
    drag_select(page, "Russian strongman")
    page.keyboard.press("2")
    mark = page.locator("mark.hl-editorialized")
    expect(mark).to_be_visible()
    mark.click()
    expect(page.locator(".card.editorialized")).to_be_focused()
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator(".card").get_by_role("button", name="Delete").click()
    expect(page.locator("mark.hl")).to_have_count(0)
    assert not Annotation.objects.exists()
