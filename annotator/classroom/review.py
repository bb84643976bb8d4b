"""The teacher's word on one student's work: private comments on a claim, and a score override.

A comment on a student's exercise claim is seen by that student and the exercise's teacher
only, never by classmates (not even in discussion mode) and never in exports other than the
teacher's results CSV. A teacher may comment at any time, while the exercise is still open
too. An override replaces nothing: the key's F1 is kept and shown beside the teacher's score.
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from annotator.annotations.models import Annotation
from annotator.errors import Conflict, NotAuthenticated, NotFound, ServiceError
from annotator.validation import as_integer, as_text, check_keys

from .models import Exercise, ScoreOverride, TeacherComment
from .signals import announce, grade_changed

MAX_COMMENT = 4000
MAX_REASON = 2000


def _signed_in(user):
    if not user.is_authenticated:
        raise NotAuthenticated("Sign in first.")


def taught_exercise(user, exercise_id, field="exercise"):
    """An exercise `user` teaches; NotFound for any other id, so ids leak nothing."""
    _signed_in(user)
    exercise_id = as_integer(exercise_id, field)
    exercise = Exercise.objects.select_related("classroom").filter(pk=exercise_id, classroom__teacher=user).first()
    if exercise is None:
        raise NotFound(f"No exercise {exercise_id} of yours.", field)
    return exercise


def student_of(exercise, student_id, field="student"):
    """A student of `exercise`'s class; NotFound otherwise."""
    student_id = as_integer(student_id, field)
    student = get_user_model().objects.filter(pk=student_id, memberships__classroom=exercise.classroom_id).first()
    if student is None:
        raise NotFound(f"No student {student_id} in this class.", field)
    return student


def _text(data, field, limit):
    text = as_text(data.get(field, ""), field, limit).strip()
    if not text:
        raise ServiceError(f"Write the {field} first.", field)
    return text


# Comments


def student_claim(user, claim_id, field="claim"):
    """A student's exercise claim in an exercise `user` teaches (NotFound otherwise)."""
    _signed_in(user)
    claim_id = as_integer(claim_id, field)
    claim = (Annotation.objects.select_related("exercise__classroom", "author", "article")
             .filter(pk=claim_id, is_key=False, exercise__classroom__teacher=user).first())
    if claim is None:
        raise NotFound(f"No student's claim {claim_id} in an exercise of yours.", field)
    return claim


def add_comment(user, claim_id, data):
    """The teacher's private comment `{"text"}` on a student's claim."""
    # Whose claim first: a stranger learns nothing from what their request lacked.
    claim = student_claim(user, claim_id)
    check_keys(data, ("text",), required=("text",))
    text = _text(data, "text", MAX_COMMENT)
    return TeacherComment.objects.create(claim=claim, author=user, text=text)


def delete_comment(user, comment_id):
    _signed_in(user)
    comment_id = as_integer(comment_id, "comment")
    """Delete the teacher's own comment; returns the id of the claim it was on."""
    comment = TeacherComment.objects.filter(pk=comment_id, author=user,
                                            claim__exercise__classroom__teacher=user).first()
    if comment is None:
        raise NotFound(f"No comment {comment_id} of yours.", "comment")
    comment.delete()
    return comment.claim_id


def readable_comments_q(user, prefix=""):
    """Comments `user` may read: on their own claims, or in exercises they teach."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    return Q(**{f"{prefix}claim__author": user}) | Q(**{f"{prefix}claim__exercise__classroom__teacher": user})


def comments_on(user, claim_id):
    """The comments on claim `claim_id` that `user` may read; NotFound when the claim is not theirs to see."""
    _signed_in(user)
    claim_id = as_integer(claim_id, "claim")
    claim = (Annotation.objects.filter(pk=claim_id, is_key=False, exercise__isnull=False)
             .filter(Q(author=user) | Q(exercise__classroom__teacher=user)).first())
    if claim is None:
        raise NotFound(f"No claim {claim_id} of yours or of your students.", "claim")
    return claim, list(claim.teacher_comments.select_related("author"))


def comments_by_claim(user, claim_ids):
    """{claim id: [comments]} of those claims that `user` may read, in one query."""
    found = {}
    if not claim_ids or not user.is_authenticated:
        return found
    rows = TeacherComment.objects.filter(readable_comments_q(user), claim__in=claim_ids).select_related("author")
    for comment in rows:
        found.setdefault(comment.claim_id, []).append(comment)
    return found


def comments_to(user):
    """Comments on `user`'s own claims, newest first (What's new lists them)."""
    if not user.is_authenticated:
        return TeacherComment.objects.none()
    return (TeacherComment.objects.filter(claim__author=user)
            .select_related("claim__article", "claim__exercise__classroom").order_by("-created", "-id"))


def unread_comment_count(user):
    return comments_to(user).filter(read__isnull=True).count() if user.is_authenticated else 0


def mark_comments_read(user, comments):
    """`user` has now seen `comments` (only those on their own claims are marked)."""
    ids = [c.pk for c in comments if c.read is None]
    if ids:
        TeacherComment.objects.filter(pk__in=ids, claim__author=user, read__isnull=True).update(read=timezone.now())


def comment_texts(exercise):
    """{claim id: [comment texts, oldest first]} over every student claim of `exercise` (the results CSV)."""
    texts = {}
    for claim_id, text in TeacherComment.objects.filter(claim__exercise=exercise).values_list("claim_id", "text"):
        texts.setdefault(claim_id, []).append(text)
    return texts


def comment_json(comment):
    return {"id": comment.pk, "claim": comment.claim_id, "author": comment.author.get_username(),
            "text": comment.text, "created": comment.created.isoformat(),
            "read": comment.read.isoformat() if comment.read else None}


# Score overrides


def override_of(exercise, student_id):
    return ScoreOverride.objects.filter(exercise=exercise, student_id=student_id).first()


def overrides_by_student(exercise):
    return {o.student_id: o for o in exercise.score_overrides.all()}


def set_override(user, exercise_id, student_id, data):
    """The teacher's score `{"score": 0-100, "reason", "version"?}` for a student's work.

    `version` is the override the teacher was shown (0: none yet); when another change came
    in between, Conflict, and nothing is written. Without it the change is unconditional.
    """
    exercise = taught_exercise(user, exercise_id)
    student = student_of(exercise, student_id)
    check_keys(data, ("score", "reason", "version"), required=("score", "reason"))
    score = as_integer(data["score"], "score")
    if not 0 <= score <= 100:
        raise ServiceError("score is a percentage: a whole number from 0 to 100.", "score")
    reason = _text(data, "reason", MAX_REASON)
    seen = as_integer(data["version"], "version") if data.get("version") not in (None, "") else None
    with transaction.atomic():
        current = ScoreOverride.objects.select_for_update().filter(exercise=exercise, student=student).first()
        if seen is not None and seen != (current.version if current else 0):
            raise Conflict("The score was changed elsewhere since you opened this form; "
                           "look at the score now shown and try again.", "version")
        announce(grade_changed, exercise, student=student)
        if current is None:
            return ScoreOverride.objects.create(exercise=exercise, student=student, score=score, reason=reason)
        current.score, current.reason, current.version = score, reason, current.version + 1
        current.save(update_fields=["score", "reason", "version", "modified"])
        return current


def clear_override(user, exercise_id, student_id):
    """Back to the key's F1 alone."""
    exercise = taught_exercise(user, exercise_id)
    student = student_of(exercise, student_id)
    with transaction.atomic():
        deleted, _ = ScoreOverride.objects.filter(exercise=exercise, student=student).delete()
        if not deleted:
            raise NotFound("This student's score is not overridden.", "student")
        announce(grade_changed, exercise, student=student)


def override_json(exercise, student, override, feedback):
    return {"exercise": exercise.pk, "student": student.pk, "key_f1": feedback.overall.f1,
            "score": override.score if override else None, "reason": override.reason if override else "",
            "version": override.version if override else 0,
            "modified": override.modified.isoformat() if override else None}
