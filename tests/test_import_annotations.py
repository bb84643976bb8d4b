"""Importing exported annotations: every problem reported with its row before anything is
written, re-anchoring by quote, idempotence."""

import csv
import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from annotator.annotations import exports
from annotator.annotations.imports import plan_import
from annotator.annotations.models import Annotation, Link

from .test_export import corpus, export_text, people  # noqa: F401 (fixtures)


def snapshot():
    """Everything an import could change."""
    User = get_user_model()
    return (list(Annotation.objects.order_by("id").values()), list(Link.objects.order_by("id").values()),
            list(User.objects.order_by("id").values_list("username", "is_active")))


def run_import(path, *options):
    """(exit ok, stdout, stderr) of import_annotations."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_annotations", str(path), *options, stdout=out, stderr=err)
    except CommandError as exc:
        return False, out.getvalue(), err.getvalue() + str(exc)
    return True, out.getvalue(), err.getvalue()


def write(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return path


def edited(text, changes):
    """The CSV `text` with cells replaced: {(data row index, column): value}; a column mapped
    to None in `changes` under key (None, column) is removed."""
    table = list(csv.reader(io.StringIO(text, newline="")))
    header = table[0]
    for (index, column), value in changes.items():
        if index is None:
            at = header.index(column)
            table = [row[:at] + row[at + 1 :] for row in table]
            header = table[0]
        else:
            table[index + 1][header.index(column)] = value
    out = io.StringIO()
    csv.writer(out).writerows(table)
    return out.getvalue()


@pytest.fixture
def emptied(corpus, tmp_path):
    """The three export files of `corpus`, and a database with the articles only."""
    files = {
        "annotations": write(tmp_path, "annotations.csv", export_text(bom=True)),
        "links": write(tmp_path, "links.csv", export_text("links")),
        "jsonld": write(tmp_path, "annotations.jsonld", export_text(fmt="jsonld")),
    }
    Link.objects.all().delete()
    Annotation.objects.all().delete()
    get_user_model().objects.all().delete()
    return files


# Problems are reported, all of them, and nothing is written


def assert_refused(tmp_path, name, content, *expected):
    before = snapshot()
    ok, _, errors = run_import(write(tmp_path, name, content))
    assert not ok
    for message in expected:
        assert message in errors, errors
    assert "nothing was imported" in errors
    assert snapshot() == before
    return errors


def test_a_missing_column_is_reported_against_the_header(emptied, tmp_path):
    text = emptied["annotations"].read_text(encoding="utf-8-sig")
    assert_refused(tmp_path, "bad.csv", edited(text, {(None, "note"): None, (None, "start"): None}),
                   "row 1: missing columns: start, note")


def test_every_bad_row_is_reported_with_its_row_number(emptied, tmp_path):
    text = emptied["annotations"].read_text(encoding="utf-8-sig")
    errors = assert_refused(tmp_path, "bad.csv", edited(text, {
        (0, "label"): "opinion",
        (1, "start"): "-3",
        (2, "article"): "no-such-article",
        (3, "end"): "5", (3, "start"): "9",
        (4, "created"): "yesterday",
    }), "row 2: label must be one of attributed, editorialized, disputed, not 'opinion'",
        "row 3: start must be a whole number",
        "row 4: article: no article with slug 'no-such-article'",
        "row 5: start (9) must be less than end (5)",
        "row 6: created must be an ISO 8601 time")
    assert "5 problems" in errors


def test_a_quote_found_neither_at_its_offsets_nor_elsewhere_is_a_problem(emptied, tmp_path):
    text = emptied["annotations"].read_text(encoding="utf-8-sig")
    assert_refused(tmp_path, "bad.csv", edited(text, {(1, "quote"): "words that are in no article"}),
                   "row 3: quote 'words that are in no article' does not match")


def test_a_links_file_needs_its_claims(emptied, tmp_path):
    assert_refused(tmp_path, "links.csv", emptied["links"].read_bytes(), "row 2: from: no annotation")


def test_a_link_into_its_own_claims_article_is_a_problem(emptied, corpus, tmp_path):
    run_import(emptied["annotations"])
    text = edited(emptied["links"].read_text(), {(0, "to_article"): corpus["first"].slug})
    assert_refused(tmp_path, "links.csv", text, "row 2: to_article: a link must point to a different article")


def test_non_utf8_and_empty_files_are_refused_clearly(db, tmp_path):
    assert_refused(tmp_path, "latin1.csv", "id,article\n1,café\n".encode("latin-1"),
                   "line 2: the file is not UTF-8 text (byte 0xe9")
    assert_refused(tmp_path, "empty.csv", b"", "file: the file is empty")
    assert_refused(tmp_path, "blank.csv", b"\xef\xbb\xbf \r\n", "file: the file is empty")


def test_a_row_with_too_few_cells_is_a_problem(emptied, tmp_path):
    text = emptied["annotations"].read_text(encoding="utf-8-sig") + "42,only-two\r\n"
    assert_refused(tmp_path, "short.csv", text, "2 cells where the header has 20")


def test_an_existing_id_with_different_content_is_never_overwritten(emptied, tmp_path):
    run_import(emptied["annotations"])
    text = emptied["annotations"].read_text(encoding="utf-8-sig")
    assert_refused(tmp_path, "changed.csv", edited(text, {(0, "note"): "changed", (0, "label"): "disputed"}),
                   "row 2: annotation", "already exists with a different label, note")


def test_malformed_jsonld_is_reported_per_item(emptied, tmp_path):
    assert_refused(tmp_path, "broken.jsonld", '{"type": "AnnotationCollection", "first": {', "line 1: not valid JSON")
    document = json.loads(emptied["jsonld"].read_text())
    items = document["first"]["items"]
    items[0]["motivation"] = "bookmarking"
    items[2]["body"][0]["value"] = "sideways"
    del items[3]["target"]["selector"][1]
    assert_refused(tmp_path, "bad.jsonld", json.dumps(document),
                   "item 1 (urn:annotator:annotation:", "motivation must be",
                   "item 3 (urn:annotator:link:", "relation must be one of corroborates, contradicts, not 'sideways'",
                   "item 4 (urn:annotator:annotation:", "target needs a TextPositionSelector and a TextQuoteSelector")


# What an import does


def test_dry_run_shows_what_would_be_created_and_writes_nothing(emptied):
    before = snapshot()
    ok, out, _ = run_import(emptied["annotations"], "--dry-run", "--verbosity", "2")
    assert ok
    assert "would create 2 inactive account(s): alice, bob" in out
    assert "5 to create, 0 unchanged" in out and "dry run, nothing written" in out
    assert out.count("would create annotation") == 5
    assert snapshot() == before


def test_importing_the_same_files_twice_creates_nothing_the_second_time(emptied):
    assert "5 created, 0 unchanged" in run_import(emptied["annotations"])[1]
    assert "3 created, 0 unchanged" in run_import(emptied["links"])[1]
    after_first = snapshot()
    assert "0 created, 5 unchanged" in run_import(emptied["annotations"])[1]
    assert "0 created, 3 unchanged" in run_import(emptied["links"])[1]
    assert "0 created, 8 unchanged" in run_import(emptied["jsonld"])[1]
    assert snapshot() == after_first


def test_ids_timestamps_and_formula_looking_text_are_kept(corpus, emptied):
    expected = {c.pk: (c.created, c.modified, c.note, c.source) for c in
                (corpus["formula"], corpus["multiline"], corpus["tricky"])}
    run_import(emptied["annotations"])
    for pk, values in expected.items():
        stored = Annotation.objects.get(pk=pk)
        assert (stored.created, stored.modified, stored.note, stored.source) == values


def test_a_claim_whose_offsets_moved_is_found_again_by_its_quote(emptied, corpus, tmp_path):
    text = emptied["annotations"].read_text(encoding="utf-8-sig")
    row = next(r for r in csv.DictReader(io.StringIO(text)) if int(r["id"]) == corpus["bob"].pk)
    start, end = int(row["start"]), int(row["end"])
    index = [int(r["id"]) for r in csv.DictReader(io.StringIO(text))].index(corpus["bob"].pk)
    ok, out, errors = run_import(write(tmp_path, "moved.csv", edited(text, {
        (index, "start"): str(start + 7), (index, "end"): str(end + 7)})))
    assert ok, errors
    assert f"re-anchored by quote from [{start + 7}, {end + 7}) to [{start}, {end})" in out
    assert Annotation.objects.get(pk=corpus["bob"].pk).start == start


def test_an_orphaned_claim_is_imported_as_it_was(emptied, corpus, tmp_path):
    text = emptied["annotations"].read_text(encoding="utf-8-sig")
    ok, _, errors = run_import(write(tmp_path, "orphan.csv", edited(text, {
        (0, "anchor"): "orphaned", (0, "quote"): "text the article lost"})))
    assert ok, errors
    stored = Annotation.objects.get(pk=corpus["formula"].pk)
    assert (stored.anchor, stored.exact, stored.start) == ("orphaned", "text the article lost", corpus["formula"].start)


def test_plan_import_reads_the_database_but_never_writes(emptied):
    before = snapshot()
    plan = plan_import(emptied["jsonld"].read_bytes())
    assert not plan.problems and plan.kind == "JSON-LD"
    assert (len(plan.claims), len(plan.links), plan.accounts) == (5, 3, ["alice", "bob"])
    assert snapshot() == before


def test_spreadsheet_escaping_is_undone_exactly_once(emptied, tmp_path):
    text = emptied["annotations"].read_text(encoding="utf-8-sig")
    ok, _, errors = run_import(write(tmp_path, "notes.csv", edited(text, {(0, "note"): "''=twice", (1, "note"): "'"})))
    assert ok, errors
    notes = list(Annotation.objects.order_by("id").values_list("note", flat=True)[:2])
    assert notes == [exports.unescape_cell("''=twice"), ""]
