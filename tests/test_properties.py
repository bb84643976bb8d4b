"""Property tests: random texts (astral characters, combining marks, CRLF) and random spans."""

from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from annotator.annotations.anchoring import BodyDiff, locate, quote_selector
from annotator.annotations.services import validate_span
from annotator.corpus.models import Article
from annotator.csvstream import escape_cell, unescape_cell
from annotator.errors import ServiceError

SITE_JS = Path(__file__).resolve().parent.parent / "static" / "js" / "site.js"

# Letters, spaces, punctuation, combining marks, emoji and flags (astral), CR and LF.
PIECES = st.sampled_from(["a", "b", "Z", " ", ".", "é", "e\u0301", "👍", "👍🏽", "🇺🇦", "\r\n", "\n", "—", "中", "𝔸"])
TEXT = st.lists(PIECES, min_size=1, max_size=60).map("".join)
WORDS = st.lists(st.sampled_from(["Putin", "Raisi", "said", "the", "attack", "300", "Tass", "PressTV", "🇮🇷", "e\u0301te"]),
                 min_size=3, max_size=40).map(" ".join)
FAST = settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def js(browser):
    page = browser.new_page()
    page.set_content("<!doctype html><title>offsets</title>")
    page.add_script_tag(path=str(SITE_JS))
    yield page
    page.close()


@pytest.mark.browser
@FAST
@given(text=TEXT, data=st.data())
def test_the_reader_script_converts_code_points_to_utf16_exactly(js, text, data):
    cp = data.draw(st.integers(min_value=0, max_value=len(text)))
    utf16, length = js.evaluate("([t, cp]) => [Annotator.utf16Index(t, cp), Annotator.cpLength(t)]", [text, cp])
    assert length == len(text)
    assert utf16 == len(text[:cp].encode("utf-16-le")) // 2


@FAST
@given(text=TEXT, data=st.data())
def test_a_span_is_valid_exactly_when_its_quote_is_the_text_at_its_offsets(text, data):
    article = Article(body=text)
    start = data.draw(st.integers(min_value=-2, max_value=len(text) + 2))
    end = data.draw(st.integers(min_value=-2, max_value=len(text) + 2))
    exact = data.draw(st.one_of(st.just(text[max(start, 0):max(end, 0)]), TEXT))
    ok = 0 <= start < end <= len(text) and text[start:end] == exact
    try:
        assert validate_span(article, start, end, exact) == (start, end)
        assert ok
    except ServiceError:
        assert not ok


def occurrences(text, part):
    return sum(1 for i in range(len(text)) if text.startswith(part, i))


def edit_distance(a, b):
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        previous, row[0] = row[0], i
        for j, y in enumerate(b, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (x != y))
    return row[-1]


def span_of(data, text):
    start = data.draw(st.integers(min_value=0, max_value=len(text) - 1))
    end = data.draw(st.integers(min_value=start + 1, max_value=min(len(text), start + 40)))
    return start, end


@FAST
@given(old=WORDS, insert=WORDS, data=st.data())
def test_a_span_whose_text_survives_an_edit_is_never_orphaned(old, insert, data):
    start, end = span_of(data, old)
    exact, prefix, suffix = quote_selector(old, start, end)
    # Insert or delete somewhere that leaves the span's own text alone.
    at = data.draw(st.sampled_from([i for i in range(len(old) + 1) if i <= start or i >= end]))
    if data.draw(st.booleans()):
        new = old[:at] + insert + old[at:]
    else:
        stop = data.draw(st.integers(min_value=at, max_value=start if at <= start else len(old)))
        new = old[:at] + old[stop:]
    # An edit that adds or removes copies of the span's own words makes "which copy?" a guess;
    # orphaning is the honest answer there, so such edits are left out.
    assume(occurrences(new, exact) == occurrences(old, exact))
    found = locate(BodyDiff(old, new), start, end, exact, prefix, suffix)
    assert found is not None
    assert new[found[0]:found[1]] == exact


@FAST
@given(old=WORDS, replacement=WORDS, data=st.data())
def test_a_span_whose_text_is_gone_is_never_moved_onto_different_text(old, replacement, data):
    start, end = span_of(data, old)
    exact, prefix, suffix = quote_selector(old, start, end)
    new = old[:start] + replacement + old[end:]
    found = locate(BodyDiff(old, new), start, end, exact, prefix, suffix)
    if found is not None:
        moved_to = new[found[0]:found[1]]
        # Moved only onto the same text, or onto text within one edit per five code points.
        assert 1 - edit_distance(moved_to, exact) / max(len(moved_to), len(exact)) >= 0.8


@settings(max_examples=400, deadline=None, derandomize=True)
@given(st.text())
def test_spreadsheet_escaping_round_trips_and_is_never_live(cell):
    escaped = escape_cell(cell)
    assert unescape_cell(escaped) == cell
    assert not escaped[:1] in ("=", "+", "-", "@", "\t", "\r")
