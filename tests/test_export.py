"""Exporting annotations: spreadsheet-safe CSV, W3C JSON-LD, who may download what, and a
round trip through import that gives back the same bytes."""

import csv
import io
import json
from datetime import timezone
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import example, given
from hypothesis import strategies as st

from annotator import csvstream
from annotator.annotations import exports
from annotator.annotations.models import Anchor, Annotation, Link
from annotator.corpus.models import Article

from .factories import (
    FORMULA_NOTES,
    client_for,
    make_article,
    make_claim,
    make_class,
    make_exercise,
    make_teacher,
    make_user,
    words,
)

DOCS = Path(__file__).resolve().parent.parent / "docs" / "export.md"


def iso(moment):
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def orphan(annotation):
    """Make `annotation` an orphan whose quote no longer matches its offsets, as after a re-import."""
    Annotation.objects.filter(pk=annotation.pk).update(anchor=Anchor.ORPHANED, exact="text that went away")


def export_text(what="annotations", fmt="csv", **options):
    out = io.StringIO()
    call_command("export_annotations", format=fmt, what=what, stdout=out, **options)
    return out.getvalue()


def rows(text):
    return list(csv.DictReader(io.StringIO(text, newline="")))


# Spreadsheet safety

# Starts that a spreadsheet also runs, or that break a cell: white space before a formula
# character, a line break first, and the full-width formula characters.
HIDDEN_FORMULA_NOTES = ["\n=1+1", "\nafter a line feed", "\r\n@SUM(A1)", " =1+1", "   -2", "\u3000+1", "\xa0@A1",
                        "＝1+1", "＋1", "－2", "＠SUM(A1:A2)", " ＝HYPERLINK(\"x\")"]


def runs_as_formula(cell):
    """Whether a spreadsheet may run `cell` or break it: a formula character first (ASCII or
    full-width), white space aside, or a tab or line break first."""
    return cell[:1] in set("\t\r\n") or cell.lstrip()[:1] in set("=+-@＝＋－＠")


formula_like = st.text(alphabet=st.sampled_from(" \t\r\n\u3000\xa0'=+-@＝＋－＠a1"))


@given(st.text() | formula_like)
@example("")
@example("'")
@example("'=1")
@example(" '=1")
def test_unescaping_an_escaped_cell_gives_back_every_string(text):
    assert csvstream.unescape_cell(csvstream.escape_cell(text)) == text


@given(st.text() | formula_like)
@example(" =1")
@example("\n=1")
@example("＝1")
def test_an_escaped_cell_never_runs_as_a_formula(text):
    assert not runs_as_formula(csvstream.escape_cell(text))


@given(st.text(alphabet=st.characters(blacklist_characters="=+-@＝＋－＠\t\r\n'"), min_size=1))
def test_ordinary_text_is_not_escaped(text):
    assert csvstream.escape_cell(text) == text


@pytest.mark.parametrize("text", [" leading space", "\u3000ideographic space", "a = b", "x-ray", "mail@example.com",
                                  "５＋５", "\u200b=1"])
def test_formula_characters_after_other_text_are_left_alone(text):
    assert csvstream.escape_cell(text) == text


@pytest.mark.parametrize("text", FORMULA_NOTES + HIDDEN_FORMULA_NOTES)
def test_formula_starts_and_apostrophes_get_one_more_apostrophe(text):
    assert csvstream.escape_cell(text) == "'" + text


def test_no_cell_of_either_csv_starts_like_a_formula(corpus):
    for what, model in (("annotations", Annotation), ("links", Link)):
        table = list(csv.reader(io.StringIO(export_text(what), newline="")))
        assert len(table) == 1 + model.objects.count()  # the header and a row for each
        for row in table:
            assert not any(runs_as_formula(cell) for cell in row), row


def test_formula_looking_notes_and_sources_read_back_exactly_after_unescaping(corpus):
    by_id = {int(row["id"]): row for row in rows(export_text())}
    formula, tricky = by_id[corpus["formula"].pk], by_id[corpus["tricky"].pk]
    assert formula["note"] == "'" + FORMULA_NOTES[0]
    assert csvstream.unescape_cell(formula["source"]) == "@SUM"
    assert csvstream.unescape_cell(tricky["note"]) == "\n".join(FORMULA_NOTES)
    links = rows(export_text("links"))
    assert [csvstream.unescape_cell(row["note"]) for row in links][0] == "+contradiction"


def test_hidden_formula_starts_are_escaped_in_the_file_and_come_back_exactly_through_import(corpus, tmp_path):
    alice, first = corpus["formula"].author, corpus["first"]
    made = {make_claim(alice, first, words(first, 100 + 2 * n, 2), note=text, source=text).pk: text
            for n, text in enumerate(HIDDEN_FORMULA_NOTES)}
    written = {int(row["id"]): row for row in rows(export_text())}
    assert [(written[pk]["note"], written[pk]["source"]) for pk in made] == [
        ("'" + text, "'" + text) for text in made.values()]
    before = export_files(tmp_path)
    empty_database()
    for name in ("annotations.csv", "links.csv"):
        call_command("import_annotations", str(tmp_path / name), verbosity=0)
    assert dict(Annotation.objects.filter(pk__in=made).values_list("pk", "note")) == made
    assert dict(Annotation.objects.filter(pk__in=made).values_list("pk", "source")) == made
    (tmp_path / "again").mkdir()
    assert export_files(tmp_path / "again") == before


def test_replies_and_exercise_results_are_escaped_by_the_same_rule(corpus, people, tmp_path):
    from annotator.discussion import exports as reply_exports
    from annotator.discussion import services as discussion

    bob, alice = people["bob"], people["alice"]
    discussion.create_reply(bob, corpus["multiline"].pk, {"text": " =1+1"})
    replies = rows("".join(reply_exports.replies_csv(bob, reply_exports.export_queryset(bob))))
    assert [row["text"] for row in replies] == ["' =1+1"]

    fares = make_article("fares", "Fares\nThe fare rose by ＋5 dollars, a rise of -3 points.")
    teacher = make_teacher("teach")
    exercise = make_exercise(make_class(teacher, [alice], name="7B"), [fares], title="Fares")
    for text in ("＋5 dollars", " -3 points"):
        make_claim(teacher, fares, text, "disputed", exercise=exercise, key=True)
    response = client_for(teacher).get(f"/exercises/{exercise.pk}/results.csv")
    results = rows(b"".join(response.streaming_content).decode())
    assert [row["key_quote"] for row in results if row["row"] == "claim"] == ["'＋5 dollars", "' -3 points"]


# The CSV files


def test_annotations_csv_has_the_documented_columns_in_order(corpus):
    header = next(csv.reader(io.StringIO(export_text())))
    assert tuple(header) == exports.ANNOTATION_COLUMNS
    assert ",".join(exports.ANNOTATION_COLUMNS) in DOCS.read_text()
    assert ", ".join(exports.ANNOTATION_COLUMNS) in " ".join(exports.__doc__.split())


def test_links_csv_has_the_documented_columns_in_order(corpus):
    header = next(csv.reader(io.StringIO(export_text("links"))))
    assert tuple(header) == exports.LINK_COLUMNS
    assert ",".join(exports.LINK_COLUMNS) in DOCS.read_text()
    assert ", ".join(exports.LINK_COLUMNS) in " ".join(exports.__doc__.split())


def test_one_row_per_claim_in_id_order_with_numbers_and_quote_as_stored(corpus):
    exported = rows(export_text())
    claims = Annotation.objects.order_by("id")
    assert [int(row["id"]) for row in exported] == [c.pk for c in claims]
    first = exported[0]
    stored = claims[0]
    assert (first["article"], first["article_title"], first["author"]) == (
        stored.article.slug, stored.article.title, "alice")
    assert (int(first["start"]), int(first["end"]), first["quote"]) == (stored.start, stored.end, stored.exact)
    assert (first["prefix"], first["suffix"]) == (stored.prefix, stored.suffix)
    assert (first["visibility"], first["exercise"], first["anchor"]) == ("private", "", "anchored")


def test_multiline_notes_commas_quotes_and_emoji_come_through_csv_unchanged(corpus):
    row = next(r for r in rows(export_text()) if int(r["id"]) == corpus["multiline"].pk)
    assert row["note"] == 'Line one, with a comma\nline "two" — “curly” 😀\r\nthird'
    assert csvstream.unescape_cell(row["source"]) == "-Reuters"


@pytest.mark.parametrize("stored, written", [
    ("2026-01-02T03:04:05+00:00", "2026-01-02T03:04:05.000000Z"),
    ("2026-01-02T03:04:05.000007+00:00", "2026-01-02T03:04:05.000007Z"),
    ("2026-01-02T00:30:00.5-03:00", "2026-01-02T03:30:00.500000Z"),
])
def test_timestamps_are_utc_iso_8601_with_microseconds(corpus, stored, written):
    Annotation.objects.filter(pk=corpus["bob"].pk).update(modified=stored)
    row = next(r for r in rows(export_text()) if int(r["id"]) == corpus["bob"].pk)
    assert row["modified"] == written
    assert row["created"] == iso(corpus["bob"].created)
    assert row["created"].endswith("Z") and len(row["created"]) == len("2026-01-02T03:04:05.000000Z")


def test_links_column_summarises_each_link_on_its_own_line(corpus):
    row = next(r for r in rows(export_text()) if int(r["id"]) == corpus["formula"].pk)
    second = corpus["second"]
    assert "\n" in words(second, 12)  # a passage across paragraphs is still one line of the summary
    assert row["links"].split("\n") == [
        f"contradicts: {second.title} — “{' '.join(words(second, 12).split())}”",
        f"corroborates: {second.title} — “{words(second, 40)}”",
    ]


def test_links_csv_has_one_row_per_link(corpus):
    exported = rows(export_text("links"))
    assert [int(row["id"]) for row in exported] == list(Link.objects.order_by("id").values_list("id", flat=True))
    row = exported[0]
    assert (int(row["from"]), row["relation"], row["to_article"], csvstream.unescape_cell(row["to_quote"])) == (
        corpus["formula"].pk, "contradicts", corpus["second"].slug, words(corpus["second"], 12))
    assert (row["to_anchor"], row["author"]) == ("anchored", "alice")


def test_bom_is_written_only_when_asked(corpus):
    assert not export_text().startswith("\ufeff")
    assert export_text(bom=True).startswith("\ufeffid,article,")
    assert export_text("links", bom=True).startswith("\ufeffid,from,")


def test_export_reads_the_links_of_each_batch_in_one_query(corpus, monkeypatch):
    def queries():
        with CaptureQueriesContext(connection) as context:
            for _ in exports.export(Annotation.objects.all()):
                pass
        return len(context.captured_queries)

    monkeypatch.setattr(exports, "BATCH", 2)
    few = queries()
    for n in range(6):
        make_claim(corpus["bob"].author, corpus["second"], words(corpus["second"], 60 + n))
    # Three more batches of two claims: one query for their links each, plus the claims'
    # own fetch, which iterator() makes in chunks of the same size.
    assert queries() <= few + 6


# JSON-LD


def jsonld(**options):
    return json.loads(export_text(fmt="jsonld", **options))


def textual(purpose, value):
    return {"type": "TextualBody", "purpose": purpose, "value": value, "format": "text/plain"}


def test_jsonld_is_an_annotation_collection_with_each_claim_then_its_links(corpus):
    document = jsonld()
    assert document["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert document["type"] == "AnnotationCollection"
    items = document["first"]["items"]
    assert document["first"]["type"] == "AnnotationPage" and document["total"] == len(items)
    assert [item["id"] for item in items[:3]] == [
        f"urn:annotator:annotation:{corpus['formula'].pk}", f"urn:annotator:link:{corpus['link'].pk}",
        f"urn:annotator:link:{corpus['link2'].pk}"]
    assert len(items) == Annotation.objects.count() + Link.objects.count()


def test_a_claim_is_a_tagging_annotation_with_position_and_quote_selectors(corpus):
    stored = corpus["formula"]
    item = next(i for i in jsonld()["first"]["items"] if i["id"] == f"urn:annotator:annotation:{stored.pk}")
    assert (item["type"], item["motivation"]) == ("Annotation", "tagging")
    assert item["body"] == [
        textual("tagging", "attributed"), textual("identifying", "@SUM"), textual("commenting", FORMULA_NOTES[0]),
    ]
    assert item["target"]["source"] == f"urn:annotator:article:{stored.article.slug}"
    assert item["target"]["selector"] == [
        {"type": "TextPositionSelector", "start": stored.start, "end": stored.end},
        {"type": "TextQuoteSelector", "exact": stored.exact, "prefix": stored.prefix, "suffix": stored.suffix},
    ]
    assert item["creator"]["nickname"] == "alice"
    assert (item["created"], item["modified"]) == (iso(stored.created), iso(stored.modified))
    assert item["audience"]["schema:audienceType"] == "private"


def test_a_link_is_a_linking_annotation_whose_body_is_the_linked_passage(corpus):
    stored = corpus["link"]
    item = next(i for i in jsonld()["first"]["items"] if i["id"] == f"urn:annotator:link:{stored.pk}")
    assert (item["motivation"], item["target"]) == ("linking", f"urn:annotator:annotation:{corpus['formula'].pk}")
    relation, note, passage = item["body"]
    assert (relation["purpose"], relation["value"]) == ("classifying", "contradicts")
    assert (note["purpose"], note["value"]) == ("commenting", "+contradiction")
    assert passage["type"] == "SpecificResource"
    assert passage["source"] == f"urn:annotator:article:{corpus['second'].slug}"
    assert passage["selector"][0] == {"type": "TextPositionSelector", "start": stored.to_start, "end": stored.to_end}
    assert passage["selector"][1]["exact"] == stored.to_exact


# Round trip: export, empty the database but for the articles, import, export again


def export_files(directory):
    files = {"annotations.csv": {}, "links.csv": {"what": "links"}, "annotations.jsonld": {"fmt": "jsonld"}}
    for name, options in files.items():
        call_command("export_annotations", format=options.get("fmt", "csv"), what=options.get("what", "annotations"),
                     output=str(directory / name))
    return {name: (directory / name).read_bytes() for name in files}


def empty_database():
    Link.objects.all().delete()
    Annotation.objects.all().delete()
    get_user_model().objects.all().delete()


def test_export_import_export_gives_the_same_bytes_for_csv_and_jsonld(corpus, tmp_path):
    orphan(corpus["tricky"])
    # The passage bob linked to went away, as after a re-import of its article.
    Link.objects.filter(pk=corpus["bob_link"].pk).update(to_anchor=Anchor.ORPHANED, to_exact="gone")
    before = export_files(tmp_path)

    empty_database()
    call_command("import_annotations", str(tmp_path / "annotations.csv"), verbosity=0)
    call_command("import_annotations", str(tmp_path / "links.csv"), verbosity=0)
    (tmp_path / "again").mkdir()
    assert export_files(tmp_path / "again") == before

    empty_database()
    call_command("import_annotations", str(tmp_path / "annotations.jsonld"), verbosity=0)
    (tmp_path / "from-jsonld").mkdir()
    assert export_files(tmp_path / "from-jsonld") == before


def test_imported_authors_are_inactive_without_a_usable_password(corpus, tmp_path):
    export_files(tmp_path)
    empty_database()
    call_command("import_annotations", str(tmp_path / "annotations.csv"), verbosity=0)
    users = get_user_model().objects.order_by("username")
    assert [u.username for u in users] == ["alice", "bob"]
    assert not any(u.is_active or u.has_usable_password() for u in users)


def test_new_claims_after_an_import_get_fresh_ids(corpus, tmp_path):
    export_files(tmp_path)
    ids = list(Annotation.objects.order_by("id").values_list("id", flat=True))
    empty_database()
    call_command("import_annotations", str(tmp_path / "annotations.jsonld"), verbosity=0)
    # The claims came back under their own ids, the highest included, so a fresh id must pass them.
    assert list(Annotation.objects.order_by("id").values_list("id", flat=True)) == ids
    writer = make_user("carol")
    assert make_claim(writer, corpus["first"], words(corpus["first"], 70)).pk > ids[-1]


def test_exercise_work_and_answer_keys_round_trip_with_their_explanation(corpus, people, tmp_path):
    teacher = people["staff"]
    exercise = make_exercise(make_class(teacher, name="7B"), [corpus["first"]], title="Bridge")
    key = make_claim(teacher, corpus["first"], words(corpus["first"], 80), note="key", exercise=exercise,
                     explanation="=A1, says who?", key=True)
    row = next(r for r in rows(export_text()) if int(r["id"]) == key.pk)
    assert (row["exercise"], row["is_key"], row["explanation"]) == (str(exercise.pk), "1", "'=A1, says who?")
    item = next(i for i in jsonld()["first"]["items"] if i["id"] == f"urn:annotator:annotation:{key.pk}")
    assert item["schema:isPartOf"] == f"urn:annotator:exercise:{exercise.pk}"
    assert item["schema:educationalUse"] == "answer key"
    assert textual("describing", "=A1, says who?") in item["body"]
    before = export_files(tmp_path)
    Annotation.objects.all().delete()
    for name in ("annotations.csv", "links.csv"):
        call_command("import_annotations", str(tmp_path / name), verbosity=0)
    (tmp_path / "again").mkdir()
    assert export_files(tmp_path / "again") == before
    Annotation.objects.all().delete()
    call_command("import_annotations", str(tmp_path / "annotations.jsonld"), verbosity=0)
    assert export_files(tmp_path / "again") == before
    assert list(exports.export_queryset(None, everything=True).filter(exercise=exercise)) == [key]


# The command


def test_command_exports_every_claim_and_can_narrow_to_one_article(corpus):
    assert len(rows(export_text())) == Annotation.objects.count()
    only = rows(export_text(article=corpus["second"].slug))
    assert {row["article"] for row in only} == {corpus["second"].slug}
    assert len(only) == Annotation.objects.filter(article=corpus["second"]).count()


def test_command_narrows_to_one_exercise(corpus, people):
    exercise = make_exercise(make_class(people["staff"], [people["bob"]], name="7B"), [corpus["first"]], title="E")
    work = make_claim(people["bob"], corpus["first"], words(corpus["first"], 60), exercise=exercise)
    assert [int(row["id"]) for row in rows(export_text(exercise=exercise.pk))] == [work.pk]


def test_command_refuses_an_unknown_article_or_exercise(corpus):
    with pytest.raises(CommandError, match="No article with slug 'nope'"):
        export_text(article="nope")
    with pytest.raises(CommandError, match="no exercise with id 7"):
        export_text(exercise=7)


def test_command_refuses_links_only_jsonld(corpus):
    with pytest.raises(CommandError, match="JSON-LD puts the links beside their claims"):
        export_text("links", fmt="jsonld")


# Downloads over HTTP


def download(client, url):
    response = client.get(url)
    body = b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()
    return response, body


def ids_in(body, fmt="csv"):
    if fmt == "jsonld":
        return {item["id"] for item in json.loads(body)["first"]["items"]}
    return {int(row["id"]) for row in rows(body)}


def test_signed_in_download_is_your_own_claims_streamed_as_an_attachment(corpus, client):
    client.force_login(corpus["bob"].author)
    response, body = download(client, "/export/annotations.csv")
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="annotations.csv"'
    assert ids_in(body) == {corpus["bob"].pk, corpus["bob_public"].pk}


def test_another_users_private_claims_and_links_never_appear_in_a_download(corpus, client, people):
    client.force_login(people["alice"])
    private = {corpus["bob"].pk}
    for query in ("", "?mine=1", f"?article={corpus['first'].slug}", f"?article={corpus['second'].slug}"):
        _, body = download(client, f"/export/annotations.csv{query}")
        assert not ids_in(body) & private, query
        _, body = download(client, f"/export/links.csv{query}")
        assert corpus["bob_link"].pk not in ids_in(body), query
        _, body = download(client, f"/export/annotations.jsonld{query}")
        assert f"urn:annotator:annotation:{corpus['bob'].pk}" not in ids_in(body, "jsonld"), query
        assert f"urn:annotator:link:{corpus['bob_link'].pk}" not in ids_in(body, "jsonld"), query


def test_an_article_download_has_every_claim_you_may_read_there(corpus, client):
    client.force_login(corpus["formula"].author)
    _, body = download(client, f"/export/annotations.csv?article={corpus['second'].slug}")
    assert ids_in(body) == {corpus["tricky"].pk, corpus["bob_public"].pk}


def test_anonymous_download_has_only_public_claims(corpus, client):
    _, body = download(client, "/export/annotations.csv")
    assert ids_in(body) == {corpus["multiline"].pk, corpus["bob_public"].pk}
    response, _ = download(client, "/export/annotations.csv?mine=1")
    assert response.status_code == 401


def test_everything_is_for_staff_only(corpus, client, people):
    assert client.get("/export/annotations.csv?all=1").status_code == 401
    client.force_login(people["alice"])
    response = client.get("/export/links.csv?all=1")
    assert response.status_code == 403 and response.json()["field"] == "all"
    client.force_login(people["staff"])
    response, body = download(client, "/export/annotations.csv?all=1")
    assert response.status_code == 200
    assert ids_in(body) == set(Annotation.objects.values_list("id", flat=True))
    assert response["Content-Disposition"] == 'attachment; filename="annotations-all.csv"'


def test_download_options_match_the_command(corpus, client, people):
    client.force_login(people["staff"])
    for query, options in (("?all=1&bom=1", {"bom": True}),
                           (f"?all=1&article={corpus['first'].slug}", {"article": corpus["first"].slug})):
        _, body = download(client, f"/export/annotations.csv{query}")
        assert body == export_text(**options)
        _, body = download(client, f"/export/links.csv{query}")
        assert body == export_text("links", **options)
        _, body = download(client, f"/export/annotations.jsonld{query}")
        assert body == export_text(fmt="jsonld", **{k: v for k, v in options.items() if k != "bom"})


def test_jsonld_download_is_served_as_web_annotation_json_ld(corpus, client):
    client.force_login(corpus["formula"].author)
    response, body = download(client, "/export/annotations.jsonld")
    assert response["Content-Type"] == 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'
    assert json.loads(body)["total"] == 5  # alice's three claims and two links


def test_unknown_article_and_other_methods_are_refused(corpus, client):
    response = client.get("/export/annotations.csv?article=nope")
    assert response.status_code == 404 and response.json()["field"] == "article"
    client.force_login(corpus["formula"].author)
    assert client.post("/export/annotations.csv").status_code == 405


# The "My annotations" page


def test_my_annotations_page_needs_sign_in(db, client):
    response = client.get("/my/annotations/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_my_annotations_page_pages_a_hundred_claims_at_a_time_newest_first(corpus, client):
    from annotator.annotations import export_views

    first = Article.objects.get(slug="bridge-reopens")
    for n in range(export_views.PAGE_SIZE):
        # A hundred different spans: the same claim twice is refused.
        make_claim(corpus["bob"].author, first, words(first, n % 50 + 1, count=n // 50 + 5), note=f"bulk {n}")
    client.force_login(corpus["bob"].author)
    page = client.get("/my/annotations/").content.decode()
    assert page.count('class="card ') == export_views.PAGE_SIZE and "bulk 99" in page
    assert "Page 1 of 2" in page and 'href="?page=2">Older →' in page and "← Newer" not in page
    older = client.get("/my/annotations/?page=2").content.decode()
    assert older.count('class="card ') == 2 and "bob&#x27;s private thoughts" in older
    assert "Page 2 of 2" in older and 'href="?page=1">← Newer' in older


def test_my_annotations_page_lists_only_my_claims_with_the_three_downloads(corpus, client):
    client.force_login(corpus["bob"].author)
    page = client.get("/my/annotations/").content.decode()
    assert page.count('class="card ') == 2
    assert "bob&#x27;s private thoughts" in page and "bob in public" in page
    assert "+contradiction" not in page
    for url in ("/export/annotations.csv", "/export/links.csv", "/export/annotations.jsonld"):
        assert url in page
    assert "2 claims" in page and "1 link " in page
