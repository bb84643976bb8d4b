"""What classroom membership lets a user read (registered with annotations.access in apps.py).

- `class` claims made outside exercises: everyone who shares a class with their author.
- Work inside an exercise: its author and the class's teacher, always.
- The answer key: the teacher; each student once it is revealed to them (reveal policy; with
  "after the due date", a student given more time waits for their own due date).
- Students' exercise work: the whole class once the teacher opens discussion mode, and with
  the exercise's `peers_after_claims` set, each student once they have made that many claims
  in it or submitted (peers_open_exercise_ids); always under anonymous names (AuthorNames below: who sees whose username, in every page, API answer
  and export).
"""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from annotator.annotations.models import Annotation

from .models import Classroom, Exercise, Extension, Membership, Reveal, Submission


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
            | (Q(reveal_policy=Reveal.AFTER_DUE, due__lte=now)
               & ~Exists(Extension.objects.filter(exercise=OuterRef("pk"), student=user, due__gt=now)))
            | Q(reveal_policy=Reveal.ON_SUBMIT, submissions__student=user, submissions__submitted__isnull=False)
        )
        .values("pk")
    )


def peers_open_exercise_ids(user):
    """Exercises where `user`, as a student, has earned classmates' work: `peers_after_claims`
    claims of their own, or their work submitted. The key stays hidden until its own reveal."""
    mine = (Annotation.objects.filter(exercise=OuterRef("pk"), author=user, is_key=False).order_by()
            .values("exercise").annotate(n=Count("pk")).values("n"))
    submitted = Submission.objects.filter(exercise=OuterRef("pk"), student=user, submitted__isnull=False)
    return (
        Exercise.objects.filter(classroom__memberships__student=user, peers_after_claims__isnull=False)
        .annotate(mine=Coalesce(Subquery(mine), 0))
        .filter(Q(mine__gte=F("peers_after_claims")) | Exists(submitted))
        .values("pk")
    )


def peers_open(user, exercise):
    """Whether `user` may read classmates' work in `exercise` before discussion mode (see above)."""
    if exercise.peers_after_claims is None or not user.is_authenticated:
        return False
    return peers_open_exercise_ids(user).filter(pk=exercise.pk).exists()


def in_no_class(user):
    """Whether classroom_q grants `user` nothing (what the reader may then trust: access.rows_decide)."""
    return not in_any_class(user)


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
        | Q(**{f"{p}is_key": False, f"{p}exercise__in": peers_open_exercise_ids(user)})
    )


# Names


TEACHER = "Teacher"
FORMER_STUDENT = "Former student"


def _lettered(student_ids):
    """{student id: "Student A", "Student B"…} for students in the order they joined the class,
    so a name means the same student on every page and in every file."""
    return {sid: f"Student {label(i)}" for i, sid in enumerate(student_ids)}


def label(index):
    """A, B, … Z, AA, AB, …: the letters of the `index`-th student (from 0)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class AuthorNames:
    """The one rule for how a viewer sees who wrote a claim, a link or a reply.

    Outside exercises an author is their real name, for everyone. Inside an exercise only
    the author themself, the exercise's teacher and staff (and the operator of manage.py,
    viewer None) see real names; anyone else sees the class's anonymous names, those of the
    discussion page: "Teacher" for the teacher (the answer key's author), "Student A",
    "Student B"… for the students in the order they joined the class, "Former student"
    for someone who has left it.

    AuthorNames.in_class() gives every author their anonymous name whoever looks: the class
    discussion pages (reader, threads, What's new) name no one, since a teacher may put them
    up in front of the class.

    names(author_id, real_name, exercise_id) is the name to show. The real name is the one
    the caller passes: pages pass people.shown_name (the display name, else the username),
    exports the username, their stable identifier. An anonymous name never depends on it,
    so a display name shows exactly where a username would. Rosters are read for many
    exercises at once by load(exercise_ids), one query, so an export of any size costs a
    constant number of queries; an exercise not loaded yet is read on first use.
    """

    def __init__(self, viewer):
        if viewer is None:
            self.viewer_id, self.all_real = None, True
        else:
            signed_in = viewer.is_authenticated
            self.viewer_id = viewer.pk if signed_in else None
            self.all_real = signed_in and viewer.is_staff
        self._rosters = {}  # exercise id -> (teacher id, {student id: anonymous name})

    @classmethod
    def in_class(cls):
        """Anonymous names for every author of an exercise, whoever looks."""
        return cls(AnonymousUser())

    def __call__(self, author_id, username, exercise_id):
        if exercise_id is None or self.all_real:  # most rows of a large download: no call further
            return username
        return self.named(author_id, username, exercise_id)[0]

    def named(self, author_id, username, exercise_id):
        """(the name to show, whether it is the username)."""
        if exercise_id is None or self.all_real or self._is_viewer(author_id):
            return username, True
        teacher_id, students = self._roster(exercise_id)
        if self._is_viewer(teacher_id):
            return username, True
        if author_id == teacher_id:
            return TEACHER, False
        return students.get(author_id, FORMER_STUDENT), False

    def _is_viewer(self, user_id):
        return user_id is not None and user_id == self.viewer_id

    def load(self, exercise_ids):
        """Read the rosters of those of `exercise_ids` not read yet (None is ignored), in one query."""
        if self.all_real:
            return
        missing = {pk for pk in exercise_ids if pk is not None and pk not in self._rosters}
        if not missing:
            return
        rows = (
            Exercise.objects.filter(pk__in=missing)
            .order_by("pk", "classroom__memberships__joined", "classroom__memberships__pk")
            .values_list("pk", "classroom__teacher_id", "classroom__memberships__student_id")
        )
        teachers, students = {}, {pk: [] for pk in missing}
        for pk, teacher_id, student_id in rows:
            teachers[pk] = teacher_id
            if student_id is not None:
                students[pk].append(student_id)
        for pk in missing:
            # A deleted exercise has no teacher: its authors are all former students.
            self._rosters[pk] = (teachers.get(pk), _lettered(students[pk]))

    def _roster(self, exercise_id):
        if exercise_id not in self._rosters:
            self.load([exercise_id])
        return self._rosters[exercise_id]
