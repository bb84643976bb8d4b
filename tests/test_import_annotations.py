"""Importing exported annotations: every problem reported with its row before anything is
written, re-anchoring by quote, idempotence."""

import csv
import io
import json
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import timezone

from annotator import csvstream
from annotator.annotations import exports
from annotator.annotations.imports import plan_import
from annotator.annotations.models import Annotation, Link
from annotator.classroom.models import Membership, Submission

from .factories import (
    make_claim,
    make_class,
    make_exercise,
    make_link,
    make_teacher,
    make_user,
)
from .test_export import export_text


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
    assert_refused(tmp_path, "short.csv", text, f"2 cells where the header has {len(exports.ANNOTATION_COLUMNS)}")


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


def test_json_ld_nested_too_deeply_is_refused_with_a_message(emptied, tmp_path):
    assert_refused(tmp_path, "deep.jsonld", '{"first": ' + "[" * 100_000 + "]" * 100_000 + "}",
                   "nested too deeply")


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
    assert notes == [csvstream.unescape_cell("''=twice"), ""]


# The rules a claim is written by hold for an import too


@pytest.fixture
def backup(corpus, people, tmp_path):
    """A lesson's export: an exercise on both articles, taught by `teach`, with alice in its
    class: the key claim and alice's work with its link, exported; then every claim and link
    deleted, the accounts and the class kept."""
    first, second = corpus["first"], corpus["second"]
    teacher = make_teacher("teach")
    exercise = make_exercise(make_class(teacher, [people["alice"]], name="7B"), [first, second], title="The bridge")
    key = make_claim(teacher, first, "reckless gamble", "editorialized", exercise=exercise,
                     explanation="Whose words?", key=True)
    work = make_claim(people["alice"], first, "reckless gamble with public money", "editorialized", exercise=exercise)
    link = make_link(people["alice"], work, second, "May is not realistic")
    files = {
        "annotations": write(tmp_path, "lesson.csv", export_text()),
        "links": write(tmp_path, "lesson-links.csv", export_text("links")),
        "jsonld": write(tmp_path, "lesson.jsonld", export_text(fmt="jsonld")),
    }
    Link.objects.all().delete()
    Annotation.objects.all().delete()
    text = files["annotations"].read_text()
    return {"exercise": exercise, "teacher": teacher, "key": key, "work": work, "link": link, "files": files,
            "text": text, "key_row": row_of(text, key.pk), "work_row": row_of(text, work.pk),
            "ordinary_row": row_of(text, corpus["bob"].pk)}


def row_of(text, pk):
    """The data row index of the claim or link `pk` in a CSV (its row number is `index + 2`)."""
    return [int(row["id"]) for row in csv.DictReader(io.StringIO(text))].index(pk)


def test_a_lessons_key_work_and_links_import_back_as_they_were(backup, tmp_path):
    for name in ("annotations", "links"):
        ok, out, errors = run_import(backup["files"][name])
        assert ok, errors
    assert write(tmp_path, "again.csv", export_text()).read_text() == backup["text"]
    assert Annotation.objects.get(pk=backup["key"].pk).explanation == "Whose words?"


def test_a_student_cannot_write_the_answer_key(backup, tmp_path):
    where = backup["key_row"] + 2
    assert_refused(tmp_path, "key.csv", edited(backup["text"], {(backup["key_row"], "author"): "alice"}),
                   f"row {where}: exercise {backup['exercise'].pk}, author 'alice': "
                   "Only the exercise's teacher writes its answer key")


def test_exercise_work_by_someone_outside_the_class_is_refused(backup, tmp_path):
    outside = f"exercise {backup['exercise'].pk}, author 'bob': Only the exercise's teacher and the students of " \
              "its class write in it"
    assert_refused(tmp_path, "work.csv", edited(backup["text"], {(backup["work_row"], "author"): "bob"}),
                   f"row {backup['work_row'] + 2}: {outside}")
    # An author the import would create is in no class either.
    assert_refused(tmp_path, "work.csv", edited(backup["text"], {(backup["work_row"], "author"): "mallory"}),
                   "author 'mallory': Only the exercise's teacher and the students of its class write in it")


def test_the_teacher_writes_only_key_claims_in_their_exercise(backup, tmp_path):
    assert_refused(tmp_path, "teacher.csv", edited(backup["text"], {(backup["key_row"], "is_key"): "0",
                                                                    (backup["key_row"], "explanation"): ""}),
                   f"row {backup['key_row'] + 2}: exercise {backup['exercise'].pk}, author 'teach': "
                   "Teachers annotate an exercise in key mode")


def test_exercise_claims_must_be_on_one_of_the_exercises_articles(backup, corpus, tmp_path):
    backup["exercise"].articles.remove(corpus["first"])
    errors = assert_refused(tmp_path, "articles.csv", backup["files"]["annotations"].read_bytes(),
                            f"row {backup['key_row'] + 2}: exercise {backup['exercise'].pk}, author 'teach': "
                            "This article is not part of the exercise",
                            f"row {backup['work_row'] + 2}: exercise {backup['exercise'].pk}, author 'alice': "
                            "This article is not part of the exercise")
    assert "2 problems" in errors


def test_an_answer_key_claim_needs_an_exercise(backup, tmp_path):
    assert_refused(tmp_path, "keys.csv", edited(backup["text"], {(backup["key_row"], "exercise"): "",
                                                                 (backup["ordinary_row"], "is_key"): "1"}),
                   f"row {backup['key_row'] + 2}: is_key: an answer-key claim belongs to an exercise",
                   f"row {backup['ordinary_row'] + 2}: is_key: an answer-key claim belongs to an exercise")


def test_only_answer_key_claims_have_an_explanation(backup, tmp_path):
    assert_refused(tmp_path, "explained.csv", edited(backup["text"], {(backup["work_row"], "explanation"): "Hm",
                                                                      (backup["ordinary_row"], "explanation"): "Hm"}),
                   f"row {backup['work_row'] + 2}: explanation: only answer-key claims have an explanation",
                   f"row {backup['ordinary_row'] + 2}: explanation: only answer-key claims have an explanation")


def test_exercise_work_stays_private(backup, tmp_path):
    assert_refused(tmp_path, "shared.csv", edited(backup["text"], {(backup["work_row"], "visibility"): "public"}),
                   f"row {backup['work_row'] + 2}: visibility: work in an exercise is private")


def test_exercise_claims_use_only_the_labels_in_play(backup, tmp_path):
    backup["exercise"].labels = ["attributed", "disputed"]
    backup["exercise"].save(update_fields=["labels"])
    assert_refused(tmp_path, "labels.csv", backup["files"]["annotations"].read_bytes(),
                   f"row {backup['work_row'] + 2}: exercise {backup['exercise'].pk}, author 'alice': "
                   "This exercise uses only these labels: attributed, disputed")


def test_a_link_is_written_only_by_its_claims_author(backup, tmp_path):
    assert run_import(backup["files"]["annotations"])[0]
    text = backup["files"]["links"].read_text()
    index = row_of(text, backup["link"].pk)
    assert_refused(tmp_path, "links.csv", edited(text, {(index, "author"): "teach"}),
                   f"row {index + 2}: author: only the author of annotation {backup['work'].pk}, 'alice', links it; not 'teach'")


def test_the_rules_hold_in_json_ld_and_every_broken_one_is_listed_in_a_dry_run_too(backup, tmp_path):
    document = json.loads(backup["files"]["jsonld"].read_text())
    items = {item["id"]: item for item in document["first"]["items"]}
    items[f"urn:annotator:annotation:{backup['key'].pk}"]["creator"] = {"nickname": "alice"}
    items[f"urn:annotator:annotation:{backup['work'].pk}"]["creator"] = {"nickname": "bob"}
    items[f"urn:annotator:link:{backup['link'].pk}"]["creator"] = {"nickname": "teach"}
    path = write(tmp_path, "forged.jsonld", json.dumps(document))
    expected = ["Only the exercise's teacher writes its answer key",
                "Only the exercise's teacher and the students of its class write in it",
                f"author: only the author of annotation {backup['work'].pk}, 'bob', links it; not 'teach'"]
    errors = assert_refused(tmp_path, "forged.jsonld", path.read_bytes(), *expected)
    before = snapshot()
    ok, out, dry_errors = run_import(path, "--dry-run")
    assert not ok and "would create" not in out and snapshot() == before
    assert problem_lines(dry_errors) == problem_lines(errors) and len(problem_lines(errors)) == 3


def problem_lines(errors):
    return [line for line in errors.splitlines() if line.startswith("error ")]


def test_whether_the_exercise_was_open_or_submitted_does_not_stop_a_restore(backup, people):
    exercise = backup["exercise"]
    Submission.objects.create(exercise=exercise, student=people["alice"], submitted=timezone.now())
    exercise.opens = timezone.now() + timedelta(days=1)
    exercise.save(update_fields=["opens"])
    for name in ("annotations", "links"):
        ok, _, errors = run_import(backup["files"][name])
        assert ok, errors
    assert Annotation.objects.filter(exercise=exercise).count() == 2


def test_claims_already_stored_as_they_are_are_not_questioned_again(backup, people):
    assert run_import(backup["files"]["annotations"])[0]
    # A teacher may take a student out of the class later; their work is kept.
    Membership.objects.filter(student=people["alice"]).delete()
    ok, out, errors = run_import(backup["files"]["annotations"])
    assert ok, errors
    assert "0 created, 7 unchanged" in out


# Accounts an import creates


def test_a_new_account_needs_a_name_sign_up_would_take(emptied, tmp_path):
    text = emptied["annotations"].read_text(encoding="utf-8-sig")
    errors = assert_refused(tmp_path, "names.csv", edited(text, {
        (0, "author"): "bad name!", (1, "author"): "x" * 151, (2, "author"): "ｂｏｂ２", (3, "author"): "BOB"}),
        "row 2: author 'bad name!' has no account here, and none can be made with that name: Enter a valid username",
        "row 3: author 'xxxx", "Ensure this value has at most 150 characters (it has 151)",
        "row 4: author 'ｂｏｂ２' has no account here, and none can be made with that name: sign-up would make it "
        "'bob2'",
        "row 6: author 'bob' has no account here, and none can be made with that name: it differs only in case "
        "from 'BOB', also new in this file")
    assert "4 problems" in errors
    assert not get_user_model().objects.exists()


def test_a_new_account_may_not_differ_only_in_case_from_an_existing_one(emptied, tmp_path):
    make_user("ALICE")
    assert_refused(tmp_path, "alice.csv", emptied["annotations"].read_bytes(),
                   "row 2: author 'alice' has no account here, and none can be made with that name: it differs only "
                   "in case from the account 'ALICE' (and 2 more rows)")


def test_text_with_half_a_character_is_refused_by_name_and_nothing_is_written(emptied, tmp_path):
    document = json.loads(emptied["jsonld"].read_text())
    items = document["first"]["items"]
    items[0]["body"][1]["value"] = "half \ud83d of a face"
    items[0]["creator"] = {"nickname": "al\ud83dice"}
    items[2]["body"].append({"type": "TextualBody", "purpose": "commenting", "value": "nul \x00 here"})
    items[3]["target"]["source"] = "urn:annotator:article:\ud83d"
    errors = assert_refused(tmp_path, "halves.jsonld", json.dumps(document).encode(),
                            "item 1 (", "contains half of a character (a lone UTF-16 surrogate)",
                            "item 3 (", "note must not contain NUL characters")
    assert "author contains half of a character" in errors
    assert "article contains half of a character" in errors
