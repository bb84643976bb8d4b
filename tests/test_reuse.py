"""Reuse: an exercise copied to another class or term, an earlier key reused, a preview as a
student sees it, and more time for one student."""

import json
from datetime import timedelta

from django.test import Client
from django.utils import timezone

from annotator.annotations.models import Annotation, Link
from annotator.classroom.models import Exercise, Extension, Reveal

from .factories import client_for, make_class, make_exercise, make_link, make_teacher


def htmx(user):
    return client_for(user, HTTP_HX_REQUEST="true")


def api_post(client, url, data):
    return client.post(url, data if isinstance(data, str) else json.dumps(data), content_type="application/json")


def test_a_teacher_copies_an_exercise_with_its_articles_instructions_and_key_to_another_class(lesson):
    exercise, teacher = lesson["exercise"], lesson["teacher"]
    exercise.instructions, exercise.labels, exercise.due = "Read both.", ["attributed", "disputed"], timezone.now()
    exercise.revealed = True
    exercise.save()
    make_link(teacher, lesson["key"], lesson["b"], "Putin praised")
    spring = make_class(teacher, name="Spring term")
    response = htmx(teacher).post(f"/exercises/{exercise.pk}/copy/", {"classroom": spring.pk, "title": "Restraint II"})
    copy = Exercise.objects.get(classroom=spring)
    assert response.status_code == 200 and response["HX-Redirect"] == f"/exercises/{copy.pk}/dashboard/"
    assert (copy.title, copy.instructions, copy.labels) == ("Restraint II", "Read both.", ["attributed", "disputed"])
    assert set(copy.articles.all()) == {lesson["a"], lesson["b"]}
    assert (copy.due, copy.revealed, copy.discussion) == (None, False, False)
    key = Annotation.objects.get(exercise=copy)  # the key alone: no student's work comes along
    assert (key.is_key, key.exact, key.explanation, key.source) == (True, "Putin urged restraint",
                                                                    "The Kremlin's words.", "Kremlin")
    assert Link.objects.get(source_annotation=key).to_exact == "Putin praised"
    # Through the API, into the same class (next term), keeping the title.
    made = api_post(client_for(teacher), f"/api/exercises/{exercise.pk}/copy/", {"classroom": lesson["classroom"].pk})
    assert made.status_code == 201
    assert made.json()["title"] == exercise.title and made.json()["key"] == {
        "copied": 1, "already": 0, "orphaned": 0, "elsewhere": 0}


def test_copying_is_refused_for_other_classes_other_teachers_and_students(lesson):
    exercise, teacher = lesson["exercise"], lesson["teacher"]
    other = make_teacher("other")
    theirs = make_class(other, name="Theirs")
    before = Exercise.objects.count()
    cases = [
        (client_for(teacher), exercise.pk, {"classroom": theirs.pk}, 404, "classroom"),
        (client_for(teacher), exercise.pk, {"classroom": "abc"}, 400, "classroom"),
        (client_for(teacher), exercise.pk, {"classroom": lesson["classroom"].pk, "title": "x" * 201}, 400, "title"),
        (client_for(teacher), exercise.pk, {"title": "No class"}, 400, "classroom"),
        (client_for(other), exercise.pk, {"classroom": theirs.pk}, 404, "exercise"),
        (client_for(lesson["sam"]), exercise.pk, {"classroom": lesson["classroom"].pk}, 404, "exercise"),
        (client_for(teacher), 999999, {"classroom": lesson["classroom"].pk}, 404, "exercise"),
    ]
    for client, pk, data, status, field in cases:
        response = api_post(client, f"/api/exercises/{pk}/copy/", data)
        assert (response.status_code, response.json().get("field")) == (status, field), data
    assert api_post(Client(), f"/api/exercises/{exercise.pk}/copy/", {"classroom": 1}).status_code == 401
    # The dashboard's form shows the refusal in place.
    response = htmx(teacher).post(f"/exercises/{exercise.pk}/copy/", {"classroom": "", "title": "t"})
    assert response.status_code == 422 and response["HX-Retarget"] == "#copy-error"
    assert Exercise.objects.count() == before


def test_a_new_exercise_reuses_an_earlier_key_once(lesson):
    teacher = lesson["teacher"]
    fresh = make_exercise(lesson["classroom"], [lesson["a"]], title="Round two")
    response = htmx(teacher).post(f"/exercises/{fresh.pk}/reuse-key/", {"from": lesson["exercise"].pk})
    assert response.status_code == 200 and response["HX-Redirect"] == f"/exercises/{fresh.pk}/dashboard/"
    assert list(fresh.annotations.values_list("exact", "is_key")) == [("Putin urged restraint", True)]
    again = api_post(client_for(teacher), f"/api/exercises/{fresh.pk}/reuse-key/", {"from": lesson["exercise"].pk})
    assert again.json() == {"copied": 0, "already": 1, "orphaned": 0, "elsewhere": 0}
    assert fresh.annotations.count() == 1
    # The dashboard offers it.
    assert "Reuse an earlier key" in client_for(teacher).get(f"/exercises/{fresh.pk}/dashboard/").content.decode()
    assert api_post(client_for(teacher), f"/api/exercises/{fresh.pk}/reuse-key/",
                    {"from": fresh.pk}).status_code == 400
    other = make_teacher("other")
    theirs = make_exercise(make_class(other, name="Theirs"), [lesson["a"]])
    assert api_post(client_for(teacher), f"/api/exercises/{fresh.pk}/reuse-key/",
                    {"from": theirs.pk}).status_code == 404
    assert api_post(client_for(other), f"/api/exercises/{theirs.pk}/reuse-key/",
                    {"from": lesson["exercise"].pk}).status_code == 404
    assert theirs.annotations.count() == 0


def test_the_teacher_previews_the_exercise_as_a_student_sees_it_and_nothing_can_be_done_there(lesson):
    exercise, teacher = lesson["exercise"], lesson["teacher"]
    exercise.instructions = "Tag every attributed claim."
    exercise.save()
    page = client_for(teacher).get(f"/exercises/{exercise.pk}/preview/").content.decode()
    assert "Tag every attributed claim." in page and "Preview:" in page
    assert f'href="/exercises/{exercise.pk}/preview/a/"' in page
    assert f'action="/exercises/{exercise.pk}/submit/"' not in page and "disabled" in page
    reader = client_for(teacher).get(f"/exercises/{exercise.pk}/preview/a/").content.decode()
    assert "Preview." in reader and "Putin urged restraint" in reader
    # Neither the key nor any student's work shows: the student starts with an empty page.
    assert 'class="card ' not in reader
    assert f'hx-get="/exercises/{exercise.pk}/preview/a/"' in reader
    filtered = htmx(teacher).get(f"/exercises/{exercise.pk}/preview/a/?show=disputed")
    assert filtered.status_code == 200 and f'hx-get="/exercises/{exercise.pk}/preview/a/"' in filtered.content.decode()
    assert client_for(lesson["sam"]).get(f"/exercises/{exercise.pk}/preview/").status_code == 403
    assert client_for(make_teacher("other")).get(f"/exercises/{exercise.pk}/preview/a/").status_code == 404


def test_a_student_given_more_time_sees_the_key_after_their_own_due_date(lesson):
    exercise, teacher, sam, kim = lesson["exercise"], lesson["teacher"], lesson["sam"], lesson["kim"]
    past = timezone.now() - timedelta(hours=1)
    exercise.due, exercise.reveal_policy = past, Reveal.AFTER_DUE
    exercise.save()
    later = (timezone.now() + timedelta(days=2)).replace(microsecond=0)
    response = htmx(teacher).post(f"/exercises/{exercise.pk}/more-time/",
                                  {"student": sam.pk, "due": later.strftime("%Y-%m-%dT%H:%M")})
    assert response.status_code == 200 and Extension.objects.get().student == sam
    # kim's due date has passed: the key and feedback are hers; sam's has not.
    assert client_for(kim).get(f"/exercises/{exercise.pk}/feedback/").status_code == 200
    assert client_for(sam).get(f"/exercises/{exercise.pk}/feedback/").status_code == 302
    assert client_for(sam).get(f"/api/annotations/{lesson['key'].pk}/").status_code == 404
    assert client_for(kim).get(f"/api/annotations/{lesson['key'].pk}/").status_code == 200
    assert "your teacher gave you more time" in client_for(sam).get(f"/exercises/{exercise.pk}/").content.decode()
    assert "more time for you" in client_for(sam).get("/classes/").content.decode()
    due = client_for(teacher).get(f"/api/exercises/{exercise.pk}/students/{sam.pk}/due/").json()
    assert due["own"] is True
    # Taken back: sam's date is the exercise's again, and the key opens to him.
    assert client_for(teacher).delete(f"/api/exercises/{exercise.pk}/students/{sam.pk}/due/").status_code == 200
    assert client_for(sam).get(f"/api/annotations/{lesson['key'].pk}/").status_code == 200


def test_more_time_is_refused_when_it_is_not_more_or_not_a_date_or_not_the_teachers(lesson):
    exercise, teacher, sam = lesson["exercise"], lesson["teacher"], lesson["sam"]
    exercise.due = timezone.now()
    exercise.save()
    url = f"/api/exercises/{exercise.pk}/students/{sam.pk}/due/"
    earlier = (exercise.due - timedelta(days=1)).isoformat()
    for data, field in [({"due": earlier}, "due"), ({"due": "next Tuesday"}, "due"), ({"due": 5}, "due"),
                        ({}, "due"), ({"due": "2030-01-01T10:00", "x": 1}, "x")]:
        response = client_for(teacher).put(url, json.dumps(data), content_type="application/json")
        assert (response.status_code, response.json()["field"]) == (400, field), data
    later = json.dumps({"due": "2099-01-01T10:00"})
    assert client_for(sam).put(url, later, content_type="application/json").status_code == 404
    assert client_for(make_teacher("other")).put(url, later, content_type="application/json").status_code == 404
    outsider = f"/api/exercises/{exercise.pk}/students/{lesson['outsider'].pk}/due/"
    assert client_for(teacher).put(outsider, later, content_type="application/json").status_code == 404
    assert client_for(teacher).delete(url).status_code == 409  # nothing to take back
    assert not Extension.objects.exists()
    response = htmx(teacher).post(f"/exercises/{exercise.pk}/more-time/", {"student": sam.pk, "due": ""})
    assert response.status_code == 422 and response["HX-Retarget"] == "#more-time-error"
