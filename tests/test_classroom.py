"""Classes, exercises, keys, submissions and who may see what before and after reveal."""

import csv
import io

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

from annotator.annotations import services
from annotator.annotations.models import Annotation
from annotator.classroom.models import Exercise, Membership, Submission
from annotator.errors import Forbidden, NotFound, ServiceError

from .factories import client_for, make_claim, make_link, make_teacher, make_user, span


def test_student_joins_with_the_code_typed_loosely(lesson):
    newcomer = make_user("noor")
    response = client_for(newcomer).post("/classes/join/", {"code": "  Maple Otter 42 "}, follow=True)
    assert "You joined Period 3" in response.content.decode()
    assert Membership.objects.filter(student=newcomer).exists()


def test_a_wrong_join_code_is_refused_and_joins_nothing(lesson):
    newcomer = make_user("noor")
    response = client_for(newcomer).post("/classes/join/", {"code": "no-such-code-11"}, follow=True)
    assert "No class has that join code" in response.content.decode()
    assert not Membership.objects.filter(student=newcomer).exists()


def test_signup_with_a_join_code_puts_the_student_in_the_class(lesson):
    response = Client().post("/accounts/signup/", {"username": "newbie", "password1": "long-enough-pass-93",
                                                   "password2": "long-enough-pass-93", "join_code": "MAPLE-otter-42"})
    assert response.status_code == 302
    assert Membership.objects.filter(student__username="newbie", classroom=lesson["classroom"]).exists()


def test_teachers_see_only_their_own_classes(lesson):
    client = client_for(make_teacher("other-teacher"))
    assert client.get(f"/classes/{lesson['classroom'].pk}/").status_code == 404
    assert client.get(f"/exercises/{lesson['exercise'].pk}/key/a/").status_code == 404
    assert "Period 3" not in client.get("/classes/").content.decode()


def test_students_cannot_open_teacher_pages(lesson):
    client = client_for(lesson["sam"])
    assert client.get(f"/classes/{lesson['classroom'].pk}/").status_code == 403
    assert client.post(f"/classes/{lesson['classroom'].pk}/rotate-code/").status_code == 403


def test_rotating_the_code_retires_the_old_one(lesson):
    client_for(lesson["teacher"]).post(f"/classes/{lesson['classroom'].pk}/rotate-code/", {"confirm": "yes"})
    lesson["classroom"].refresh_from_db()
    assert lesson["classroom"].join_code != "maple-otter-42"
    newcomer = make_user("noor")
    client_for(newcomer).post("/classes/join/", {"code": "maple-otter-42"})
    assert not Membership.objects.filter(student=newcomer).exists()


def test_student_cannot_see_key_before_reveal(lesson):
    kim = client_for(lesson["kim"])
    key = lesson["key"]
    assert kim.get(f"/api/annotations/{key.pk}/").status_code == 404
    listed = kim.get("/api/annotations/", {"article": "a"}).json()["results"]
    assert key.pk not in [item["id"] for item in listed]
    assert kim.get(f"/exercises/{lesson['exercise'].pk}/key/a/").status_code == 403
    assert "The Kremlin&#x27;s words." not in kim.get(f"/exercises/{lesson['exercise'].pk}/articles/a/").content.decode()


def test_student_cannot_see_another_students_work_before_discussion(lesson):
    kim = client_for(lesson["kim"])
    work = lesson["sams"]
    assert kim.get(f"/api/annotations/{work.pk}/").status_code == 404
    assert kim.get(f"/exercises/{lesson['exercise'].pk}/discussion/a/").status_code == 404
    page = kim.get(f"/exercises/{lesson['exercise'].pk}/articles/a/").content.decode()
    assert f'data-claim="{work.pk}"' not in page


def test_key_is_revealed_to_a_student_once_they_submit(lesson):
    sam = client_for(lesson["sam"])
    sam.post(f"/exercises/{lesson['exercise'].pk}/submit/", {"confirm": "yes"})
    assert Submission.objects.get(student=lesson["sam"]).is_submitted
    assert sam.get(f"/api/annotations/{lesson['key'].pk}/").status_code == 200
    assert client_for(lesson["kim"]).get(f"/api/annotations/{lesson['key'].pk}/").status_code == 404


def test_manual_reveal_waits_for_the_teacher(lesson):
    exercise = lesson["exercise"]
    exercise.reveal_policy = "manual"
    exercise.save()
    sam = client_for(lesson["sam"])
    sam.post(f"/exercises/{exercise.pk}/submit/", {"confirm": "yes"})
    assert sam.get(f"/api/annotations/{lesson['key'].pk}/").status_code == 404
    client_for(lesson["teacher"]).post(f"/exercises/{exercise.pk}/reveal/", {"revealed": "1"})
    assert sam.get(f"/api/annotations/{lesson['key'].pk}/").status_code == 200


def test_discussion_mode_shows_everyones_work_anonymised(lesson):
    client_for(lesson["teacher"]).post(f"/exercises/{lesson['exercise'].pk}/reveal/", {"discussion": "1"})
    page = client_for(lesson["kim"]).get(f"/exercises/{lesson['exercise'].pk}/discussion/a/").content.decode()
    assert f'data-claim="{lesson["sams"].pk}"' in page
    assert "Student A" in page and "sam" not in page


def test_submitted_work_is_locked_until_the_teacher_reopens_it(lesson):
    sam, exercise, work, a = lesson["sam"], lesson["exercise"], lesson["sams"], lesson["a"]
    client_for(sam).post(f"/exercises/{exercise.pk}/submit/", {"confirm": "yes"})
    with pytest.raises(Forbidden):
        services.update_annotation(sam, work.pk, {"label": "disputed"})
    with pytest.raises(Forbidden):
        services.delete_annotation(sam, work.pk)
    with pytest.raises(Forbidden):
        make_claim(sam, a, "Critics", "disputed", exercise=exercise)
    client_for(lesson["teacher"]).post(f"/exercises/{exercise.pk}/students/{sam.pk}/reopen/")
    services.update_annotation(sam, work.pk, {"label": "disputed"})
    assert Annotation.objects.get(pk=work.pk).label == "disputed"


def test_submitting_needs_the_required_contradicting_link(lesson):
    exercise = lesson["exercise"]
    exercise.min_contradicting_links = 1
    exercise.save()
    response = client_for(lesson["sam"]).post(f"/exercises/{exercise.pk}/submit/", {"confirm": "yes"}, follow=True)
    assert "Link 1 more claim" in response.content.decode()
    assert not Submission.objects.filter(submitted__isnull=False).exists()
    make_link(lesson["sam"], lesson["sams"], lesson["b"], "Putin praised the attack")
    client_for(lesson["sam"]).post(f"/exercises/{exercise.pk}/submit/", {"confirm": "yes"})
    assert Submission.objects.filter(submitted__isnull=False).count() == 1


def test_submitting_without_confirming_changes_nothing(lesson):
    client_for(lesson["sam"]).post(f"/exercises/{lesson['exercise'].pk}/submit/")
    assert not Submission.objects.exists()


def test_exercise_claims_use_only_the_labels_in_play_and_stay_private(lesson):
    exercise, a, kim = lesson["exercise"], lesson["a"], lesson["kim"]
    exercise.labels = ["attributed"]
    exercise.save()
    with pytest.raises(ServiceError, match="only these labels"):
        make_claim(kim, a, "Critics", "disputed", exercise=exercise)
    claim = make_claim(kim, a, "Critics", exercise=exercise, visibility="public")
    assert claim.visibility == "private"


def test_students_cannot_write_the_key_and_outsiders_cannot_annotate_in_the_exercise(lesson):
    a, exercise = lesson["a"], lesson["exercise"]
    with pytest.raises(Forbidden):
        make_claim(lesson["sam"], a, "Critics", "disputed", exercise=exercise, key=True)
    outsider = lesson["outsider"]
    with pytest.raises(NotFound):
        make_claim(outsider, a, "Critics", "disputed", exercise=exercise)
    response = client_for(outsider).post("/api/annotations/", {"article": "a", **span(a, "Critics"),
                                                               "label": "disputed", "exercise": exercise.pk},
                                         content_type="application/json")
    assert response.status_code == 404


def test_removing_a_student_keeps_their_work(lesson):
    client_for(lesson["teacher"]).post(f"/classes/{lesson['classroom'].pk}/students/{lesson['sam'].pk}/remove/",
                                       {"confirm": "yes"})
    assert not Membership.objects.filter(student=lesson["sam"]).exists()
    assert Annotation.objects.filter(pk=lesson["sams"].pk).exists()


def test_class_visibility_outside_exercises_means_my_classmates(lesson):
    a = lesson["a"]
    note = make_claim(lesson["sam"], a, "Critics", "disputed", visibility="class")
    assert client_for(lesson["kim"]).get(f"/api/annotations/{note.pk}/").status_code == 200
    assert client_for(lesson["outsider"]).get(f"/api/annotations/{note.pk}/").status_code == 404


def test_load_demo_is_idempotent_and_prints_the_accounts(seeded, capsys):
    call_command("load_demo")
    counts = (User.objects.count(), Annotation.objects.count(), Exercise.objects.count())
    call_command("load_demo")
    out = capsys.readouterr().out
    assert "already loaded" in out and "teacher" in out and "amira" in out
    assert (User.objects.count(), Annotation.objects.count(), Exercise.objects.count()) == counts
    assert Submission.objects.filter(submitted__isnull=False).count() == 2


def test_an_exercise_with_suggestions_off_gives_its_students_none_anywhere(lesson):
    exercise, kim = lesson["exercise"], client_for(lesson["kim"])
    exercise.assist_allowed = False
    exercise.save()
    assert kim.get("/api/articles/a/suggestions/").status_code == 403
    assert 'id="assist"' not in kim.get("/articles/a/").content.decode()
    assert 'id="assist"' not in kim.get(f"/exercises/{exercise.pk}/articles/a/").content.decode()
    outsider = client_for(lesson["outsider"])
    assert outsider.get("/api/articles/a/suggestions/").status_code == 200
    exercise.assist_allowed = True
    exercise.save()
    assert kim.get("/api/articles/a/suggestions/").status_code == 200
    assert 'id="assist"' in kim.get(f"/exercises/{exercise.pk}/articles/a/").content.decode()


def test_an_accepted_suggestion_in_an_exercise_becomes_exercise_work(lesson):
    exercise, lee, a = lesson["exercise"], lesson["lee"], lesson["a"]
    exercise.assist_allowed = True
    exercise.save()
    suggestion = client_for(lee).get("/api/articles/a/suggestions/").json()["results"][0]
    response = client_for(lee).post("/articles/a/suggestions/accept/", {
        "start": suggestion["start"], "end": suggestion["end"], "label": suggestion["label"],
        "exercise": exercise.pk}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    claim = Annotation.objects.get(author=lee)
    assert claim.exercise_id == exercise.pk and claim.visibility == "private" and not claim.is_key
    assert a.body[claim.start:claim.end] == suggestion["exact"]


def test_only_the_exercise_teacher_downloads_every_students_claims(lesson):
    url = f"/export/annotations.csv?exercise={lesson['exercise'].pk}"
    text = b"".join(client_for(lesson["teacher"]).get(url).streaming_content).decode()
    claims = [int(row["id"]) for row in csv.DictReader(io.StringIO(text))]
    assert sorted(claims) == sorted(lesson[name].pk for name in ("key", "sams", "kims"))
    assert client_for(lesson["kim"]).get(url).status_code == 404
    assert client_for(make_teacher("other-teacher")).get(url).status_code == 404
    assert Client().get(url).status_code == 401


def test_results_csv_has_a_row_per_student_and_key_claim_and_a_summary(lesson):
    response = client_for(lesson["teacher"]).get(f"/exercises/{lesson['exercise'].pk}/results.csv")
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines[0].startswith("student,row,submitted")
    assert sum(1 for line in lines if line.startswith("sam,claim,")) == 1
    assert any(line.startswith("sam,summary,") and ",100%,100%,100%," in line for line in lines)
    assert client_for(lesson["sam"]).get(f"/exercises/{lesson['exercise'].pk}/results.csv").status_code == 403


def test_feedback_and_dashboard_show_the_match(lesson):
    sam = client_for(lesson["sam"])
    assert sam.get(f"/exercises/{lesson['exercise'].pk}/feedback/").status_code == 302  # not revealed yet
    sam.post(f"/exercises/{lesson['exercise'].pk}/submit/", {"confirm": "yes"})
    page = sam.get(f"/exercises/{lesson['exercise'].pk}/feedback/").content.decode()
    assert "Found" in page and "The Kremlin&#x27;s words." in page
    dashboard = client_for(lesson["teacher"]).get(f"/exercises/{lesson['exercise'].pk}/dashboard/").content.decode()
    assert "1 of 3 submitted" in dashboard and "<svg" in dashboard and "Coverage heat map" in dashboard


def test_dashboard_and_results_read_a_class_in_a_constant_number_of_queries(lesson):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    exercise, a, b = lesson["exercise"], lesson["a"], lesson["b"]
    teacher = client_for(lesson["teacher"])

    def queries():
        counts = []
        for url in (f"/exercises/{exercise.pk}/dashboard/", f"/exercises/{exercise.pk}/results.csv"):
            with CaptureQueriesContext(connection) as captured:
                response = teacher.get(url)
                b"".join(response.streaming_content) if response.streaming else response.content
            counts.append(len(captured.captured_queries))
        return counts

    make_link(lesson["sam"], lesson["sams"], b, "Putin praised")
    few = queries()
    for phrase in ("the Kremlin said", "a strongman's bluff"):
        make_claim(lesson["teacher"], a, phrase, "editorialized", exercise=exercise, key=True)
    for n in range(6):
        student = make_user(f"student{n}")
        Membership.objects.create(classroom=lesson["classroom"], student=student)
        for phrase in ("Putin urged restraint", "the Kremlin said", "a strongman's bluff"):
            claim = make_claim(student, a, phrase, "disputed", exercise=exercise)
            make_link(student, claim, b, "PressTV claimed", "corroborates")
        Submission.objects.create(exercise=exercise, student=student, submitted=student.date_joined)
    assert queries() == few
