"""What teacher moderation adds to who may read a claim.

annotations.access ANDs `unhidden_q` into its rule (registered in apps.py): a claim a teacher hid
stays readable to its author (it is still their work, graded in an exercise) and to the
teachers who moderate it; everyone else no longer sees it anywhere (reader, API, exports).

A teacher moderates
- the claims of their exercises (students' work and the answer key), and
- outside exercises, the claims written by students of their classes.
"""

from django.db.models import Q

from annotator.classroom.models import Membership
from annotator.classroom.visibility import in_any_class


def taught_students(user):
    """The students of `user`'s classes, as a subquery."""
    return Membership.objects.filter(classroom__teacher=user).values("student")


def rows_only(user):
    """Whether unhidden_q reads only the claim and its moderation row for `user`: yes, unless
    they teach or study in a class (moderated_q then reads memberships)."""
    return not user.is_authenticated or not in_any_class(user)


def moderated_q(user, prefix=""):
    """Claims whose threads `user` moderates (see the module docstring)."""
    p = prefix
    if not user.is_authenticated or not in_any_class(user):
        return Q(**{f"{p}pk__in": []})
    return Q(**{f"{p}exercise__classroom__teacher": user}) | Q(
        **{f"{p}exercise__isnull": True, f"{p}author__in": taught_students(user)}
    )


def unhidden_q(user, prefix=""):
    """Claims `user` may still read as far as moderation goes."""
    q = Q(**{f"{prefix}moderation__hidden_at__isnull": True})
    if user.is_authenticated:
        q |= Q(**{f"{prefix}author": user}) | moderated_q(user, prefix)
    return q
