"""Every number a user can set or send has a sensible maximum and a clear 4xx beyond it.

An exercise that required 99,999 contradicting links could never be submitted by anyone;
numbers in query strings and form fields that Python cannot read as an int (a superscript
"²", five thousand digits) used to answer 500.
"""

import html
import pytest

from annotator.annotations.models import Annotation
from annotator.classroom.models import MAX_REQUIRED_LINKS, Exercise
from annotator.corpus.search import MAX_LIMIT

from .factories import BODY_A, BODY_B, client_for, make_article, make_class, make_exercise, make_teacher, make_user, span

HUGE = "9" * 5000  # more digits than Python converts to an int
UNREADABLE = ("²", HUGE, "1e3", "-1", "twelve")


@pytest.fixture
def classroom(db):
    """A class of one student, and two articles, but no exercise yet."""
    teacher, student = make_teacher("teach"), make_user("sam")
    a, b = make_article("a", BODY_A), make_article("b", BODY_B)
    classroom = make_class(teacher, [student], join_code="maple-otter-42")
    return {"teacher": teacher, "student": student, "classroom": classroom, "a": a, "b": b}


def exercise_form(classroom, required):
    return {"title": "Restraint or praise?", "articles": [classroom["a"].pk, classroom["b"].pk],
            "labels": ["attributed", "disputed"], "min_contradicting_links": required, "reveal_policy": "on_submit"}


# Contradicting links required


def test_an_exercise_requiring_more_links_than_the_maximum_is_refused_with_why(classroom):
    teacher = client_for(classroom["teacher"])
    response = teacher.post(f"/classes/{classroom['classroom'].pk}/exercises/new/", exercise_form(classroom, "99999"))
    assert response.status_code == 200
    page = response.content.decode()
    assert f"Ask for at most {MAX_REQUIRED_LINKS} links" in page
    assert "keep students from ever submitting" in page
    assert not Exercise.objects.exists()


@pytest.mark.parametrize("value", UNREADABLE)
def test_an_unreadable_number_of_required_links_is_refused_and_saves_nothing(classroom, value):
    teacher = client_for(classroom["teacher"])
    response = teacher.post(f"/classes/{classroom['classroom'].pk}/exercises/new/", exercise_form(classroom, value))
    assert response.status_code == 200
    page = response.content.decode()
    # A negative number is read, then refused by the field's lower bound.
    says = "Enter 0 or more." if value == "-1" else f"Enter a whole number from 0 to {MAX_REQUIRED_LINKS}."
    assert says in page
    assert not Exercise.objects.exists()


def test_editing_an_exercise_past_the_maximum_keeps_the_old_requirement(classroom):
    exercise = make_exercise(classroom["classroom"], [classroom["a"], classroom["b"]], title="Restraint",
                             min_contradicting_links=2)
    teacher = client_for(classroom["teacher"])
    response = teacher.post(f"/exercises/{exercise.pk}/edit/", exercise_form(classroom, str(MAX_REQUIRED_LINKS + 1)))
    assert f"Ask for at most {MAX_REQUIRED_LINKS}" in response.content.decode()
    exercise.refresh_from_db()
    assert (exercise.min_contradicting_links, exercise.title) == (2, "Restraint")


def test_the_maximum_itself_is_accepted_and_the_field_says_its_range(classroom):
    teacher = client_for(classroom["teacher"])
    url = f"/classes/{classroom['classroom'].pk}/exercises/new/"
    form = teacher.get(url).content.decode()
    assert f'max="{MAX_REQUIRED_LINKS}"' in form and 'min="0"' in form
    response = teacher.post(url, exercise_form(classroom, str(MAX_REQUIRED_LINKS)))
    assert response.status_code == 302
    assert Exercise.objects.get().min_contradicting_links == MAX_REQUIRED_LINKS


# The reader's ?cards=


@pytest.mark.parametrize("value", ("²", HUGE, "10001", "-1", "lots"))
def test_the_reader_answers_a_bad_card_count_with_a_clear_400(classroom, value):
    response = client_for(classroom["student"]).get("/articles/a/", {"cards": value})
    assert response.status_code == 400
    assert "(cards=) must be a whole number from 0 to 10,000, or all" in response.content.decode()


@pytest.mark.parametrize("value", ("0", "50", "10000", "all", ""))
def test_the_reader_lists_cards_for_any_count_within_bounds(classroom, value):
    assert client_for(classroom["student"]).get("/articles/a/", {"cards": value}).status_code == 200


def test_a_bad_card_count_in_an_exercise_reader_is_a_400_too(classroom):
    exercise = make_exercise(classroom["classroom"], [classroom["a"], classroom["b"]], title="Restraint",
                             discussion=True)
    for path in (f"/exercises/{exercise.pk}/articles/a/", f"/exercises/{exercise.pk}/discussion/a/"):
        assert client_for(classroom["student"]).get(path, {"cards": HUGE}).status_code == 400, path


# Passage search's ?limit= and other numbers in the API and downloads


@pytest.mark.parametrize("path, query", (("/api/articles/a/related/", {"start": 16, "end": 37}),
                                         ("/api/passages/search/", {"q": "Putin"})))
@pytest.mark.parametrize("value", ("0", str(MAX_LIMIT + 1), "99999999999999999999", HUGE, "²"))
def test_a_passage_limit_out_of_bounds_is_a_400_naming_limit(classroom, path, query, value):
    response = client_for(classroom["student"]).get(path, {**query, "limit": value})
    assert response.status_code == 400
    assert response.json()["field"] == "limit"


@pytest.mark.parametrize("value", ("²", HUGE, "1e3"))
def test_a_replies_download_for_an_unreadable_exercise_id_is_a_400(classroom, value):
    response = client_for(classroom["student"]).get("/export/replies.csv", {"exercise": value})
    assert response.status_code == 400
    assert response.json()["field"] == "exercise"


@pytest.mark.parametrize("value", ("²", HUGE))
def test_a_claim_posted_with_an_unreadable_exercise_is_refused_and_saves_nothing(classroom, value):
    a = classroom["a"]
    response = client_for(classroom["student"]).post(
        "/articles/a/claims/", {**span(a, "Critics"), "label": "disputed", "exercise": value})
    assert response.status_code == 422
    assert "exercise must be an integer" in html.unescape(response.content.decode())
    assert not Annotation.objects.exists()


def test_an_unreadable_preview_key_does_not_break_saving_an_article(classroom):
    response = client_for(classroom["teacher"]).post("/articles/add/save/", {"key": "²"})
    assert response.status_code == 400
