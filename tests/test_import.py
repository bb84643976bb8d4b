"""The article importer: cleaning copied web text, metadata, idempotence, bad files."""

import unicodedata
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from annotator.corpus import cleaning
from annotator.corpus.importer import ImportFailure, analyse, import_bytes
from annotator.corpus.models import Article

from .factories import make_claim, make_user

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
DATA = Path(__file__).resolve().parent / "data"
S000, S001, S002, S003, S004 = sorted(p.name for p in SEEDS.glob("*.txt"))

LEDE = (
    "A ferry operator on the northern coast said on Monday that it would cut winter sailings "
    "by half, blaming fuel prices and a shortage of trained crew for the decision."
)
SECOND = (
    "Residents of the two islands served by the route said the cuts would leave them without "
    "a daily link to the mainland hospital for the first time in forty years."
)


def run(*paths, **options):
    """Run the command; (stdout, stderr, CommandError or None)."""
    out, err = StringIO(), StringIO()
    try:
        call_command("import_articles", *map(str, paths), stdout=out, stderr=err, **options)
    except CommandError as error:
        return out.getvalue(), err.getvalue(), error
    return out.getvalue(), err.getvalue(), None


def write(folder, name, content):
    path = folder / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


# --- the five seeds -------------------------------------------------------------------


@pytest.mark.django_db
def test_leading_date_prefix_becomes_published_date_and_leaves_the_first_paragraph(seeded):
    article = seeded[S000]
    assert article.published == date(2024, 4, 17)
    assert article.body.startswith("Russian strongman Vladimir Putin praised Iran’s unprecedented")
    assert "2024-04-17" not in article.body
    assert article.removed == [{"line": "date 2024-04-17", "reason": "date → moved to published"}]


@pytest.mark.django_db
def test_long_lede_sentence_is_not_taken_for_a_headline(seeded):
    article = seeded[S000]
    assert article.title_derived is True
    assert article.title == "Russian strongman Vladimir Putin praised Iran’s unprecedented, 300+ missile and drone…"
    assert not article.body.startswith(article.title)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name, title",
    [
        (S001, "As the world braces for Iran and its Resistance Axis allies’ response to Israel’s…"),
        (S003, "Reuters cited three unnamed sources to exclusively report on Monday that Iran had…"),
    ],
)
def test_source_without_headline_gets_a_derived_title_that_is_not_in_the_body(seeded, name, title):
    article = seeded[name]
    assert article.title == title
    assert article.title_derived is True
    assert len(article.title) <= 90
    assert article.title not in article.body.split("\n")
    assert article.published is None and article.byline == "" and article.outlet == ""


@pytest.mark.django_db
def test_title_case_first_line_is_the_headline_and_the_standfirst_stays_in_the_body(seeded):
    article = seeded[S002]
    headline = "Lavrov Revealed That Putin Has Been A Lifelong Supporter Of “Ironclad Security” For Israel"
    paragraphs = article.body.split("\n")
    assert article.title == headline and article.title_derived is False
    assert paragraphs[0] == headline
    assert paragraphs[1].startswith("Neither the Mainstream Media nor the Alt-Media Community")
    assert article.removed == []


@pytest.mark.django_db
def test_comment_form_footer_is_removed(seeded):
    article = seeded[S003]
    assert article.removed == [{"line": "You must be logged in to post a comment.", "reason": "comment-form footer"}]
    assert "logged in" not in article.body
    assert article.body.endswith("in response to that.")


@pytest.mark.django_db
def test_sponsor_lines_are_removed_from_aggregator_copy(seeded):
    article = seeded[S004]
    sponsor = [r["line"] for r in article.removed if r["reason"] == "site chrome: sponsor line"]
    assert len(sponsor) == 4 and all(line.startswith("Sponsor:") for line in sponsor)
    assert "Sponsor" not in article.body and "QWIKET" not in article.body


@pytest.mark.django_db
def test_aggregator_copy_keeps_the_marked_headline_and_finds_byline_outlet_and_date(seeded):
    article = seeded[S004]
    headline = "Israel war: Putin elbows his way back to diplomatic high table over 'regional war' threat"
    assert article.title == headline and article.title_derived is False
    assert article.body.split("\n")[0] == headline
    assert article.byline == "Joel Gehrke"
    # The real outlet, named by the read-more line, in the casing the article uses.
    assert article.outlet == "Washington Examiner"
    # The aggregator's header date: the best date the copy offers.
    assert article.published == date(2025, 6, 2)


@pytest.mark.django_db
def test_aggregator_chrome_is_removed_in_order_with_reasons(seeded):
    assert [(r["line"], r["reason"]) for r in seeded[S004].removed] == [
        ("THE AMERICA ONE NEWS", "aggregator header"),
        ("Jun 2, 2025 \xa0|", "date → moved to published"),
        ("0", "site chrome: lone number (a counter)"),
        ("| Remer,MN", "site chrome: separator fields"),
        ("Sponsor:\xa0 QWIKET", "site chrome: sponsor line"),
        ("Sponsor:\xa0 QWIKET", "site chrome: sponsor line"),
        ("Sponsor:\xa0 QWIKET:\xa0Elevate your fantasy game! Interactive Sports Knowledge.", "site chrome: sponsor line"),
        (
            "Sponsor:\xa0 QWIKET:\xa0Elevate your fantasy game! Interactive Sports Knowledge and Reasoning Support "
            "for Fantasy Sports and Betting Enthusiasts.",
            "site chrome: sponsor line",
        ),
        ("back", "site chrome: navigation"),
        ("topic", "site chrome: navigation"),
        ("Joel Gehrke, Foreign Affairs Reporter", "byline → moved to byline"),
        ("NextImg:", "scraper marker"),
        ("ISRAEL WAR: NEARLY 200 PEOPLE HELD HOSTAGE BY TERRORIST GROUPS IN GAZA", "promo headline"),
        ("CLICK HERE TO READ MORE FROM THE WASHINGTON EXAMINER", "read-more link → outlet"),
    ]


@pytest.mark.django_db
def test_aggregator_body_has_no_chrome_left(seeded):
    body = seeded[S004].body
    chrome = ("AMERICA ONE NEWS", "Remer", "NextImg", "Foreign Affairs Reporter", "HOSTAGE", "CLICK HERE", "\n0\n")
    assert [text for text in chrome if text in body] == []
    assert "\nback\n" not in body and "\ntopic\n" not in body


@pytest.mark.django_db
@pytest.mark.parametrize("name", [S000, S001, S002, S003, S004])
def test_every_line_that_is_not_chrome_is_kept_in_order(seeded, name):
    article = seeded[name]
    removed = [r["line"] for r in article.removed]
    expected = []
    for line in cleaning.split_lines(article.raw):
        if not line or line in removed:
            continue
        prefix = next((r for r in removed if line.startswith(r)), "")
        expected.append(unicodedata.normalize("NFC", line[len(prefix) :].strip()))
    assert article.body.split("\n") == expected


@pytest.mark.django_db
def test_seed_metadata_word_counts_and_raw(seeded):
    summary = {
        name: (a.title_derived, a.published, a.byline, a.outlet, a.word_count, len(a.removed))
        for name, a in seeded.items()
    }
    assert summary == {
        S000: (True, date(2024, 4, 17), "", "", 893, 1),
        S001: (True, None, "", "", 1247, 0),
        S002: (False, None, "", "", 1049, 0),
        S003: (True, None, "", "", 321, 1),
        S004: (False, date(2025, 6, 2), "Joel Gehrke", "Washington Examiner", 1004, 14),
    }
    for name, article in seeded.items():
        assert article.raw == (SEEDS / name).read_text(encoding="utf-8")
        assert article.source_file == name


@pytest.mark.django_db
def test_bodies_are_nfc_paragraphs_separated_by_single_newlines(seeded):
    for article in seeded.values():
        assert unicodedata.is_normalized("NFC", article.body)
        assert "\n\n" not in article.body and "\r" not in article.body
        assert all(p and p == p.strip() for p in article.body.split("\n"))


@pytest.mark.django_db
def test_slugs_come_from_titles(seeded):
    assert seeded[S002].slug == (
        "lavrov-revealed-that-putin-has-been-a-lifelong-supporter-of-ironclad-security-for-israel"
    )
    assert seeded[S000].slug == "russian-strongman-vladimir-putin-praised-irans-unprecedented-300-missile-and-drone"


# --- re-importing ---------------------------------------------------------------------


@pytest.mark.django_db
def test_reimporting_identical_files_changes_nothing(seeded):
    before = {a.pk: (a.slug, a.modified) for a in Article.objects.all()}
    out, err, error = run(SEEDS)
    assert error is None and err == ""
    assert out.count("unchanged ") == 5
    assert out.strip().endswith("5 files: 0 imported, 0 updated, 5 unchanged, 0 failed")
    assert {a.pk: (a.slug, a.modified) for a in Article.objects.all()} == before


@pytest.mark.django_db
def test_changed_file_updates_the_article_in_place(tmp_path):
    path = write(tmp_path, "ferry.txt", f"Ferry Operator Halves Winter Sailings\n\n{LEDE}\n")
    run(path)
    article = Article.objects.get(source_file="ferry.txt")
    write(tmp_path, "ferry.txt", f"Ferry Operator Cuts Winter Sailings\n\n{LEDE}\n\n{SECOND}\n")
    out, _, error = run(path)
    updated = Article.objects.get(source_file="ferry.txt")
    assert error is None
    assert (updated.pk, updated.slug, updated.created) == (article.pk, article.slug, article.created)
    assert updated.title == "Ferry Operator Cuts Winter Sailings"
    assert updated.body == f"Ferry Operator Cuts Winter Sailings\n{LEDE}\n{SECOND}"
    assert updated.modified > article.modified
    assert 'updated ferry.txt → "Ferry Operator Cuts Winter Sailings" (65 words; re-anchored: no annotations)' in out
    assert Article.objects.count() == 1


@pytest.mark.django_db
def test_changed_file_reanchors_annotations_and_reports_the_counts(tmp_path):
    path = write(tmp_path, "ferry.txt", f"{LEDE}\n\n{SECOND}\n")
    run(path)
    article = Article.objects.get(source_file="ferry.txt")
    note = make_claim(make_user("reader"), article, "fuel prices")
    write(tmp_path, "ferry.txt", f"Ferry Operator Halves Winter Sailings\n\n{LEDE}\n\n{SECOND}\n")
    out, _, error = run(path)
    note.refresh_from_db()
    article.refresh_from_db()
    assert error is None
    assert "re-anchored: 1 moved" in out
    assert article.body[note.start : note.end] == "fuel prices"
    assert note.anchor == "anchored"


@pytest.mark.django_db
def test_slug_is_kept_when_a_reimport_changes_the_title(tmp_path):
    path = write(tmp_path, "ferry.txt", f"Ferry Operator Halves Winter Sailings\n\n{LEDE}\n")
    run(path)
    slug = Article.objects.get().slug
    write(tmp_path, "ferry.txt", f"Completely Different Headline Here\n\n{LEDE}\n")
    run(path)
    assert Article.objects.get().slug == slug == "ferry-operator-halves-winter-sailings"


@pytest.mark.django_db
def test_articles_with_the_same_title_get_numbered_slugs(tmp_path):
    for name in ("a.txt", "b.txt", "c.txt"):
        write(tmp_path, name, f"Ferry Operator Halves Winter Sailings\n\n{LEDE}\n")
    run(tmp_path)
    assert sorted(Article.objects.values_list("slug", flat=True)) == [
        "ferry-operator-halves-winter-sailings",
        "ferry-operator-halves-winter-sailings-2",
        "ferry-operator-halves-winter-sailings-3",
    ]


@pytest.mark.django_db
def test_force_reclean_of_identical_bytes_is_unchanged_when_cleaning_gives_the_same(seeded):
    out, _, error = run(SEEDS / S004, force=True)
    assert error is None and f"unchanged {S004}" in out


# --- bad input ------------------------------------------------------------------------


@pytest.mark.django_db
def test_empty_binary_and_undecodable_files_fail_clearly_while_good_files_import(tmp_path):
    write(tmp_path, "a_good.txt", f"{LEDE}\n\n{SECOND}\n")
    write(tmp_path, "b_empty.txt", b"")
    write(tmp_path, "c_blank.txt", b"  \n\n \r\n")
    write(tmp_path, "d_binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    write(tmp_path, "e_every_letter.txt", b"Report: " + bytes(range(0xC0, 0x100)) + b"\n")
    write(tmp_path, "f_undefined.txt", b"Caf\xc3 au lait \x81\x8d costs more")
    out, err, error = run(tmp_path)
    assert error is not None and "5 of 6" in str(error)
    assert "imported a_good.txt" in out
    assert "error b_empty.txt: file is empty" in err
    assert "error c_blank.txt: file is empty (only whitespace)" in err
    assert "error d_binary.txt: binary file (contains NUL bytes), not text" in err
    assert "error e_every_letter.txt: not valid UTF-8 (byte 0xc0 at offset 8), and its encoding cannot be told" in err
    assert "error f_undefined.txt: not valid UTF-8 (byte 0xc3 at offset 3)" in err
    assert "6 files: 1 imported, 0 updated, 0 unchanged, 5 failed" in out
    assert list(Article.objects.values_list("source_file", flat=True)) == ["a_good.txt"]


@pytest.mark.django_db
def test_text_of_control_characters_is_refused_as_binary(tmp_path):
    path = write(tmp_path, "noise.txt", bytes(range(1, 32)) * 20)
    _, err, error = run(path)
    assert error is not None
    assert "error noise.txt: binary file (mostly control characters), not text" in err


@pytest.mark.django_db
def test_windows_1252_file_is_decoded_with_a_notice(tmp_path):
    text = f"Café Owners Protest “Unfair” Rent Rises\n\n{LEDE} The café’s owner said so.\n"
    path = write(tmp_path, "cafe.txt", text.encode("cp1252"))
    out, _, error = run(path)
    article = Article.objects.get()
    assert error is None
    assert "note cafe.txt: decoded as Windows-1252" in out
    assert article.title == "Café Owners Protest “Unfair” Rent Rises"
    assert article.raw == text


LANGUAGES = DATA / "languages"


def article_text(name, **replacements):
    text = (LANGUAGES / f"{name}.txt").read_text(encoding="utf-8")
    for old, new in replacements.items():
        text = text.replace(old, new)
    return text


# Each legacy encoding lacks a few characters of the UTF-8 originals: KOI8-R has no «» or —,
# ISO-8859-8 no maqaf, and windows-1256 writes Persian with the Arabic ye and kaf, as the
# sites serving it do.
ENCODED = [
    ("russian", "cp1251", "windows-1251", "ru", {}),
    ("russian", "koi8_r", "KOI8-R", "ru", {"«": '"', "»": '"', "—": "-"}),
    ("arabic", "cp1256", "windows-1256", "ar", {}),
    ("persian", "cp1256", "windows-1256", "fa", {"ی": "ي", "ک": "ك", "\u200c": " ", "۴۵۰": "450"}),
    ("hebrew", "iso8859_8", "ISO-8859-8", "he", {"־": "-"}),
    ("hebrew", "cp1255", "windows-1255", "he", {}),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "codec", "shown", "language", "replacements"), ENCODED)
def test_legacy_encodings_of_each_language_are_read_as_their_text(tmp_path, name, codec, shown, language,
                                                                   replacements):
    text = article_text(name, **replacements)
    path = write(tmp_path, f"{name}.txt", text.encode(codec))
    out, err, error = run(path)
    assert error is None, err
    assert f"note {name}.txt: decoded as {shown} (the file is not valid UTF-8" in out
    article = Article.objects.get()
    assert article.raw == text
    assert article.body == unicodedata.normalize("NFC", text).strip()
    assert article.language == language


@pytest.mark.django_db
@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-8-sig", "utf-8"])
def test_unicode_files_are_read_whatever_their_form(tmp_path, codec):
    text = article_text("arabic")
    data = text.encode(codec)
    if codec == "utf-16-be":
        data = b"\xfe\xff" + data
    path = write(tmp_path, "arabic.txt", data)
    out, err, error = run(path)
    assert error is None, err
    assert "note" not in out
    article = Article.objects.get()
    assert (article.raw, article.language, article.title) == (text, "ar", text.split("\n", 1)[0])


@pytest.mark.django_db
def test_bytes_no_legacy_encoding_reads_as_text_are_refused_naming_the_file(tmp_path):
    # Hebrew and Russian letters in one file cannot be one single-byte encoding: any reading garbles half.
    mixed = "עיתון".encode("cp1255") + b" " + "газета".encode("koi8_r") + b" " + "газета".encode("cp1251")
    write(tmp_path, "mixed.txt", mixed + b"\n")
    write(tmp_path, "bad16.txt", b"\xff\xfe" + "ok".encode("utf-16-le") + b"\x00\xd8")
    _, err, error = run(tmp_path)
    assert error is not None
    assert "error mixed.txt: not valid UTF-8 (byte 0xf2 at offset 0), and its encoding cannot be told" in err
    assert "error bad16.txt: file starts as UTF-16 text but is not valid UTF-16" in err
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_utf8_bom_and_crlf_are_cleaned_from_body_but_raw_keeps_crlf(tmp_path):
    text = f"Ferry Operator Halves Winter Sailings\r\n\r\n{LEDE}  \r\n\r\n\r\n{SECOND}\r\n"
    write(tmp_path, "ferry.txt", b"\xef\xbb\xbf" + text.encode("utf-8"))
    run(tmp_path / "ferry.txt")
    article = Article.objects.get()
    assert article.raw == text
    assert article.body == f"Ferry Operator Halves Winter Sailings\n{LEDE}\n{SECOND}"


@pytest.mark.django_db
def test_missing_path_is_an_error_and_other_paths_still_import(tmp_path):
    good = write(tmp_path, "good.txt", f"{LEDE}\n")
    out, err, error = run(tmp_path / "nowhere", good)
    assert error is not None
    assert f"error {tmp_path / 'nowhere'}: no such file or folder" in err
    assert "2 files: 1 imported, 0 updated, 0 unchanged, 1 failed" in out
    assert Article.objects.filter(source_file="good.txt").exists()


@pytest.mark.django_db
def test_folder_import_skips_other_files_with_a_note(tmp_path):
    write(tmp_path, "story.txt", f"{LEDE}\n")
    write(tmp_path, "notes.md", "# not an article")
    out, _, error = run(tmp_path)
    assert error is None
    assert f"skipped {tmp_path / 'notes.md'} (not a .txt, .html or .htm file)" in out
    assert "1 file: 1 imported, 0 updated, 0 unchanged, 0 failed" in out


@pytest.mark.django_db
def test_files_with_the_same_name_in_different_folders_are_articles_known_by_their_paths(tmp_path):
    for folder, place in (("one", "northern"), ("two/deep", "southern")):
        (tmp_path / folder).mkdir(parents=True)
        write(tmp_path / folder, "story.txt", f"{LEDE.replace('northern', place)}\n")
    write(tmp_path, "story.txt", f"{LEDE}\n{SECOND}\n")
    out, err, error = run(tmp_path)
    assert error is None, err
    assert sorted(Article.objects.values_list("source_file", flat=True)) == [
        "one/story.txt", "story.txt", "two/deep/story.txt"
    ]
    assert "imported two/deep/story.txt →" in out
    assert "southern" in Article.objects.get(source_file="two/deep/story.txt").body
    again, _, error = run(tmp_path)
    assert error is None
    assert "3 files: 0 imported, 0 updated, 3 unchanged, 0 failed" in again


@pytest.mark.django_db
def test_a_file_named_directly_keeps_its_base_name_and_matches_the_folder_import(tmp_path):
    (tmp_path / "business").mkdir()
    path = write(tmp_path / "business", "001.txt", f"{LEDE}\n")
    run(path)
    assert Article.objects.get().source_file == "001.txt"
    out, _, _ = run(tmp_path / "business")
    assert "unchanged 001.txt" in out
    assert Article.objects.count() == 1


@pytest.mark.django_db
def test_two_folders_giving_the_same_path_in_one_run_are_refused_and_the_rest_imports(tmp_path):
    for folder in ("one", "two"):
        (tmp_path / folder).mkdir()
        write(tmp_path / folder, "story.txt", f"{LEDE}\n")
    write(tmp_path / "two", "other.txt", f"{SECOND}\n")
    _, err, error = run(tmp_path / "one", tmp_path / "two")
    assert error is not None
    assert f"error {tmp_path / 'two' / 'story.txt'}: another file in this run is also known as story.txt" in err
    assert sorted(Article.objects.values_list("source_file", flat=True)) == ["other.txt", "story.txt"]


@pytest.mark.django_db
def test_a_changed_file_in_a_subfolder_updates_its_article_and_reanchors_its_claims(tmp_path):
    (tmp_path / "world").mkdir()
    path = write(tmp_path / "world", "001.txt", f"{LEDE}\n{SECOND}\n")
    run(tmp_path)
    article = Article.objects.get(source_file="world/001.txt")
    claim = make_claim(make_user("reader"), article, "mainland hospital")
    path.write_text(f"Ferry Operator Halves Winter Sailings\n{LEDE}\n{SECOND}\n")
    out, _, error = run(tmp_path)
    assert error is None
    assert "updated world/001.txt" in out and "1 moved" in out
    claim.refresh_from_db()
    assert Article.objects.get(pk=article.pk).body[claim.start : claim.end] == "mainland hospital"


@pytest.mark.django_db
def test_an_article_stored_under_its_base_name_is_taken_over_by_its_path_not_copied(tmp_path):
    """Databases from before paths were kept hold `001.txt` for `world/001.txt`: nothing is doubled or lost."""
    (tmp_path / "world").mkdir()
    data = f"{LEDE}\n".encode()
    write(tmp_path / "world", "001.txt", data)
    old = import_bytes("001.txt", data).article
    claim = make_claim(make_user("reader"), old, "ferry operator")
    out, _, error = run(tmp_path)
    assert error is None
    assert "note world/001.txt: the article stored as 001.txt" in out
    article = Article.objects.get()
    assert (article.pk, article.source_file) == (old.pk, "world/001.txt")
    assert claim.__class__.objects.filter(pk=claim.pk, article=article).exists()
    assert "1 unchanged" in run(tmp_path)[0]


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["../escape.txt", "/etc/passwd.txt", "a//b.txt", "a/./b.txt", "folder/"])
def test_a_source_name_outside_the_folder_is_refused(name):
    with pytest.raises(ImportFailure, match="not a path inside|has no name"):
        import_bytes(name, LEDE.encode())
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_large_folder_shows_a_progress_counter(tmp_path):
    for k in range(21):
        write(tmp_path, f"story_{k:02}.txt", f"Story Number {k} Of The Day\n\n{LEDE}\n")
    out, _, error = run(tmp_path)
    assert error is None
    assert '[1/21] imported story_00.txt → "Story Number 0 Of The Day" (no date, 36 words)' in out
    assert "[21/21] imported story_20.txt" in out


# --- HTML -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_html_file_drops_script_style_and_nav_and_reads_meta_h1_and_time():
    out, _, error = run(DATA / "harbour_article.html")
    article = Article.objects.get()
    assert error is None
    assert 'imported harbour_article.html → "Harbour Council Delays Vote on Dredging Plan" (2024-03-05' in out
    assert article.title == "Harbour Council Delays Vote on Dredging Plan" and article.title_derived is False
    assert article.published == date(2024, 3, 5)
    assert (article.byline, article.outlet) == ("Maria Ortega", "The Coastal Ledger")
    assert article.url == "https://ledger.example/news/harbour-dredging-vote"
    assert article.body.split("\n") == [
        "Harbour Council Delays Vote on Dredging Plan",
        "The harbour council postponed its vote on the dredging plan on Tuesday after fishermen packed the "
        "public gallery and asked for an independent study of the silt levels.",
        "Councillor Ana Reyes said the delay would cost €40,000 a month, a figure the fishermen’s association "
        "called “invented to rush the decision.”",
        "The vote is now expected in April.",
    ]
    for chrome in ("tracker", "font-family", "injected advert", "Sport", "Related stories", "All rights reserved"):
        assert chrome not in article.body
    assert {"line": "Home | News | Sport", "reason": "site chrome: <nav> element"} in article.removed
    assert article.raw.startswith("<!DOCTYPE html>")


def test_html_without_h1_uses_the_page_title_without_the_site_name():
    page = (
        "<html><head><title>Ferry Operator Halves Winter Sailings – Coast News</title>"
        '<meta property="og:site_name" content="Coast News"></head>'
        f"<body><p>{LEDE}</p></body></html>"
    )
    cleaned = cleaning.clean_html(page)
    assert cleaned.title == "Ferry Operator Halves Winter Sailings" and not cleaned.title_derived
    assert cleaned.body == f"Ferry Operator Halves Winter Sailings\n{LEDE}"


# --- the rules, one by one ------------------------------------------------------------


def test_a_long_sentence_line_is_never_chrome_even_with_chrome_words():
    line = (
        "Readers who click here to subscribe are told to log in to comment, the advertisement "
        "regulator said in a ruling on Tuesday."
    )
    cleaned = cleaning.clean_text(f"{LEDE}\n{line}\n{SECOND}")
    assert cleaned.body.split("\n") == [LEDE, line, SECOND]
    assert cleaned.removed == []


def test_all_caps_subhead_of_few_words_between_paragraphs_is_kept():
    cleaned = cleaning.clean_text(f"{LEDE}\nWHAT COMES NEXT\n{SECOND}")
    assert cleaned.body.split("\n")[1] == "WHAT COMES NEXT"


@pytest.mark.parametrize(
    "line, name",
    [
        ("By Maria Ortega", "Maria Ortega"),
        ("BY MARIA ORTEGA | Coast News", "Maria Ortega"),
        ("By Maria Ortega and Tom de la Cruz", "Maria Ortega and Tom de la Cruz"),
        ("Maria Ortega, Staff Writer", "Maria Ortega"),
        ("By Maria Ortega, Coast News", "Maria Ortega"),
        ("By contrast, the council waited", ""),
        ("Harbour Council, Local Government", ""),
    ],
)
def test_byline_forms(line, name):
    assert cleaning.byline_from(line) == name


@pytest.mark.parametrize(
    "line, day",
    [
        ("Jun 2, 2025", date(2025, 6, 2)),
        ("Published: June 2nd, 2025 at 10:45 am EST", date(2025, 6, 2)),
        ("Monday, 2 June 2025", date(2025, 6, 2)),
        ("2025-06-02T08:00:00Z", date(2025, 6, 2)),
        ("Updated 2025-02-30", None),
        ("Jun 2, 2025 the council met", None),
    ],
)
def test_date_lines(line, day):
    assert cleaning.date_line(line) == day


def test_a_date_followed_by_a_comma_belongs_to_the_sentence():
    cleaned = cleaning.clean_text(f"June 2, 2025, was the day the ferry stopped. {LEDE}")
    assert cleaned.published is None
    assert cleaned.body.startswith("June 2, 2025, was the day")


def test_outlet_from_originally_appeared_line():
    cleaned = cleaning.clean_text(f"{LEDE}\n{SECOND}\nThis article originally appeared in The Island Courier.")
    assert cleaned.outlet == "Island Courier"
    assert cleaned.removed == [
        {"line": "This article originally appeared in The Island Courier.", "reason": "read-more link → outlet"}
    ]


def test_derived_title_skips_abbreviations_and_stays_whole_when_short():
    assert cleaning.derive_title("Mr. Smith went to Washington. He stayed.") == "Mr. Smith went to Washington"
    assert cleaning.derive_title("U.S. officials met. Then left.") == "U.S. officials met"


def test_plain_text_headline_above_byline_and_date_lines():
    cleaned = cleaning.clean_text(f"Ferry Operator Halves Winter Sailings\nBy Maria Ortega\nJune 2, 2025\n\n{LEDE}\n")
    assert (cleaned.title, cleaned.title_derived) == ("Ferry Operator Halves Winter Sailings", False)
    assert (cleaned.byline, cleaned.published) == ("Maria Ortega", date(2025, 6, 2))
    assert cleaned.body == f"Ferry Operator Halves Winter Sailings\n{LEDE}"


def test_derived_title_keeps_closing_quotes_and_question_marks():
    assert cleaning.derive_title("“Is this the end?” he asked. Nobody knew.") == "“Is this the end?” he asked"
    assert cleaning.derive_title("Who pays? Nobody knows.") == "Who pays?"


def test_html_with_unclosed_head_still_yields_the_text():
    page = f"<html><head><title>Ferry Operator Halves Winter Sailings</title><body><p>{LEDE}</p><p>{SECOND}</p>"
    assert cleaning.clean_html(page).body.split("\n")[1:] == [LEDE, SECOND]


def test_headline_is_not_found_where_text_comes_first():
    cleaned = cleaning.clean_text(f"{LEDE}\nA Short Title Case Line Here\n{SECOND}")
    assert cleaned.title_derived
    assert cleaned.body.split("\n")[1] == "A Short Title Case Line Here"


def test_only_chrome_is_not_an_article():
    with pytest.raises(cleaning.NotArticleText, match="no article text left"):
        cleaning.clean_text("Sponsor: Acme\nback\n0\n")


# --- the service ----------------------------------------------------------------------


@pytest.mark.django_db
def test_analysis_saves_nothing_and_overrides_apply_when_saving():
    data = f"{LEDE}\n\n{SECOND}\n".encode()
    analysis = analyse("upload.txt", data)
    assert analysis.cleaned.title_derived and Article.objects.count() == 0
    result = import_bytes("upload.txt", data, overrides={"title": "Ferry Cuts", "published": "2024-11-02"})
    article = result.article
    assert result.status == "imported"
    assert (article.title, article.title_derived, article.published) == ("Ferry Cuts", True, date(2024, 11, 2))


@pytest.mark.django_db
def test_bad_overrides_are_refused_before_anything_is_saved():
    with pytest.raises(ImportFailure, match="YYYY-MM-DD"):
        import_bytes("upload.txt", LEDE.encode(), overrides={"published": "yesterday"})
    with pytest.raises(ImportFailure, match="cannot be set by hand"):
        import_bytes("upload.txt", LEDE.encode(), overrides={"body": "x"})
    assert Article.objects.count() == 0
