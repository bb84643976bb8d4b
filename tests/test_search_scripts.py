"""Passage search and related passages in Russian, Arabic, Persian and Hebrew, on SQLite FTS5
and PostgreSQL full text alike: words are found in their own script, and spellings a reader
takes as the same word (Arabic alef forms, Persian or Arabic ye and kaf, niqqud, ё) match."""

import pytest

from annotator.annotations.passages import marked
from annotator.corpus.folding import fold
from annotator.corpus.search import related_passages, search_passages

from .factories import make_article


@pytest.mark.parametrize(("written", "folded"), [
    ("إيران أعلنت", "ایران اعلنت"),
    ("آمریکا", "امریکا"),
    ("كتاب يكتب", "کتاب یکتب"),
    ("שָׁלוֹם", "שלום"),
    ("الْمَدِينَةُ", "المدینة"),
    ("Ёлка и ещё", "Елка и еще"),
    ("Café on Monday", "Café on Monday"),
])
def test_folding_gives_one_form_for_what_a_reader_calls_the_same(written, folded):
    assert fold(written) == folded


@pytest.fixture
def scripts(db):
    return {
        "ru": make_article("ru", "Правительство утвердило план\nВсё ещё идут переговоры о поставках зерна в Одессу."),
        "ar": make_article("ar", "خبر\nأعلنت إيران أن المفاوضات في فيينا ستستمر الأسبوع المقبل."),
        "fa": make_article("fa", "خبر\nوزارت خارجه ایران گفت که مذاکرات در وین ادامه خواهد یافت."),
        "he": make_article("he", "חדשות\nמשרד החוץ הודיע כי הַמַּשָּׂא וּמַתָּן בְּוִינָה יימשך בשבוע הבא."),
        "en": make_article("en", "News\nTalks in Vienna on the grain corridor to Odesa will continue next week."),
    }


def found(query):
    return [r["article"] for r in search_passages(query)]


@pytest.mark.parametrize(("query", "articles"), [
    ("переговоры", ["ru"]),
    ("еще", ["ru"]),  # the text has ещё
    ("ЕЩЁ", ["ru"]),
    ("ايران", ["ar", "fa"]),  # bare alef finds إيران, Arabic ye finds Persian ایران
    ("إيران", ["ar", "fa"]),
    ("המשא ומתן", ["he"]),  # the text is pointed
    ("בְּוִינָה", ["he"]),
    ("Vienna", ["en"]),
])
def test_passage_search_finds_words_in_their_own_script_whatever_the_spelling(scripts, query, articles):
    assert sorted(found(query)) == articles


def test_persian_typed_on_an_arabic_keyboard_finds_the_persian_passage_first(scripts):
    # Arabic ye and kaf in the query; the Persian text has its own. ایران alone is in the Arabic one too.
    assert found("وزارت خارجه ايران") == ["fa", "ar"]


def test_words_that_differ_do_not_match(scripts):
    assert found("переговор") == []  # a whole word, not a prefix
    assert found("שלום") == []
    assert found("کتاب") == []


def test_related_passages_of_a_claim_in_one_script_come_from_the_others_in_it(scripts):
    claim = scripts["ar"]
    start = claim.body.index("إيران")
    results = related_passages(claim, start, start + len("إيران أن المفاوضات"))
    assert [r["article"] for r in results] == ["fa"]
    assert results[0]["terms"] == ["ایران"]


def test_the_words_found_are_marked_as_written_points_and_all():
    assert marked("أعلنت إيران ذلك", ["ایران"]) == 'أعلنت <mark class="term">إيران</mark> ذلك'
    assert marked("הַמַּשָּׂא וּמַתָּן", ["המשא"]) == '<mark class="term">הַמַּשָּׂא</mark> וּמַתָּן'
    assert marked("Всё & ещё", ["еще"]) == 'Всё &amp; <mark class="term">ещё</mark>'
