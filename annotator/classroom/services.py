"""Classroom actions and the rules annotation writes obey inside an exercise."""

import re

from django.db import IntegrityError, transaction
from django.utils import timezone

from annotator.annotations.validation import as_integer
from annotator.errors import Conflict, Forbidden, NotFound, ServiceError

from . import throttle
from .models import (
    Classroom,
    Exercise,
    Membership,
    RequiredRelation,
    Submission,
    new_join_code,
)
from .signals import announce, grade_changed, key_revealed, work_submitted
from .visibility import revealed_exercise_ids


def exercise_for_writing(user, exercise_id, article, key=False):
    """The exercise `user` may now annotate `article` in (as its teacher when `key`), or an error."""
    if exercise_id in (None, ""):
        raise ServiceError("exercise is required.", "exercise")
    # as_integer, not int(): JSON true is not exercise 1.
    exercise_id = as_integer(exercise_id, "exercise")
    try:
        exercise = Exercise.objects.select_related("classroom").get(pk=exercise_id)
    except Exercise.DoesNotExist:
        raise NotFound(f"No exercise {exercise_id} of yours.", "exercise") from None
    try:
        check_exercise_author(exercise, user, article, key)
    except NotInClass:
        # To a stranger, an exercise that exists and one that does not look the same.
        raise NotFound(f"No exercise {exercise_id} of yours.", "exercise") from None
    if not key:
        if not exercise.is_open():
            raise Forbidden("This exercise is not open yet.", "exercise")
        check_not_submitted(user, exercise)
    return exercise


class NotInClass(Forbidden):
    """The author is neither the exercise's teacher nor a student of its class."""


def check_exercise_author(exercise, user, article, key):
    """Refuse a claim in `exercise` on `article` that `user` may never write, at any time:
    the answer key (`key`) is the teacher's alone, other work is a class member's, and both
    are on the exercise's articles. The JSON API, the pages and import_annotations all ask
    here. `user` may be unsaved: an account that an import would create is in no class.
    `exercise.classroom` is read, so load it with the exercise.
    """
    teacher = exercise.classroom.teacher_id == user.pk
    if not teacher and not Membership.objects.filter(classroom=exercise.classroom_id, student_id=user.pk).exists():
        raise NotInClass("Only the exercise's teacher and the students of its class write in it.", "exercise")
    if key and not teacher:
        raise Forbidden("Only the exercise's teacher writes its answer key.", "exercise")
    if not key and teacher:
        raise Forbidden("Teachers annotate an exercise in key mode.", "exercise")
    if not exercise.articles.filter(pk=article.pk).exists():
        raise ServiceError("This article is not part of the exercise.", "article")


def check_not_submitted(user, exercise):
    if Submission.objects.filter(exercise=exercise, student=user, submitted__isnull=False).exists():
        raise Forbidden("You have submitted this exercise; your work is locked unless your teacher reopens it.",
                        "exercise")


def check_label_in_play(exercise, label):
    if label not in exercise.labels:
        raise ServiceError(f"This exercise uses only these labels: {', '.join(exercise.labels)}.", "label")


def check_unlocked(user, annotation):
    """Refuse to change a student's exercise claim once they have submitted."""
    if annotation.exercise_id and not annotation.is_key:
        check_not_submitted(user, annotation.exercise)


def normalise_code(code):
    """Codes are read aloud and typed by hand: case, spaces and punctuation between the parts don't matter."""
    return "-".join(re.findall(r"[^\W_]+", (code or "").lower()))


def class_for_code(code, account=None, address=None):
    """The class whose join code is `code`; a wrong code counts against `account` and `address`.

    Past the throttle's limits the answer is TooManyAttempts (429) without looking at the
    code at all, so a refused guess learns nothing.
    """
    keys = throttle.keys_for(account, address)
    tries = throttle.start(keys)
    classroom = Classroom.objects.filter(join_code=normalise_code(code)).first()
    if classroom is not None:
        throttle.right(tries)
        return classroom
    throttle.wrong(tries, keys)
    message = "No class has that join code. Check it with your teacher."
    left = throttle.left_before_pause(keys)
    if left is not None and left <= 2:
        message += f" After {left} more wrong code{'s' if left != 1 else ''}, joining pauses for a while."
    raise ServiceError(message, "code")


def join(user, code, address=None):
    """Put `user` in the class whose join code is `code`, typed from `address`; return the class."""
    return enrol(user, class_for_code(code, user, address))


def enrol(user, classroom):
    if classroom.teacher_id == user.pk:
        raise ServiceError("You teach this class; students join it with the code.", "code")
    if classroom.archived is not None:
        raise ServiceError(f"{classroom.name} is archived for the end of term: it takes no new students.", "code")
    try:
        with transaction.atomic():
            Membership.objects.create(classroom=classroom, student=user)
    except IntegrityError:
        raise Conflict(f"You are already in {classroom.name}.", "code") from None
    return classroom


def rotate_code(classroom):
    classroom.join_code = new_join_code()
    classroom.save(update_fields=["join_code"])


def required_links_made(user, exercise):
    """How many of `user`'s claims in `exercise` have a link of the relation it requires."""
    links = {"links__isnull": False} if exercise.required_link_relation == RequiredRelation.ANY else \
        {"links__relation": exercise.required_link_relation}
    return exercise.annotations.filter(author=user, is_key=False, **links).values("pk").distinct().count()


def links_missing(user, exercise):
    """How many more claims `user` must link before submitting, and the sentence that says so
    (the exercise page and a refused submit say it in the same words)."""
    missing = max(0, exercise.min_contradicting_links - required_links_made(user, exercise))
    what = RequiredRelation(exercise.required_link_relation).label
    return missing, (f"Link {missing} more claim{'s' if missing > 1 else ''} to {what}, in another article, "
                     "before you submit.")


def submit(user, exercise):
    missing, message = links_missing(user, exercise)
    if missing:
        raise ServiceError(message, "links")
    with transaction.atomic():
        submission, _ = Submission.objects.select_for_update().get_or_create(exercise=exercise, student=user)
        if submission.is_submitted:
            raise Conflict("You have already submitted this exercise.")
        submission.submitted = timezone.now()
        submission.save(update_fields=["submitted"])
        announce(work_submitted, exercise, student=user, submission=submission)
    return submission


def set_sharing(exercise, revealed, discussion):
    """The teacher's switches: the key revealed to everyone, and discussion mode."""
    newly_revealed = revealed and not exercise.revealed
    exercise.revealed, exercise.discussion = revealed, discussion
    with transaction.atomic():
        exercise.save(update_fields=["revealed", "discussion"])
        if newly_revealed:
            announce(key_revealed, exercise)
        if revealed or discussion:
            announce(grade_changed, exercise, student=None)


def reopen(exercise, student):
    Submission.objects.filter(exercise=exercise, student=student).update(submitted=None)


def assists_blocked(user, article):
    """True while `user` is a student in an unrevealed exercise on `article` with suggestions off.

    Suggestions would hand them the answers, so they get none anywhere: not in the
    exercise, not in the open reader, not through the API.
    """
    if not user.is_authenticated:
        return False
    return (
        Exercise.objects.filter(articles=article, assist_allowed=False, classroom__memberships__student=user)
        .exclude(pk__in=revealed_exercise_ids(user))
        .exists()
    )
