"""The teacher's private word: comments on one student's claim, and a score override with a reason."""

import csv
import io
import json

import pytest
from django.test import Client

from annotator.classroom.models import ScoreOverride, Submission, TeacherComment
from annotator.discussion import services as discussion
from annotator.errors import ServiceError

from .factories import client_for, make_class, make_teacher


def htmx(user):
    return client_for(user, HTTP_HX_REQUEST="true")


def api(client, method, url, data=None):
    if method in ("get", "delete"):
        return getattr(client, method)(url)
    body = data if isinstance(data, (str, bytes)) else json.dumps(data)
    return getattr(client, method)(url, body, content_type="application/json")


def comments_url(claim):
    return f"/api/annotations/{claim.pk}/teacher-comments/"


def score_url(lesson, student):
    return f"/api/exercises/{lesson['exercise'].pk}/students/{student.pk}/score/"


def feedback_page(client, lesson, student=None):
    url = f"/exercises/{lesson['exercise'].pk}/feedback/"
    return client.get(url + (f"?student={student.pk}" if student else "")).content.decode()


def reveal(lesson):
    lesson["exercise"].revealed = True
    lesson["exercise"].save(update_fields=["revealed"])


# Comments


def test_a_teacher_comments_on_a_students_claim_while_the_exercise_is_open_and_only_that_student_sees_it(lesson):
    sam, kim = lesson["sam"], lesson["kim"]
    response = htmx(lesson["teacher"]).post(f"/claims/{lesson['sams'].pk}/teacher-comments/",
                                            {"text": "Good catch: who said it?"})
    assert response.status_code == 200 and "Good catch: who said it?" in response.content.decode()
    assert not Submission.objects.filter(student=sam).exists()  # still open, nothing submitted
    # On the claim: sam's card in the exercise reader shows it; kim's reader of the same article does not.
    article = f"/exercises/{lesson['exercise'].pk}/articles/a/"
    assert "Good catch: who said it?" in client_for(sam).get(article).content.decode()
    assert "Good catch" not in client_for(kim).get(article).content.decode()
    # Not even in discussion mode, where kim reads sam's claim.
    lesson["exercise"].discussion = True
    lesson["exercise"].save(update_fields=["discussion"])
    discussion_page = client_for(kim).get(f"/exercises/{lesson['exercise'].pk}/discussion/a/").content.decode()
    assert "Putin urged restraint" in discussion_page and "Good catch" not in discussion_page
    assert api(client_for(kim), "get", comments_url(lesson["sams"])).status_code == 404
    # On the feedback page, once the key is revealed to sam.
    assert "Good catch: who said it?" in feedback_page(client_for(sam), lesson)
    listed = api(client_for(sam), "get", comments_url(lesson["sams"])).json()["results"]
    assert [c["text"] for c in listed] == ["Good catch: who said it?"]


def test_the_student_is_told_in_whats_new_and_the_count_goes_down_once_they_have_seen_it(lesson):
    sam = lesson["sam"]
    api(client_for(lesson["teacher"]), "post", comments_url(lesson["sams"]), {"text": "Check the source."})
    assert discussion.unread_count(sam) == 1
    home = client_for(sam).get("/").content.decode()
    assert 'title="1 unread"' in home
    page = client_for(sam).get("/whats-new/").content.decode()
    assert "From your teacher" in page and "Check the source." in page and "new</strong>" in page
    assert discussion.unread_count(sam) == 0
    again = client_for(sam).get("/whats-new/").content.decode()
    assert "Check the source." in again and "disc-new\">new</strong>" not in again.split("From your teacher")[1]
    # Nobody else is told.
    assert "Check the source." not in client_for(lesson["kim"]).get("/whats-new/").content.decode()


def test_comments_are_refused_to_everyone_but_the_exercise_teacher_and_nothing_is_written(lesson):
    other_teacher = make_teacher("other")
    make_class(other_teacher, name="Elsewhere")
    cases = [
        (client_for(other_teacher), lesson["sams"].pk, {"text": "Hi"}, 404),
        (client_for(lesson["sam"]), lesson["sams"].pk, {"text": "Me"}, 404),
        (client_for(lesson["kim"]), lesson["sams"].pk, {"text": "Peer"}, 404),
        (client_for(lesson["teacher"]), lesson["key"].pk, {"text": "The key"}, 404),
        (client_for(lesson["teacher"]), 999999, {"text": "Nobody"}, 404),
        (client_for(lesson["teacher"]), lesson["sams"].pk, {"text": "   "}, 400),
        (client_for(lesson["teacher"]), lesson["sams"].pk, {"text": "x" * 4001}, 400),
        (client_for(lesson["teacher"]), lesson["sams"].pk, {"text": 5}, 400),
        (client_for(lesson["teacher"]), lesson["sams"].pk, {"text": "Hi", "score": 1}, 400),
        (client_for(lesson["teacher"]), lesson["sams"].pk, '{"text": ', 400),
        (Client(), lesson["sams"].pk, {"text": "Anonymous"}, 401),
    ]
    for client, claim_id, data, status in cases:
        response = api(client, "post", f"/api/annotations/{claim_id}/teacher-comments/", data)
        assert response.status_code == status, (claim_id, data)
        assert "error" in response.json()
    assert not TeacherComment.objects.exists()
    # The htmx form shows the reason in place and keeps the form.
    response = htmx(lesson["teacher"]).post(f"/claims/{lesson['sams'].pk}/teacher-comments/", {"text": ""})
    assert response.status_code == 422 and response["HX-Retarget"] == f"#comment-error-{lesson['sams'].pk}"
    assert htmx(make_teacher("third")).post(f"/claims/{lesson['sams'].pk}/teacher-comments/",
                                            {"text": "x"}).status_code == 404


def test_only_the_teacher_who_wrote_a_comment_deletes_it(lesson):
    comment = api(client_for(lesson["teacher"]), "post", comments_url(lesson["sams"]), {"text": "Hmm"}).json()
    assert api(client_for(lesson["sam"]), "delete", f"/api/teacher-comments/{comment['id']}/").status_code == 404
    assert client_for(make_teacher("other")).post(f"/teacher-comments/{comment['id']}/delete/").status_code == 404
    assert TeacherComment.objects.count() == 1
    response = htmx(lesson["teacher"]).post(f"/teacher-comments/{comment['id']}/delete/")
    assert response.status_code == 200 and "Hmm" not in response.content.decode()
    assert not TeacherComment.objects.exists()
    # A stale form deleting it again finds nothing.
    assert htmx(lesson["teacher"]).post(f"/teacher-comments/{comment['id']}/delete/").status_code == 404


# Score override


def test_a_teacher_overrides_a_score_with_a_reason_and_the_keys_f1_stays_beside_it(lesson):
    teacher, sam = client_for(lesson["teacher"]), lesson["sam"]
    before = api(teacher, "get", score_url(lesson, sam)).json()
    assert before["score"] is None and before["key_f1"] == 1.0 and before["version"] == 0
    saved = api(teacher, "put", score_url(lesson, sam), {"score": 70, "reason": "Missed the point of the source."})
    assert saved.status_code == 200
    assert saved.json() | {"modified": None} == {
        "exercise": lesson["exercise"].pk, "student": sam.pk, "key_f1": 1.0, "score": 70,
        "reason": "Missed the point of the source.", "version": 1, "modified": None}
    reveal(lesson)
    page = feedback_page(client_for(sam), lesson)
    assert "Key F1: <strong>100%</strong>" in page and "Teacher's score: <strong>70%</strong>" in page
    assert "Missed the point of the source." in page and 'name="score"' not in page
    # The teacher's page has the form, drawn from the current override.
    teacher_page = feedback_page(teacher, lesson, sam)
    assert 'name="version" value="1"' in teacher_page
    # Back to the key's F1 alone.
    assert api(teacher, "delete", score_url(lesson, sam)).status_code == 204
    assert "Teacher's score" not in feedback_page(client_for(sam), lesson)
    assert api(teacher, "delete", score_url(lesson, sam)).status_code == 404


def test_a_score_from_a_stale_form_is_refused_and_the_newer_one_kept(lesson):
    teacher, sam = lesson["teacher"], lesson["sam"]
    url = f"/exercises/{lesson['exercise'].pk}/students/{sam.pk}/score/"
    assert htmx(teacher).post(url, {"score": "60", "reason": "First look", "version": "0"}).status_code == 200
    # A second tab still shows the form from before the first save.
    stale = htmx(teacher).post(url, {"score": "90", "reason": "Second tab", "version": "0"})
    assert stale.status_code == 409 and "changed elsewhere" in stale.content.decode()
    assert ScoreOverride.objects.get().score == 60
    assert api(client_for(teacher), "put", score_url(lesson, sam),
               {"score": 95, "reason": "x", "version": 5}).status_code == 409
    assert htmx(teacher).post(url, {"score": "80", "reason": "Looked again", "version": "1"}).status_code == 200
    assert (ScoreOverride.objects.get().score, ScoreOverride.objects.get().version) == (80, 2)


def test_bad_scores_and_strangers_are_refused_and_nothing_is_written(lesson):
    teacher = client_for(lesson["teacher"])
    for data, field in [({"score": 101, "reason": "r"}, "score"), ({"score": -1, "reason": "r"}, "score"),
                        ({"score": 7.5, "reason": "r"}, "score"), ({"score": True, "reason": "r"}, "score"),
                        ({"score": 50, "reason": ""}, "reason"), ({"score": 50}, "reason"),
                        ({"score": 50, "reason": "r", "version": "x"}, "version")]:
        response = api(teacher, "put", score_url(lesson, lesson["sam"]), data)
        assert (response.status_code, response.json()["field"]) == (400, field), data
    assert api(teacher, "put", score_url(lesson, lesson["outsider"]), {"score": 5, "reason": "r"}).status_code == 404
    for stranger in (lesson["sam"], lesson["kim"], make_teacher("other")):
        response = api(client_for(stranger), "put", score_url(lesson, lesson["sam"]), {"score": 100, "reason": "me"})
        assert response.status_code == 404
    assert api(Client(), "put", score_url(lesson, lesson["sam"]), {"score": 1, "reason": "r"}).status_code == 401
    assert not ScoreOverride.objects.exists()


def test_the_results_csv_carries_the_teachers_score_reason_and_comments(lesson):
    teacher = client_for(lesson["teacher"])
    api(teacher, "post", comments_url(lesson["sams"]), {"text": "=cmd|' /C calc'!A0"})
    api(teacher, "post", comments_url(lesson["kims"]), {"text": "Not in the key, but well argued."})
    api(teacher, "put", score_url(lesson, lesson["kim"]), {"score": 55, "reason": "Good extra claim"})
    response = teacher.get(f"/exercises/{lesson['exercise'].pk}/results.csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    sam_claim = next(r for r in rows if r["student"] == "sam" and r["row"] == "claim")
    assert sam_claim["teacher_comments"] == "'=cmd|' /C calc'!A0"  # escaped like every cell
    kim_summary = next(r for r in rows if r["student"] == "kim" and r["row"] == "summary")
    assert (kim_summary["teacher_score"], kim_summary["score_reason"]) == ("55", "Good extra claim")
    assert kim_summary["teacher_comments"] == "Not in the key, but well argued."
    assert kim_summary["f1"] == "0%"  # the key's F1 stays beside the override


# What a gradebook would listen to (classroom.signals)


def test_submitting_and_changing_a_grade_are_announced_after_they_are_saved(lesson, django_capture_on_commit_callbacks):
    from annotator.classroom import review, services
    from annotator.classroom.signals import grade_changed, work_submitted

    heard = []
    def listener(kind):
        return lambda sender, exercise, student, **_: heard.append((kind, exercise.pk, student))

    work_submitted.connect(listener("submitted"), weak=False, dispatch_uid="t1")
    grade_changed.connect(listener("grade"), weak=False, dispatch_uid="t2")
    try:
        exercise, sam = lesson["exercise"], lesson["sam"]
        with django_capture_on_commit_callbacks(execute=True):
            services.submit(sam, exercise)
            review.set_override(lesson["teacher"], exercise.pk, sam.pk, {"score": 90, "reason": "r"})
            client_for(lesson["teacher"]).post(f"/exercises/{exercise.pk}/reveal/", {"revealed": "1"})
        assert heard == [("submitted", exercise.pk, sam), ("grade", exercise.pk, sam), ("grade", exercise.pk, None)]
        # A refused change announces nothing.
        with django_capture_on_commit_callbacks(execute=True):
            with pytest.raises(ServiceError):
                review.set_override(lesson["teacher"], exercise.pk, sam.pk, {"score": 900, "reason": "r"})
        assert len(heard) == 3
    finally:
        work_submitted.disconnect(dispatch_uid="t1")
        grade_changed.disconnect(dispatch_uid="t2")
