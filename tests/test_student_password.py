"""A teacher gives a student of their class a new password; sign-up's password-rule errors show
under the password, not under its confirmation."""

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client

from annotator.classroom.passwords import reset_student_password
from annotator.errors import Forbidden, NotFound

from .factories import PASSWORD, client_for, make_teacher


def works(username, password):
    return User.objects.get(username=username).check_password(password)


def test_a_teacher_sets_a_new_password_shown_once_and_the_old_one_stops_working(lesson):
    teacher = client_for(lesson["teacher"])
    page = teacher.post(f"/classes/{lesson['classroom'].pk}/students/{lesson['sam'].pk}/password/",
                        {"confirm": "yes"}, follow=True).content.decode()
    password = re.search(r"New password for sam: ([a-z]+(?:-[a-z]+){3}-\d{2})", page).group(1)
    assert works("sam", password) and not works("sam", PASSWORD)
    assert password not in teacher.get(f"/classes/{lesson['classroom'].pk}/").content.decode()


def test_without_confirmation_nothing_changes(lesson):
    client_for(lesson["teacher"]).post(f"/classes/{lesson['classroom'].pk}/students/{lesson['sam'].pk}/password/")
    assert works("sam", PASSWORD)


def test_no_teacher_resets_a_password_outside_their_class_nor_a_teachers(lesson):
    with pytest.raises(NotFound):
        reset_student_password(make_teacher("other"), lesson["classroom"].pk, lesson["sam"].pk)
    with pytest.raises(NotFound):
        reset_student_password(lesson["teacher"], lesson["classroom"].pk, lesson["outsider"].pk)
    colleague = make_teacher("colleague")
    lesson["classroom"].memberships.create(student=colleague)
    with pytest.raises(Forbidden):
        reset_student_password(lesson["teacher"], lesson["classroom"].pk, colleague.pk)
    page = client_for(lesson["teacher"]).post(f"/classes/{lesson['classroom'].pk}/students/{colleague.pk}/password/",
                                              {"confirm": "yes"}, follow=True).content.decode()
    assert "colleague is a teacher: they reset their own password." in page
    assert works("colleague", PASSWORD)
    assert works("sam", PASSWORD)


def test_password_rule_errors_show_under_the_password_field(db):
    page = Client().post("/accounts/signup/", {"username": "newbie", "password1": "abc", "password2": "abc"}).content.decode()
    first = page[page.index('id="id_password1"'):page.index('id="id_password2"')]
    second = page[page.index('id="id_password2"'):]
    assert "This password is too short" in first and "This password is too short" not in second
    assert not User.objects.filter(username="newbie").exists()
