"""A teacher sets a new password for a student of their class who forgot theirs.

The new password is made here (words a child can type, like a join code, but longer) and shown
to the teacher once; the student's sessions elsewhere end with the old password.
"""

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password

from annotator.errors import Forbidden, NotFound
from annotator.roles import is_teacher

from .models import CODE_WORDS, Classroom

PASSWORD_WORDS = 4


def new_password():
    return "-".join([*(secrets.choice(CODE_WORDS) for _ in range(PASSWORD_WORDS)), str(secrets.randbelow(90) + 10)])


def reset_student_password(teacher, classroom_id, student_id):
    """A new password for `student_id`, a student of `teacher`'s class; returns (student, password).

    Refused for anyone not in the class and for a teacher or staff account that joined it: a
    teacher may not take over an account with more rights than a student's.
    """
    classroom = Classroom.objects.filter(pk=classroom_id, teacher=teacher).first()
    if classroom is None:
        raise NotFound("No class of yours here.", "classroom")
    student = get_user_model().objects.filter(pk=student_id, memberships__classroom=classroom).first()
    if student is None:
        raise NotFound("No such student in this class.", "student")
    if student.is_superuser or is_teacher(student):
        raise Forbidden(f"{student.username} is a teacher: they reset their own password.", "student")
    password = new_password()
    validate_password(password, student)
    student.set_password(password)
    student.save(update_fields=["password"])
    return student, password
