"""Each student's links in an exercise, on the dashboard and in feedback: claim → passage, the
relation, whether the key agrees, and the teacher's mark (sound or not); and the link an
exercise requires may be of either relation."""

import pytest

from annotator.classroom.link_review import review_link
from annotator.classroom.models import LinkReview, Submission
from annotator.errors import NotFound, ServiceError

from .factories import client_for, make_claim, make_link, make_teacher


@pytest.fixture
def linked(lesson):
    """The key links its claim to PressTV's sentence; sam links the same passage (agrees) and a
    claim not in the key to another passage."""
    b = lesson["b"]
    make_link(lesson["teacher"], lesson["key"], b, "Putin praised the attack as wise")
    agrees = make_link(lesson["sam"], lesson["sams"], b, "Putin praised the attack as wise")
    extra_claim = make_claim(lesson["sam"], lesson["a"], "Critics called it", "disputed", exercise=lesson["exercise"])
    extra = make_link(lesson["sam"], extra_claim, b, "PressTV claimed", "corroborates")
    return {**lesson, "agrees": agrees, "extra": extra}


def dashboard(world):
    return client_for(world["teacher"]).get(f"/exercises/{world['exercise'].pk}/dashboard/").content.decode()


def test_the_dashboard_lists_each_students_links_with_what_the_key_says(linked):
    page = dashboard(linked)
    assert 'id="student-links"' in page
    row = page[page.index(f'id="student-link-{linked["agrees"].pk}"'):]
    row = row[: row.index("</li>")]
    assert "Putin urged restraint" in row and "contradicted by" in row and "Putin praised the attack as wise" in row
    assert "The key links the same passage" in row and "not marked yet" in row
    other = page[page.index(f'id="student-link-{linked["extra"].pk}"'):]
    assert "corroborated by" in other[:2000] and "This claim is not in the key" in other[:2000]


def test_a_teacher_marks_a_link_sound_or_not_and_the_student_sees_it_in_feedback(linked):
    exercise, link = linked["exercise"], linked["extra"]
    teacher = client_for(linked["teacher"], HTTP_HX_REQUEST="true")
    row = teacher.post(f"/exercises/{exercise.pk}/links/{link.pk}/review/", {"verdict": "unsound"}).content.decode()
    assert "You marked it not sound" in row and 'aria-pressed="true">Not sound' in row
    assert LinkReview.objects.get(link=link).sound is False
    exercise.revealed = True
    exercise.save()
    feedback = client_for(linked["sam"]).get(f"/exercises/{exercise.pk}/feedback/").content.decode()
    assert "Your links" in feedback and "Your teacher marked it not sound" in feedback
    assert "The key links the same passage" in feedback
    assert "/review/" not in feedback  # a student reads the mark, never sets it
    teacher.post(f"/exercises/{exercise.pk}/links/{link.pk}/review/", {"verdict": "clear"})
    assert not LinkReview.objects.exists()


def test_a_mark_posted_without_htmx_returns_to_the_link_on_the_dashboard(linked):
    exercise, link = linked["exercise"], linked["agrees"]
    response = client_for(linked["teacher"]).post(f"/exercises/{exercise.pk}/links/{link.pk}/review/", {"verdict": "sound"})
    assert response.status_code == 302
    assert response["Location"] == f"/exercises/{exercise.pk}/dashboard/#student-link-{link.pk}"
    assert "You marked it sound" in dashboard(linked)


def test_marking_is_refused_for_other_teachers_key_links_unknown_verdicts_and_changes_nothing(linked):
    exercise = linked["exercise"]
    with pytest.raises(NotFound):
        review_link(make_teacher("other"), exercise.pk, linked["agrees"].pk, "sound")
    key_link = linked["key"].links.get()
    with pytest.raises(NotFound):
        review_link(linked["teacher"], exercise.pk, key_link.pk, "sound")
    with pytest.raises(ServiceError) as bad:
        review_link(linked["teacher"], exercise.pk, linked["agrees"].pk, "maybe")
    assert bad.value.field == "verdict"
    response = client_for(linked["teacher"], HTTP_HX_REQUEST="true").post(
        f"/exercises/{exercise.pk}/links/{linked['agrees'].pk}/review/", {"verdict": "maybe"})
    assert response.status_code == 422 and response["HX-Retarget"] == f"#student-link-error-{linked['agrees'].pk}"
    assert "Mark the link sound or not sound." in response.content.decode()
    assert not LinkReview.objects.exists()


@pytest.mark.parametrize("relation, other", [("corroborates", "contradicts"), ("any", None)])
def test_an_exercise_may_require_links_of_either_relation(lesson, relation, other):
    exercise, sam = lesson["exercise"], lesson["sam"]
    exercise.min_contradicting_links, exercise.required_link_relation = 1, relation
    exercise.save()
    client = client_for(sam)
    if other:
        make_link(sam, lesson["sams"], lesson["b"], "Putin praised the attack", other)
        refused = client.post(f"/exercises/{exercise.pk}/submit/", {"confirm": "yes"}, follow=True).content.decode()
        assert "Link 1 more claim to a passage that corroborates it, in another article, before you submit." in refused
        assert not Submission.objects.filter(submitted__isnull=False).exists()
    make_link(sam, lesson["sams"], lesson["b"], "PressTV claimed", "corroborates")
    client.post(f"/exercises/{exercise.pk}/submit/", {"confirm": "yes"})
    assert Submission.objects.filter(student=sam, submitted__isnull=False).exists()


def test_the_exercise_form_offers_the_relation_required(lesson):
    page = client_for(lesson["teacher"]).get(f"/exercises/{lesson['exercise'].pk}/edit/").content.decode()
    assert "Each required link goes to" in page and "a passage that contradicts or corroborates it" in page
