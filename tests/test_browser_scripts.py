"""Reading and tagging Hebrew, Arabic (with digits and an English quote) and Russian articles
in a real Chromium: the mouse selection is stored code point for code point, the highlight
paints over it, right-to-left paragraphs run right to left, and Shift+arrows move in
reading order."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from annotator.annotations.models import Annotation
from annotator.corpus.importer import import_bytes

from .browser import drag_select, phrase_box, sign_in
from .factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGES = Path(__file__).resolve().parent / "data" / "languages"


def open_article(page, live_server, name):
    article = import_bytes(f"{name}.txt", (LANGUAGES / f"{name}.txt").read_bytes()).article
    make_user("amira")
    sign_in(page, live_server, "amira")
    page.goto(live_server.url + article.get_absolute_url())
    return article


def selected(page):
    return page.evaluate("window.getSelection().toString()")


def tag_by_mouse(page, phrase, key):
    """Drag over `phrase`, check the browser selected exactly it, tag it with `key`; the saved claim."""
    before = Annotation.objects.count()
    drag_select(page, phrase)
    expect(page.locator("#toolbar")).to_be_visible()
    assert selected(page) == phrase
    expect(page.locator("#toolbar-quote")).to_have_text(f"“{phrase}”")
    page.keyboard.press(key)
    expect(page.locator(".card")).to_have_count(before + 1)
    return Annotation.objects.latest("id")


def painted(page, claim):
    """The text the highlight of `claim` covers, joined in the order of the body."""
    return page.evaluate(
        """(id) => {
              const claim = window.Annotator.drawnClaims().find(c => c.id === id);
              return Array.from(document.querySelectorAll('#article-text mark[data-o]'))
                .filter(m => claim.start <= +m.dataset.o && +m.dataset.o < claim.end)
                .map(m => m.textContent).join('');
            }""",
        claim.pk,
    )


def test_hebrew_selection_tag_and_reload_store_exactly_the_selected_words(live_server, page):
    article = open_article(page, live_server, "hebrew")
    paragraph = page.locator("#article-text [data-p]").nth(1)
    expect(paragraph).to_have_attribute("dir", "rtl")
    assert paragraph.evaluate("p => getComputedStyle(p).direction") == "rtl"
    claim = tag_by_mouse(page, "עבודות ההרחבה בנמל חיפה", "2")
    assert claim.exact == "עבודות ההרחבה בנמל חיפה" == article.body[claim.start : claim.end]
    assert painted(page, claim) == claim.exact
    page.reload()
    expect(page.locator("mark.hl-editorialized")).to_have_count(1)
    assert painted(page, claim) == claim.exact


def test_arabic_with_digits_and_an_english_quote_keeps_each_run_exact(live_server, page):
    article = open_article(page, live_server, "arabic")
    number = tag_by_mouse(page, "450 مليون دولار", "3")
    # A left-to-right quote that wraps inside right-to-left text has line ends where both of
    # its edges sit (any browser's hit test is ambiguous there): the part on one line is dragged,
    # then the keyboard takes the selection on, in reading order, to the end of the quote.
    drag_select(page, "The port will double its")
    for _ in range(3):
        page.keyboard.press("Shift+ArrowRight")
    expect(page.locator("#toolbar-quote")).to_have_text("“The port will double its capacity by 2028”")
    page.keyboard.press("2")
    expect(page.locator(".card")).to_have_count(2)
    quote = Annotation.objects.latest("id")
    mixed = tag_by_mouse(page, "مارس 2025", "3")
    for claim in (number, quote, mixed):
        claim.refresh_from_db()
        assert article.body[claim.start : claim.end] == claim.exact
    assert [number.exact, quote.exact, mixed.exact] == [
        "450 مليون دولار", "The port will double its capacity by 2028", "مارس 2025"]
    page.reload()
    for claim in (number, quote, mixed):
        assert painted(page, claim) == claim.exact
    # Mixed runs keep their order: the English words read left to right, the Arabic right
    # to left, and the number stays whole to the right of the words that follow it.
    english = phrase_box(page, "The port")
    assert english[0]["x"] < english[4]["x"]
    arabic = phrase_box(page, "450 مليون")
    assert arabic[0]["x"] < arabic[2]["x"] and arabic[4]["x"] < arabic[0]["x"]


def test_russian_selection_and_reading_order_keys(live_server, page):
    article = open_article(page, live_server, "russian")
    claim = tag_by_mouse(page, "общая стоимость проекта", "2")
    assert claim.exact == article.body[claim.start : claim.end] == "общая стоимость проекта"
    page.reload()
    assert painted(page, claim) == claim.exact
    drag_select(page, "Министерство транспорта")
    page.keyboard.press("Shift+ArrowRight")
    expect(page.locator("#toolbar-quote")).to_have_text("“Министерство транспорта объявило”")
    page.keyboard.press("Shift+ArrowLeft")
    expect(page.locator("#toolbar-quote")).to_have_text("“Министерство транспорта”")


def test_keyboard_selection_in_hebrew_moves_forward_with_the_left_arrow(live_server, page):
    article = open_article(page, live_server, "hebrew")
    page.locator("#article-text").focus()
    # On a Hebrew keyboard layout the S key types ד; it is the key that counts.
    page.locator("#article-text").dispatch_event("keydown", {"key": "ד", "code": "KeyS", "bubbles": True})
    headline = article.body.split("\n")[0]
    expect(page.locator("#toolbar-quote")).to_have_text(f"“{headline}”")
    page.keyboard.press("s")
    second = article.body.split("\n")[1]
    first_sentence = second[: second.index(",")]
    assert selected(page).startswith(first_sentence[:10])
    # A drag that starts inside a selection would drag the selected text away instead.
    page.keyboard.press("Escape")
    page.evaluate("window.getSelection().removeAllRanges()")
    drag_select(page, "משרד התחבורה")
    page.keyboard.press("Shift+ArrowLeft")  # reading order: the next word
    expect(page.locator("#toolbar-quote")).to_have_text("“משרד התחבורה הודיע”")
    page.keyboard.press("Shift+ArrowRight")
    expect(page.locator("#toolbar-quote")).to_have_text("“משרד התחבורה”")
    page.keyboard.press("1")
    page.keyboard.type("דובר")
    page.keyboard.press("Enter")
    expect(page.locator(".card.attributed")).to_have_count(1)
    claim = Annotation.objects.get()
    assert (claim.exact, claim.source) == ("משרד התחבורה", "דובר")
