"""One exercise's claim map (/map/?exercise=): its key's and students' links, for the teacher at
any time and for the class in discussion mode, every student under their class name."""

import pytest
from django.test import Client

from .factories import client_for, make_link, make_teacher


@pytest.fixture
def mapped(lesson):
    make_link(lesson["sam"], lesson["sams"], lesson["b"], "Putin praised the attack as wise")
    make_link(lesson["teacher"], lesson["key"], lesson["b"], "PressTV claimed", "corroborates")
    return lesson


def exercise_map(world, who):
    return client_for(world[who]).get("/map/", {"exercise": world["exercise"].pk})


def test_the_teacher_sees_the_exercises_links_under_class_names(mapped):
    page = exercise_map(mapped, "teacher").content.decode()
    assert "Claim map: Restraint or praise?" in page
    assert f'data-claim="{mapped["sams"].pk}"' in page and f'data-claim="{mapped["key"].pk}"' in page
    assert '<td data-label="By">Student A</td>' in page and '<td data-label="By">Teacher</td>' in page
    assert ">sam<" not in page and "Putin praised the attack as wise" in page
    assert f'/exercises/{mapped["exercise"].pk}/discussion/b/#passage-' in page


def test_the_open_map_still_leaves_exercise_work_out(mapped):
    page = client_for(mapped["teacher"]).get("/map/").content.decode()
    assert "No claims are linked across articles yet." in page


def test_students_see_the_exercise_map_only_in_discussion_mode_and_anonymised(mapped):
    assert exercise_map(mapped, "kim").status_code == 404
    exercise = mapped["exercise"]
    exercise.discussion = True
    exercise.save()
    page = exercise_map(mapped, "kim").content.decode()
    assert "Student A" in page and "sam" not in page
    student_page = client_for(mapped["kim"]).get(exercise.get_absolute_url()).content.decode()
    assert f"/map/?exercise={exercise.pk}" in student_page


@pytest.mark.parametrize("value", ["999999", "abc", "", "1e3"])
def test_a_map_of_no_exercise_of_yours_is_not_found(mapped, value):
    assert client_for(mapped["teacher"]).get("/map/", {"exercise": value}).status_code == 404


def test_other_teachers_and_outsiders_get_no_exercise_map(mapped):
    assert client_for(make_teacher("other")).get("/map/", {"exercise": mapped["exercise"].pk}).status_code == 404
    assert exercise_map(mapped, "outsider").status_code == 404
    assert Client().get("/map/", {"exercise": mapped["exercise"].pk}).status_code == 404
