"""What classroom membership lets a user read (registered with annotations.access in apps.py).

- `class` claims made outside exercises: everyone who shares a class with their author.
- Work inside an exercise: its author and the class's teacher, always.
- The answer key: the teacher; each student once it is revealed to them (reveal policy).
- Students' exercise work: the whole class once the teacher opens discussion mode (the
  pages show it anonymised).
"""

from django.db.models import Q
from django.utils import timezone

from .models import Classroom, Exercise, Membership, Reveal


def my_classroom_ids(user):
    return Classroom.objects.filter(Q(teacher=user) | Q(memberships__student=user)).values("pk")


def classmate_ids(user):
    """Users who share at least one class with `user` (students and teachers)."""
    from django.contrib.auth import get_user_model

    classes = my_classroom_ids(user)
    return get_user_model().objects.filter(
        Q(memberships__classroom__in=classes) | Q(classrooms_taught__in=classes)
    ).values("pk")


def revealed_exercise_ids(user):
    """Exercises whose key `user`, as a student, may now see."""
    now = timezone.now()
    return (
        Exercise.objects.filter(classroom__memberships__student=user)
        .filter(
            Q(revealed=True)
            | Q(discussion=True)
            | Q(reveal_policy=Reveal.AFTER_DUE, due__lte=now)
            | Q(reveal_policy=Reveal.ON_SUBMIT, submissions__student=user, submissions__submitted__isnull=False)
        )
        .values("pk")
    )


def in_any_class(user):
    """Whether `user` teaches or belongs to a class, asked once per request (cached on the user)."""
    if not hasattr(user, "_in_any_class"):
        user._in_any_class = Classroom.objects.filter(Q(teacher=user) | Q(memberships__student=user)).exists()
    return user._in_any_class


def classroom_q(user, prefix=""):
    p = prefix
    if not in_any_class(user):
        # Most readers belong to no class: spare every query the subqueries below.
        return Q(**{f"{p}pk__in": []})
    return (
        Q(**{f"{p}exercise__isnull": True, f"{p}visibility": "class", f"{p}author__in": classmate_ids(user)})
        | Q(**{f"{p}exercise__classroom__teacher": user})
        | Q(**{f"{p}is_key": True, f"{p}exercise__in": revealed_exercise_ids(user)})
        | Q(**{f"{p}is_key": False, f"{p}exercise__discussion": True,
               f"{p}exercise__classroom__in": Membership.objects.filter(student=user).values("classroom")})
    )
