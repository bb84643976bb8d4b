"""Discussion that waits for the student: classmates' claims and replies open to a student only
after N claims of their own (or once they submit), when the exercise asks for it."""

from django.test import Client

from annotator.classroom import services as classroom
from annotator.classroom.models import Exercise
from annotator.discussion import services as discussion

from .factories import client_for, make_claim


def wait_for(lesson, n):
    lesson["exercise"].peers_after_claims = n
    lesson["exercise"].save(update_fields=["peers_after_claims"])


def sees(user, claim):
    return client_for(user).get(f"/api/annotations/{claim.pk}/").status_code == 200


def test_classmates_claims_open_to_a_student_after_two_claims_of_their_own_and_never_the_key(lesson):
    wait_for(lesson, 2)
    lee, kims, exercise = lesson["lee"], lesson["kims"], lesson["exercise"]
    page = client_for(lee).get(f"/exercises/{exercise.pk}/").content.decode()
    assert "They open to you after 2 claims of your own" in page and "You have 0 so far" in page
    assert not sees(lee, kims)
    assert client_for(lee).get(f"/exercises/{exercise.pk}/discussion/a/").status_code == 404
    make_claim(lee, lesson["a"], "the Kremlin said", exercise=exercise)
    assert not sees(lee, kims)
    make_claim(lee, lesson["a"], "Critics called", "editorialized", exercise=exercise)
    assert sees(lee, kims) and not sees(lee, lesson["key"])
    assert client_for(lee).get(f"/api/annotations/{kims.pk}/").json()["author"] == "Student B"
    page = client_for(lee).get(f"/exercises/{exercise.pk}/").content.decode()
    assert "Your classmates' claims are open to you" in page
    reader = client_for(lee).get(f"/exercises/{exercise.pk}/discussion/a/").content.decode()
    assert "a strongman" in reader and "Student B" in reader and ">kim<" not in reader
    # Replies open too: lee answers kim, and kim (who has not earned it yet) cannot read the thread.
    discussion.create_reply(lee, kims.pk, {"text": "Why editorialized?"})
    assert client_for(lee).get(f"/api/annotations/{kims.pk}/replies/").json()["results"][0]["text"] == \
        "Why editorialized?"
    assert client_for(kim := lesson["kim"]).get(f"/api/annotations/{kims.pk}/replies/").status_code == 403
    assert not sees(kim, lesson["sams"])
    # Not for anyone outside the class.
    assert client_for(lesson["outsider"]).get(f"/api/annotations/{kims.pk}/").status_code == 404
    assert Client().get(f"/api/annotations/{kims.pk}/").status_code in (401, 404)


def test_submitting_opens_classmates_claims_even_with_fewer_claims(lesson):
    wait_for(lesson, 5)
    lee = lesson["lee"]
    assert not sees(lee, lesson["kims"])
    classroom.submit(lee, lesson["exercise"])
    assert sees(lee, lesson["kims"]) and sees(lee, lesson["sams"])


def test_without_the_option_classmates_claims_stay_closed_until_discussion_mode(lesson):
    lee = lesson["lee"]
    for phrase in ("the Kremlin said", "Critics called", "Putin urged restraint"):
        make_claim(lee, lesson["a"], phrase, exercise=lesson["exercise"])
    classroom.submit(lee, lesson["exercise"])
    assert not sees(lee, lesson["kims"])
    assert "Classmates' claims" not in client_for(lee).get(f"/exercises/{lesson['exercise'].pk}/").content.decode()


def test_the_exercise_form_takes_a_count_from_1_to_100_or_nothing(lesson):
    teacher, exercise = client_for(lesson["teacher"]), lesson["exercise"]
    form = {"title": "Restraint", "articles": [lesson["a"].pk, lesson["b"].pk], "labels": ["attributed"],
            "min_contradicting_links": "0", "reveal_policy": "on_submit"}
    for value, message in [("0", "Enter 1 or more"), ("101", "Enter at most 100"), ("many", "whole number")]:
        page = teacher.post(f"/exercises/{exercise.pk}/edit/", {**form, "peers_after_claims": value})
        assert page.status_code == 200 and message in page.content.decode()
    assert teacher.post(f"/exercises/{exercise.pk}/edit/", {**form, "peers_after_claims": "3"}).status_code == 302
    assert Exercise.objects.get(pk=exercise.pk).peers_after_claims == 3
    teacher.post(f"/exercises/{exercise.pk}/edit/", {**form, "peers_after_claims": ""})
    assert Exercise.objects.get(pk=exercise.pk).peers_after_claims is None
