"""A key built from the class: what many students tagged that the key lacks, accepted into the key;
one student's claim promoted into it."""

import json

from django.test import Client

from annotator.annotations.models import Annotation
from annotator.classroom import keybuild

from .factories import client_for, make_claim, make_teacher, make_user


def htmx(user):
    return client_for(user, HTTP_HX_REQUEST="true")


def api_post(client, url, data):
    return client.post(url, data if isinstance(data, str) else json.dumps(data), content_type="application/json")


def key_claims(lesson):
    return list(Annotation.objects.filter(exercise=lesson["exercise"], is_key=True)
                .values_list("exact", "label", "explanation").order_by("start"))


def class_of_nine(lesson):
    """Six more students in the lesson's class (nine in all); seven of them tag "a strongman's bluff"
    disputed (kim said editorialized), and two tag "Critics called" editorialized."""
    classroom, exercise, a = lesson["classroom"], lesson["exercise"], lesson["a"]
    more = [make_user(f"s{i}") for i in range(6)]
    for student in more:
        classroom.memberships.create(student=student)
    for student in [lesson["sam"], lesson["lee"], *more[:5]]:
        make_claim(student, a, "a strongman's bluff", "disputed", exercise=exercise)
    for student in more[4:]:
        make_claim(student, a, "Critics called", "editorialized", exercise=exercise)
    # A wider highlight of the same words still counts as the same span.
    make_claim(more[5], a, "called it a strongman's bluff", "disputed", exercise=exercise)
    return more


def test_the_dashboard_offers_what_most_of_the_class_tagged_and_the_key_lacks(lesson):
    class_of_nine(lesson)
    page = client_for(lesson["teacher"]).get(f"/exercises/{lesson['exercise'].pk}/dashboard/").content.decode()
    assert "<strong>8 of 9</strong> tagged this" in page and "strongman&#x27;s bluff" in page
    assert "Critics called" not in page.split("from-class-heading")[1].split("</section>")[0]  # only 2 of 9
    listed = client_for(lesson["teacher"]).get(f"/api/exercises/{lesson['exercise'].pk}/class-key/").json()
    assert [(s["exact"], s["label"], s["students"], s["of"]) for s in listed["results"]] == [
        ("a strongman's bluff", "disputed", 8, 9)]
    # What the key has is never offered: sam's "Putin urged restraint" matches the key claim.
    assert all(s["exact"] != "Putin urged restraint" for s in listed["results"])


def test_accepting_a_suggestion_copies_the_span_into_the_key_with_an_explanation_once(lesson):
    class_of_nine(lesson)
    exercise, a = lesson["exercise"], lesson["a"]
    suggestion = keybuild.suggestions_for(exercise)[0]
    form = {"slot": "1", "article": "a", "label": suggestion.label, "start": suggestion.start, "end": suggestion.end,
            "exact": suggestion.exact, "explanation": "Critics' opinion, not a fact: disputed."}
    response = htmx(lesson["teacher"]).post(f"/exercises/{exercise.pk}/class-key/accept/", form)
    assert response.status_code == 200 and "Added to the key" in response.content.decode()
    assert key_claims(lesson)[-1] == ("a strongman's bluff", "disputed", "Critics' opinion, not a fact: disputed.")
    assert keybuild.suggestions_for(exercise) == []  # now in the key, no longer offered
    # A second tab accepting it again: a conflict, shown in place, and nothing added.
    again = htmx(lesson["teacher"]).post(f"/exercises/{exercise.pk}/class-key/accept/", form)
    assert again.status_code == 409 and again["HX-Retarget"] == "#suggestion-error-1"
    assert len(key_claims(lesson)) == 2
    # The students' feedback counts it at once.
    assert client_for(lesson["teacher"]).get(
        f"/api/exercises/{exercise.pk}/students/{lesson['lee'].pk}/score/").json()["key_f1"] == 2 / 3
    assert a.body[suggestion.start:suggestion.end] == suggestion.exact


def test_a_suggestion_is_refused_for_a_changed_text_another_article_or_another_teacher(lesson):
    exercise, teacher = lesson["exercise"], lesson["teacher"]
    base = {"article": "a", "label": "disputed", "start": 60, "end": 70, "exact": "not these!"}
    url = f"/api/exercises/{exercise.pk}/class-key/"
    assert api_post(client_for(teacher), url, base).json()["field"] == "exact"
    assert api_post(client_for(teacher), url, {**base, "article": "zzz"}).status_code == 404
    assert api_post(client_for(teacher), url, {**base, "label": "opinion"}).status_code == 400
    assert api_post(client_for(teacher), url, {**base, "start": "x"}).status_code == 400
    assert api_post(client_for(teacher), url, {"article": "a"}).status_code == 400
    assert api_post(client_for(make_teacher("other")), url, base).status_code == 404
    assert api_post(client_for(lesson["sam"]), url, base).status_code == 404
    assert api_post(Client(), url, base).status_code == 401
    assert client_for(lesson["sam"]).get(url).status_code == 404
    assert len(key_claims(lesson)) == 1


def test_a_teacher_promotes_one_students_claim_into_the_key(lesson):
    teacher, kims = lesson["teacher"], lesson["kims"]
    page = client_for(teacher).get(
        f"/exercises/{lesson['exercise'].pk}/feedback/?student={lesson['kim'].pk}").content.decode()
    assert f'action="/claims/{kims.pk}/promote/"' in page
    response = htmx(teacher).post(f"/claims/{kims.pk}/promote/", {"explanation": "Kim saw it first."})
    assert response.status_code == 200
    assert key_claims(lesson)[-1] == ("a strongman's bluff", "editorialized", "Kim saw it first.")
    assert htmx(teacher).post(f"/claims/{kims.pk}/promote/", {}).status_code == 409
    made = api_post(client_for(teacher), f"/api/annotations/{kims.pk}/promote/", {"label": "disputed"})
    assert made.status_code == 201 and made.json()["label"] == "disputed"
    # Refused: the key's own claim, another teacher, the student themself, a wrong id, a bad field.
    for client, claim_id, status in [(client_for(teacher), lesson["key"].pk, 404),
                                     (client_for(make_teacher("other")), kims.pk, 404),
                                     (client_for(lesson["kim"]), kims.pk, 404),
                                     (client_for(teacher), 999999, 404)]:
        assert api_post(client, f"/api/annotations/{claim_id}/promote/", {}).status_code == status
    assert api_post(client_for(teacher), f"/api/annotations/{kims.pk}/promote/", {"label": 3}).status_code == 400
    assert api_post(client_for(teacher), f"/api/annotations/{kims.pk}/promote/", {"x": 1}).status_code == 400
    assert len(key_claims(lesson)) == 3


def test_suggestions_need_at_least_two_students_and_half_the_class():
    from types import SimpleNamespace as S

    from annotator.classroom.grading import ExerciseWork

    article = S(pk=1, slug="a")
    claim = lambda sid, start, end, label="disputed": S(article_id=1, author_id=sid, start=start, end=end,  # noqa: E731
                                                         exact="x" * (end - start), label=label)
    work = ExerciseWork(exercise=None, key=[claim(0, 0, 5, "attributed")], key_links=[])
    work.by_student.update({1: [claim(1, 10, 20), claim(1, 1, 4)], 2: [claim(2, 12, 20)], 3: [claim(3, 11, 19, "editorialized")],
                            4: []})
    found = keybuild.class_suggestions(work, [article], [1, 2, 3, 4])
    assert [(s.start, s.end, s.label, s.count, s.of) for s in found] == [(12, 20, "disputed", 2, 4)]
    assert keybuild.class_suggestions(work, [article], [1]) == []  # one student is never "the class"
    assert keybuild.class_suggestions(work, [article], [1, 2, 3, 4, 5]) == []  # 2 of 5 is under half
