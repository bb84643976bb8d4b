"""What a new claim or link may not be, whichever way it comes in: on an archived article
(outside the exercises that keep it), a twin of one the author already has, or in an
"exercise" that is not an exercise id."""

import json
import re
import threading
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from django.db import connection
from playwright.sync_api import expect

from annotator.annotations import services
from annotator.annotations.models import Annotation, Link
from annotator.assist import services as assist
from annotator.classroom.models import Classroom, Exercise, Membership
from annotator.roles import TEACHERS_GROUP
from annotator.errors import Duplicate, NotFound

from .browser import drag_select, make_user, sign_in
from .factories import BODY_A, BODY_B, article, client_for, span

CLAIMS = "/api/annotations/"
LINKS = "/api/links/"
SHOTS = Path("/tmp/shots")


def post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def claim_data(art, phrase, **fields):
    return {"article": art.slug, **span(art, phrase), "label": "attributed", **fields}


def save(user, art, phrase, key=False, **fields):
    """The claim, made through the service (the article is its own argument there)."""
    data = claim_data(art, phrase, **fields)
    return services.create_annotation(user, data.pop("article"), data, key=key)


def link_data(claim, target, phrase):
    found = span(target, phrase)
    return {"from": claim.pk, "to_article": target.slug, "to_start": found["start"], "to_end": found["end"],
            "to_exact": phrase, "relation": "contradicts"}


def archive(art):
    art.archived = True
    art.save(update_fields=["archived"])


@pytest.fixture
def reader(db):
    return User.objects.create_user("rea", password="pw-for-tests-1")


@pytest.fixture
def here(db):
    return article("here", BODY_A)


@pytest.fixture
def there(db):
    return article("there", BODY_B)


@pytest.fixture
def lesson(db, here, there):
    teacher = User.objects.create_user("teach", password="pw-for-tests-2")
    teacher.groups.add(Group.objects.create(name=TEACHERS_GROUP))
    classroom = Classroom.objects.create(name="Period 3", teacher=teacher)
    # Id 1, so that reading JSON true as an integer would find it.
    exercise = Exercise.objects.create(pk=1, classroom=classroom, title="Restraint or praise?")
    exercise.articles.set([here, there])
    student = User.objects.create_user("sam", password="pw-for-tests-3")
    Membership.objects.create(classroom=classroom, student=student)
    return {"teacher": teacher, "student": student, "exercise": exercise}


# Archived articles


def test_a_claim_on_an_archived_article_is_404_as_its_reader_answers_and_nothing_is_written(reader, here):
    archive(here)
    client = client_for(reader)
    assert client.get(here.get_absolute_url()).status_code == 404
    response = post(client, CLAIMS, claim_data(here, "Putin urged restraint"))
    assert response.status_code == 404
    assert response.json()["field"] == "article" and "archived" in response.json()["error"]
    form = client.post(f"/articles/{here.slug}/claims/", {**span(here, "Putin urged restraint"), "label": "attributed"},
                       headers={"HX-Request": "true"})
    assert form.status_code == 404 and "archived" in form.content.decode()
    with pytest.raises(NotFound):
        assist.accept(reader, here, {"start": 16, "end": 37, "label": "attributed"})
    assert not Annotation.objects.exists()


def test_a_link_into_an_archived_article_is_404_and_nothing_is_written(reader, here, there):
    claim = save(reader, here, "Putin urged restraint")
    archive(there)
    response = post(client_for(reader), LINKS, link_data(claim, there, "Putin praised the attack"))
    assert response.status_code == 404 and response.json()["field"] == "to_article"
    assert not Link.objects.exists()


def test_a_link_from_a_claim_on_an_article_archived_since_is_404_and_nothing_is_written(reader, here, there):
    claim = save(reader, here, "Putin urged restraint")
    archive(here)
    response = post(client_for(reader), LINKS, link_data(claim, there, "Putin praised the attack"))
    assert response.status_code == 404 and response.json()["field"] == "from"
    assert not Link.objects.exists()


def test_work_goes_on_in_an_exercise_whose_article_was_archived_as_its_pages_show_it(lesson, here, there):
    archive(here)
    exercise, student, teacher = lesson["exercise"], lesson["student"], lesson["teacher"]
    assert client_for(student).get(f"/exercises/{exercise.pk}/articles/{here.slug}/").status_code == 200
    response = post(client_for(student), CLAIMS, claim_data(here, "Putin urged restraint", exercise=exercise.pk))
    assert response.status_code == 201
    work = Annotation.objects.get(pk=response.json()["id"])
    key = save(teacher, here, "the Kremlin said", exercise=exercise.pk, key=True)
    assert key.is_key
    assert post(client_for(student), LINKS, link_data(work, there, "Putin praised the attack")).status_code == 201
    # A link's target must be on the list, inside an exercise too: the link panel offers no other.
    archive(there)
    response = post(client_for(student), LINKS, link_data(work, there, "PressTV claimed"))
    assert response.status_code == 404 and response.json()["field"] == "to_article"
    assert Link.objects.count() == 1


# Duplicates


def test_an_identical_claim_by_the_same_author_is_409_naming_the_existing_one(reader, here):
    client = client_for(reader)
    first = post(client, CLAIMS, claim_data(here, "Putin urged restraint", note="One."))
    assert first.status_code == 201
    response = post(client, CLAIMS, claim_data(here, "Putin urged restraint", note="Another note, same claim."))
    assert response.status_code == 409
    assert f"claim {first.json()['id']}" in response.json()["error"]
    assert Annotation.objects.count() == 1


def test_another_label_span_author_or_exercise_makes_a_different_claim(reader, here, lesson):
    save(reader, here, "Putin urged restraint")
    save(reader, here, "Putin urged restraint", label="disputed")
    save(reader, here, "Putin urged")
    student, teacher, exercise = lesson["student"], lesson["teacher"], lesson["exercise"].pk
    save(student, here, "Putin urged restraint")
    save(student, here, "Putin urged restraint", exercise=exercise)
    save(teacher, here, "Putin urged restraint", exercise=exercise, key=True)
    save(teacher, here, "Putin urged restraint")
    assert Annotation.objects.count() == 7
    with pytest.raises(Duplicate):
        save(student, here, "Putin urged restraint", exercise=exercise)
    with pytest.raises(Duplicate):
        save(teacher, here, "Putin urged restraint", exercise=exercise, key=True)
    assert Annotation.objects.count() == 7


def test_the_claim_form_says_the_claim_exists_and_offers_to_show_it(reader, here):
    existing = save(reader, here, "Putin urged restraint")
    response = client_for(reader).post(f"/articles/{here.slug}/claims/",
                                       {**span(here, "Putin urged restraint"), "label": "attributed"},
                                       headers={"HX-Request": "true"})
    assert response.status_code == 409 and response["HX-Retarget"] == "#toolbar-error"
    html = response.content.decode()
    assert "You already tagged these words as attributed" in html
    assert f'data-action="show-claim" data-claim="{existing.pk}"' in html
    assert Annotation.objects.count() == 1


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [1280, 390])
def test_in_chromium_tagging_the_same_words_again_says_so_and_shows_the_first_claim(live_server, page, expected_statuses,
                                                                                     width):
    expected_statuses.add(409)
    reader = make_user("rea")
    here = article("here", BODY_A)
    existing = save(reader, here, "Putin urged restraint", label="editorialized")
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server, "rea")
    page.goto(live_server.url + here.get_absolute_url())
    drag_select(page, "Putin urged restraint")
    page.keyboard.press("2")
    error = page.locator("#toolbar-error")
    expect(error).to_contain_text("You already tagged these words as editorialized")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"duplicate-claim-{width}.png"))
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    error.get_by_role("button", name="Show that claim").click()
    expect(page.locator(f"#claim-{existing.pk}")).to_have_class(re.compile(r"\bis-current\b"))
    assert Annotation.objects.count() == 1


def test_concurrent_twins_of_a_claim_land_once(transactional_db):
    reader = User.objects.create_user("rea", password="pw-for-tests-1")
    here = article("here", BODY_A)
    outcomes, barrier = [], threading.Barrier(6)

    def twin():
        try:
            barrier.wait()
            save(reader, here, "Putin urged restraint")
            outcomes.append("saved")
        except Duplicate:
            outcomes.append("duplicate")
        finally:
            connection.close()

    threads = [threading.Thread(target=twin) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["duplicate"] * 5 + ["saved"]
    assert Annotation.objects.count() == 1


# The exercise field


@pytest.mark.parametrize("exercise", [True, False, 1.0, 1.5, "abc", "1.5", [1], {"id": 1}])
def test_an_exercise_that_is_not_an_integer_is_400_and_nothing_is_written(lesson, here, exercise):
    response = post(client_for(lesson["student"]), CLAIMS, claim_data(here, "Putin urged restraint", exercise=exercise))
    assert response.status_code == 400, response.content
    assert response.json()["field"] == "exercise"
    assert not Annotation.objects.exists()


def test_an_exercise_id_that_is_not_yours_is_still_404(lesson, here):
    outsider = User.objects.create_user("out", password="pw-for-tests-4")
    for exercise in (lesson["exercise"].pk, 999_999, "999999"):
        response = post(client_for(outsider), CLAIMS, claim_data(here, "Putin urged restraint", exercise=exercise))
        assert response.status_code == 404 and response.json()["field"] == "exercise"
    assert not Annotation.objects.exists()
