"""Suggestions in the real reader page, in Chromium: the toggle, the dotted underlines, accepting
one suggestion as a claim and dismissing another, by mouse and by keyboard."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from annotator.annotations.models import Annotation
from annotator.assist.models import Dismissal
from annotator.corpus.models import Article

from .browser import sign_in
from .factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Each highlight range must cover exactly the text its card quotes (code points, even after
# the reader re-renders the text the ranges point into).
HIGHLIGHTED_TEXTS = """() => ["attributed", "disputed", "editorialized"].flatMap(label => {
    const highlight = CSS.highlights.get("assist-" + label);
    return highlight ? [...highlight].map(range => range.toString()) : [];
})"""
READING_TEXTS = """() => [...document.querySelectorAll("#assist .assist-reading")].map(reading => {
    const card = reading.closest(".assist-card");
    const chars = [...JSON.parse(document.getElementById("article-body").textContent)];
    return chars.slice(+card.dataset.start, +card.dataset.end).join("");
})"""


def open_suggestions(page, live_server, article):
    page.goto(live_server.url + article.get_absolute_url())
    toggle = page.locator("#assist-toggle")
    expect(toggle).to_have_text("Show suggestions")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(page.locator(".assist-card")).to_have_count(0)
    toggle.click()
    expect(page.locator("#assist-toggle")).to_have_attribute("aria-expanded", "true")
    expect(page.locator(".assist-card").first).to_be_visible()


def test_toggle_underlines_accept_and_dismiss(seeded, live_server, page):
    user = make_user("amira")
    article = Article.objects.get(source_file="000_f75c1bf812ec66b2.txt")
    sign_in(page, live_server, "amira")
    open_suggestions(page, live_server, article)
    cards, readings = page.locator(".assist-card"), page.locator(".assist-reading")
    total = readings.count()
    assert sorted(page.evaluate(HIGHLIGHTED_TEXTS)) == sorted(page.evaluate(READING_TEXTS))

    strongman = cards.filter(has_text="Russian strongman Vladimir Putin").filter(has=page.locator(".chip.editorialized"))
    expect(strongman.locator(".cue")).to_have_text("Cue: loaded term ‘strongman’")
    strongman.get_by_role("button", name="Accept").click()
    expect(page.locator("#assist .assist-message")).to_contain_text("Saved as your editorialized claim")
    expect(page.locator("#reader mark.hl-editorialized").first).to_have_text("Russian strongman Vladimir Putin")
    expect(readings).to_have_count(total - 1)
    claim = Annotation.objects.get()
    assert (claim.exact, claim.label, claim.author) == ("Russian strongman Vladimir Putin", "editorialized", user)
    # The reader re-rendered its text; the underlines follow it.
    assert sorted(page.evaluate(HIGHLIGHTED_TEXTS)) == sorted(page.evaluate(READING_TEXTS))

    # "claimed" names a source and keeps its distance: one card, a reading for each label.
    presstv = cards.filter(has_text="Putin effusively supported the missile attack")
    expect(presstv.locator(".chip")).to_have_text(["Attributed", "Disputed"])
    expect(presstv.locator(".source")).to_have_text("Source: PressTV")
    presstv.get_by_role("button", name="Accept as attributed").click()
    expect(page.locator("#reader .card.attributed")).to_contain_text("Source: PressTV")
    # Tagged, the span is settled: its other reading (disputed) goes with the accepted one.
    expect(presstv).to_have_count(0)

    doubt = page.locator(".assist-reading.disputed").first
    doubted = doubt.get_attribute("id")
    doubt.get_by_role("button", name="Dismiss").click()
    expect(page.locator("#assist .assist-message")).to_contain_text("Dismissed")
    expect(page.locator(f"#{doubted}")).to_have_count(0)
    assert Dismissal.objects.filter(user=user, label="disputed").count() == 1

    # Remembered: closed and reopened after a reload, the dismissed card stays away.
    open_suggestions(page, live_server, article)
    expect(page.locator(f"#{doubted}")).to_have_count(0)
    expect(page.locator(".assist-reading")).to_have_count(total - 4)
    page.locator("#assist-toggle").click()
    expect(page.locator(".assist-card")).to_have_count(0)
    assert page.evaluate(HIGHLIGHTED_TEXTS) == []


def test_keyboard_show_in_text_and_dismiss_keep_focus_in_the_list(seeded, live_server, page):
    make_user("amira")
    article = Article.objects.get(source_file="004_405ef5057e510925.txt")
    sign_in(page, live_server, "amira")
    page.goto(live_server.url + article.get_absolute_url())
    page.locator("#assist-toggle").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".assist-card").first).to_be_visible()
    # A card with one reading, which dismissing takes away: focus moves to the next card.
    index = page.evaluate("""() => [...document.querySelectorAll("#assist .assist-card")]
        .findIndex(card => card.querySelectorAll(".assist-reading").length === 1)""")
    assert index >= 0
    first_card = page.locator(".assist-card").nth(index)
    second_id = page.locator(".assist-card").nth(index + 1).get_attribute("id")

    first_card.get_by_role("button", name="Show in text").focus()
    page.keyboard.press("Enter")
    expect(first_card).to_have_class(re.compile(r"\bis-current\b"))
    assert page.evaluate("() => CSS.highlights.get('assist-current').size") == 1

    first_card.get_by_role("button", name="Dismiss").focus()
    page.keyboard.press("Enter")
    expect(page.locator(f"#{second_id}")).to_be_focused()


def test_the_open_panel_passes_axe(seeded, live_server, page):
    make_user("amira")
    article = Article.objects.get(source_file="004_405ef5057e510925.txt")
    sign_in(page, live_server, "amira")
    open_suggestions(page, live_server, article)
    results = Axe().run(page, context="#assist")
    assert results.violations_count == 0, results.generate_report()
