"""My data (JSON and a zip of CSVs, page and API) and deleting an account: who may, what goes,
what stays for the others, and that every page still answers afterwards."""

import csv
import io
import json
import re
import zipfile

import pytest
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.test import Client

from annotator.annotations.models import Annotation, Link
from annotator.classroom import review
from annotator.classroom.models import Classroom, Departure, Membership, Submission
from annotator.classroom.services import submit
from annotator.discussion import services as discussion
from annotator.discussion.models import Reply
from annotator.privacy import mydata

from . import test_authorization as authorization
from .factories import (
    client_for,
    make_claim,
    make_class,
    make_exercise,
    make_link,
    make_teacher,
    make_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def talk(lesson):
    """The lesson in discussion mode, with sam's link, kim's reply on sam's claim, sam's reply on
    kim's claim and kim's answer to it, and sam's submission."""
    exercise = lesson["exercise"]
    exercise.discussion = True
    exercise.save(update_fields=["discussion"])
    sam, kim = lesson["sam"], lesson["kim"]
    link = make_link(sam, lesson["sams"], lesson["b"], "PressTV claimed")
    on_sams = discussion.create_reply(kim, lesson["sams"].pk, {"text": "Kim asks: which readout?"})
    sams_reply = discussion.create_reply(sam, lesson["kims"].pk, {"text": "Sam says: loaded words."})
    kims_answer = discussion.create_reply(kim, lesson["kims"].pk, {"text": "Kim answers Sam.", "parent": sams_reply.pk})
    submit(sam, exercise)
    return {**lesson, "link": link, "on_sams": on_sams, "sams_reply": sams_reply, "kims_answer": kims_answer}


def download(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return response


# --- my data -----------------------------------------------------------------------------------


def test_my_data_holds_profile_classes_claims_links_replies_submissions_and_scores(talk):
    data = json.loads(download(client_for(talk["sam"]), "/accounts/data/my-data.json").content)
    assert data["profile"]["username"] == "sam"
    assert [c["class"] for c in data["classes_joined"]] == ["Period 3"]
    assert [c["id"] for c in data["claims"]] == [talk["sams"].pk]
    assert data["claims"][0]["exercise"] == talk["exercise"].pk
    assert [k["id"] for k in data["links"]] == [talk["link"].pk]
    assert [r["text"] for r in data["replies"]] == ["Sam says: loaded words."]
    [submission] = data["submissions"]
    # Discussion mode reveals the key; sam's claim matches the key claim exactly.
    assert submission["feedback"] == "revealed" and submission["f1"] == 1.0 and submission["submitted"]


def test_my_data_holds_what_the_teacher_wrote_to_me_and_the_score_they_set(talk):
    review.add_comment(talk["teacher"], talk["sams"].pk, {"text": "Who is the source here?"})
    review.set_override(talk["teacher"], talk["exercise"].pk, talk["sam"].pk, {"score": "80", "reason": "Good link."})
    data = json.loads(download(client_for(talk["sam"]), "/accounts/data/my-data.json").content)
    assert [(c["claim"], c["text"]) for c in data["teacher_comments"]] == [(talk["sams"].pk, "Who is the source here?")]
    [submission] = data["submissions"]
    assert (submission["teacher_score"], submission["score_reason"], submission["f1"]) == (80, "Good link.", 1.0)
    assert mydata.collect(talk["kim"])["teacher_comments"] == []


def test_my_data_leaves_out_other_peoples_words_and_names(talk):
    body = download(client_for(talk["sam"]), "/accounts/data/my-data.json").content.decode()
    assert "Kim asks" not in body and "Kim answers" not in body and "kim" not in body


def test_a_score_waits_until_the_key_is_revealed_to_the_student(lesson):
    data = mydata.collect(lesson["kim"])
    [submission] = data["submissions"]
    assert submission["feedback"] == "not yet revealed" and submission["f1"] is None


def test_a_teacher_gets_their_classes_and_key_but_not_their_students_names(talk):
    data = mydata.collect(talk["teacher"])
    [taught] = data["classes_taught"]
    assert taught["students"] == 3 and taught["join_code"] == "maple-otter-42"
    assert [c["answer_key"] for c in data["claims"]] == [True]
    assert "sam" not in json.dumps(data)


def test_the_csv_bundle_has_a_file_per_part_with_the_same_rows_as_the_json(talk):
    client = client_for(talk["sam"])
    data = json.loads(download(client, "/accounts/data/my-data.json").content)
    response = download(client, "/accounts/data/my-data.zip")
    assert response["Content-Disposition"] == 'attachment; filename="annotator-data-sam.zip"'
    bundle = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(bundle.namelist()) == sorted(["profile.csv", *(f"{name}.csv" for name in mydata.SECTIONS)])
    for name in mydata.SECTIONS:
        rows = list(csv.DictReader(io.StringIO(bundle.read(f"{name}.csv").decode())))
        assert list(rows[0] if rows else mydata.COLUMNS[name]) == mydata.COLUMNS[name]
        assert [row.get("id", row.get(mydata.COLUMNS[name][0])) for row in rows] == \
            [str(item.get("id", item[mydata.COLUMNS[name][0]])) for item in data[name]]
    profile = dict(csv.reader(io.StringIO(bundle.read("profile.csv").decode())))
    assert profile["username"] == "sam"


def test_every_section_has_exactly_its_declared_columns(talk):
    for user in (talk["sam"], talk["teacher"]):
        data = mydata.collect(user)
        for name in mydata.SECTIONS:
            for row in data[name]:
                assert list(row) == mydata.COLUMNS[name], name


def test_csv_cells_a_spreadsheet_would_run_are_escaped(lesson):
    make_claim(lesson["outsider"], lesson["a"], "Critics called", note="=HYPERLINK(\"http://x\")")
    bundle = zipfile.ZipFile(io.BytesIO(mydata.csv_bundle(mydata.collect(lesson["outsider"]))))
    assert "'=HYPERLINK" in bundle.read("claims.csv").decode()


def test_the_api_answers_the_same_document_and_nobody_elses(talk):
    client = client_for(talk["sam"])
    sams = json.loads(download(client, "/accounts/data/my-data.json").content)
    assert client.get("/api/me/data/").json() == sams
    # There is no way to name another person: a query string is ignored.
    kims = client_for(talk["kim"]).get(f"/api/me/data/?user={talk['sam'].pk}&username=sam").json()
    assert kims["profile"]["username"] == "kim" and talk["sams"].pk not in [c["id"] for c in kims["claims"]]
    assert Client().get("/api/me/data/").status_code == 401
    assert Client().get("/accounts/data/my-data.json").status_code == 302


def test_the_my_data_page_counts_each_part_and_offers_both_downloads(talk):
    page = download(client_for(talk["sam"]), "/accounts/data/").content.decode()
    assert "/accounts/data/my-data.json" in page and "/accounts/data/my-data.zip" in page
    assert f"/accounts/{talk['sam'].pk}/delete/" in page


# --- deleting an account -----------------------------------------------------------------------


def test_deleting_my_account_asks_for_my_username_and_a_wrong_one_deletes_nothing(talk):
    client = client_for(talk["sam"])
    page = client.get(f"/accounts/{talk['sam'].pk}/delete/").content.decode()
    assert "Type the username <strong>sam</strong>" in page
    response = client.post(f"/accounts/{talk['sam'].pk}/delete/", {"confirm": "Sam"})
    assert response.status_code == 400 and "Type the username sam exactly" in response.content.decode()
    assert User.objects.filter(username="sam").exists() and Annotation.objects.filter(author=talk["sam"]).exists()


def test_deleting_my_account_removes_everything_i_wrote_and_signs_me_out(talk):
    sam, client = talk["sam"], client_for(talk["sam"])
    response = client.post(f"/accounts/{sam.pk}/delete/", {"confirm": "sam"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert not User.objects.filter(username="sam").exists()
    assert not Annotation.objects.filter(pk=talk["sams"].pk).exists()
    assert not Link.objects.filter(pk=talk["link"].pk).exists()
    assert not Submission.objects.filter(student_id=sam.pk).exists()
    assert not Membership.objects.filter(student_id=sam.pk).exists()
    assert client.get("/accounts/data/").status_code == 302  # signed out


def test_others_replies_on_my_claim_go_and_their_answers_to_my_reply_stay_at_the_top(talk):
    client_for(talk["sam"]).post(f"/accounts/{talk['sam'].pk}/delete/", {"confirm": "sam"})
    assert not Reply.objects.filter(pk__in=[talk["on_sams"].pk, talk["sams_reply"].pk]).exists()
    answer = Reply.objects.get(pk=talk["kims_answer"].pk)
    assert answer.parent_id is None and answer.claim_id == talk["kims"].pk and answer.text == "Kim answers Sam."


def test_the_teacher_sees_that_a_student_left_and_the_scores_leave_them_out(talk):
    teacher = client_for(talk["teacher"])
    client_for(talk["sam"]).post(f"/accounts/{talk['sam'].pk}/delete/", {"confirm": "sam"})
    assert Departure.objects.filter(classroom=talk["classroom"]).count() == 1
    dashboard = teacher.get(f"/exercises/{talk['exercise'].pk}/dashboard/").content.decode()
    assert "1 student has left the class" in dashboard and "no longer in the roster, scores" in dashboard
    assert not re.search(r"\bsam\b", dashboard)  # the username, not the word "same"
    results = b"".join(teacher.get(f"/exercises/{talk['exercise'].pk}/results.csv").streaming_content).decode()
    assert "sam" not in results and "kim" in results


def test_the_plan_says_what_goes_and_what_stays_before_anything_is_deleted(talk):
    page = client_for(talk["sam"]).get(f"/accounts/{talk['sam'].pk}/delete/").content.decode()
    assert "<strong>1</strong> claims" in page and "<strong>1</strong> replies by others on these claims" in page
    assert "<strong>1</strong> answers by others to these replies" in page


def test_a_teacher_deletes_a_student_of_their_class(talk):
    response = client_for(talk["teacher"]).post(f"/accounts/{talk['kim'].pk}/delete/", {"confirm": "kim"})
    assert response.status_code == 302 and not User.objects.filter(username="kim").exists()
    assert User.objects.filter(username="teach").exists()


@pytest.mark.parametrize("actor", ["kim", "other_teacher", "outsider"])
def test_nobody_else_deletes_a_student_page_or_api(talk, actor):
    """A classmate, a teacher of another class, a stranger: 404 everywhere, and nothing changes."""
    if actor == "other_teacher":
        talk[actor] = make_teacher(actor)
        make_class(talk[actor], [talk["lee"]], name="Period 5")
    client = client_for(talk[actor])
    sam = talk["sam"].pk
    assert client.get(f"/accounts/{sam}/delete/").status_code == 404
    assert client.post(f"/accounts/{sam}/delete/", {"confirm": "sam"}).status_code == 404
    response = client.post(f"/api/accounts/{sam}/delete/", {"confirm": "sam"}, content_type="application/json")
    assert response.status_code == 404 and response.json()["error"]
    assert User.objects.filter(pk=sam).exists() and Annotation.objects.filter(author_id=sam).count() == 1


def test_a_teacher_cannot_delete_another_teacher_or_staff_even_in_their_class(lesson):
    colleague = make_teacher("colleague")
    Membership.objects.create(classroom=lesson["classroom"], student=colleague)
    make_class(colleague, name="Their own")
    staff = make_user("boss", is_staff=True)
    Membership.objects.create(classroom=lesson["classroom"], student=staff)
    client = client_for(lesson["teacher"])
    for account in (colleague, staff):
        assert client.get(f"/accounts/{account.pk}/delete/").status_code == 404


def test_the_api_deletes_with_the_username_and_says_what_went(talk):
    client = client_for(talk["sam"])
    refused = client.post(f"/api/accounts/{talk['sam'].pk}/delete/", {"confirm": "kim"}, content_type="application/json")
    assert refused.status_code == 400 and refused.json()["field"] == "confirm"
    unknown = client.post(f"/api/accounts/{talk['sam'].pk}/delete/", {"confirm": "sam", "force": True},
                          content_type="application/json")
    assert unknown.status_code == 400 and User.objects.filter(username="sam").exists()
    done = client.post(f"/api/accounts/{talk['sam'].pk}/delete/", {"confirm": "sam"}, content_type="application/json")
    assert done.status_code == 200
    assert done.json()["deleted"] == "sam" and done.json()["removed"]["claims"] == 1
    assert not User.objects.filter(username="sam").exists()


def test_a_teacher_whose_class_holds_students_cannot_be_deleted_until_the_work_is_purged(talk):
    staff = make_user("boss", is_staff=True)
    for client in (client_for(talk["teacher"]), client_for(staff)):
        page = client.get(f"/accounts/{talk['teacher'].pk}/delete/").content.decode()
        assert "which still has students or their work" in page and 'name="confirm"' not in page
        response = client.post(f"/api/accounts/{talk['teacher'].pk}/delete/", {"confirm": "teach"},
                               content_type="application/json")
        assert response.status_code == 409
    assert Classroom.objects.filter(pk=talk["classroom"].pk).exists()


def test_a_teacher_with_only_empty_classes_goes_with_their_classes_and_keys(lesson):
    teacher = make_teacher("solo")
    empty = make_class(teacher, name="Next year")
    key = make_claim(teacher, lesson["a"], "Putin urged restraint", key=True,
                     exercise=make_exercise(empty, [lesson["a"]], title="Draft"))
    response = client_for(teacher).post(f"/accounts/{teacher.pk}/delete/", {"confirm": "solo"})
    assert response.status_code == 302
    assert not Classroom.objects.filter(pk=empty.pk).exists() and not Annotation.objects.filter(pk=key.pk).exists()


def test_staff_deletes_any_account_but_a_superusers(lesson):
    staff = make_user("boss", is_staff=True)
    root = User.objects.create_superuser("root", password="x-long-pass-1")
    client = client_for(staff)
    assert client.get(f"/accounts/{root.pk}/delete/").status_code == 404
    assert client.post(f"/accounts/{lesson['outsider'].pk}/delete/", {"confirm": "outsider"}).status_code == 302
    assert not User.objects.filter(username="outsider").exists()


def test_no_row_anywhere_points_at_a_deleted_account(talk):
    from annotator.privacy.backups import integrity_problems

    client_for(talk["teacher"]).post(f"/accounts/{talk['sam'].pk}/delete/", {"confirm": "sam"})
    assert integrity_problems() == []


# --- every page after a deletion ----------------------------------------------------------------


def test_every_page_answers_without_a_server_error_after_a_student_is_deleted(world):
    """The authorization table's world, with the student's claim, link and reply answered by the
    classmate, and the classmate's exercise work; the student deletes their account; every page
    of the table is then opened by everyone left, with the deleted ids and with the classmate's."""
    users, ids = world["users"], world["ids"]
    student, classmate = users["student"], users["other_student"]
    claim = Annotation.objects.get(pk=ids["claim"])
    claim.visibility = "class"
    claim.save(update_fields=["visibility"])
    answer = discussion.create_reply(classmate, claim.pk, {"text": "Answer.", "parent": ids["reply"]})
    exercise_claim = make_claim(classmate, claim.article, "Critics called", exercise=ids["exercise"])
    assert client_for(student).post(f"/accounts/{student.pk}/delete/", {"confirm": "student"}).status_code == 302
    assert not Reply.objects.filter(pk=answer.pk).exists()  # it answered a reply on the deleted claim
    after = [ids, {**ids, "claim": exercise_claim.pk, "student": classmate.pk}]
    checked = 0
    for name, (method, path, _) in sorted(authorization.MATRIX.items()):
        if method != "GET":
            continue
        for role in authorization.ROLES:
            if role == "student":
                continue
            client = Client() if role == "anonymous" else client_for(users[role])
            for each in after:
                url = path.format(**each)
                response = client.get(url)
                assert response.status_code < 500, f"{name} {url} as {role}: {response.status_code}"
                checked += 1
    assert checked > 200


world = authorization.world  # the table's world: a class, an exercise, the student's claim, link and reply


def test_a_deleted_account_is_signed_out_on_every_device(talk):
    phone, laptop = client_for(talk["sam"]), client_for(talk["sam"])
    kims = client_for(talk["kim"])
    assert Session.objects.count() == 3
    client_for(talk["teacher"]).post(f"/accounts/{talk['sam'].pk}/delete/", {"confirm": "sam"})
    assert Session.objects.count() == 2  # kim's and the teacher's
    for device in (phone, laptop):
        assert device.get("/accounts/data/").status_code == 302
    assert kims.get("/accounts/data/").status_code == 200
