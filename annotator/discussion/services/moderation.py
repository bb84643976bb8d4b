"""Moderation: a teacher hides replies and claims, locks threads, switches an exercise's replies off."""

from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone

from annotator.annotations.validation import as_integer, check_keys
from annotator.classroom.models import Exercise
from annotator.errors import NotFound, ServiceError

from ..models import ClaimModeration, ExerciseDiscussion, Reply
from .replies import get_reply
from .threads import ARTICLE_TEXT, get_thread, replies_off, require_signed_in


def hide_reply(user, reply_id, hidden=True):
    """Hide a reply from students (kept, marked with who hid it and when), or show it again."""
    require_signed_in(user)
    with transaction.atomic():
        reply, thread = get_reply(user, reply_id)
        thread.check_moderator("hide replies")
        reply.hidden_at, reply.hidden_by = (timezone.now(), user) if hidden else (None, None)
        reply.save(update_fields=["hidden_at", "hidden_by", "modified"])
    return reply


def hide_claim(user, claim_id, hidden=True):
    """Hide a claim from the class: only its author and its moderators still see it."""
    require_signed_in(user)
    with transaction.atomic():
        thread = get_thread(user, claim_id)
        thread.check_moderator("hide claims")
        moderation, _ = ClaimModeration.objects.get_or_create(claim=thread.claim)
        moderation.hidden_at, moderation.hidden_by = (timezone.now(), user) if hidden else (None, None)
        moderation.save(update_fields=["hidden_at", "hidden_by"])
    return moderation


def lock_thread(user, claim_id, locked=True):
    """Lock a thread (no new replies or edits; everything stays readable), or unlock it."""
    require_signed_in(user)
    with transaction.atomic():
        thread = get_thread(user, claim_id)
        thread.check_moderator("lock threads")
        moderation, _ = ClaimModeration.objects.get_or_create(claim=thread.claim)
        moderation.locked = bool(locked)
        moderation.locked_by, moderation.locked_at = (user, timezone.now()) if locked else (None, None)
        moderation.save(update_fields=["locked", "locked_by", "locked_at"])
    return moderation


def set_replies_off(user, exercise_id, off=True):
    """Switch replies off (or on again) in every thread of an exercise; only its teacher may."""
    require_signed_in(user)
    exercise = taught_exercise(user, exercise_id)
    with transaction.atomic():
        settings, _ = ExerciseDiscussion.objects.get_or_create(exercise=exercise)
        settings.replies_off = bool(off)
        settings.save(update_fields=["replies_off", "changed"])
    return settings


# The API's moderation resources: each change goes through the actions above.


def _switch(data, name):
    if not isinstance(data[name], bool):
        raise ServiceError(f"{name} must be true or false.", name)
    return data[name]


def _changes(data, fields):
    check_keys(data, fields)
    if not data:
        raise ServiceError(f"Nothing to change: send {' and/or '.join(fields)}.", fields[0])
    return {name: _switch(data, name) for name in data}


def claim_moderation(user, claim_id, data=None):
    """A claim's moderation as its moderators see it, after applying `data` (hidden, locked: booleans)."""
    require_signed_in(user)
    thread = get_thread(user, claim_id)
    thread.check_moderator("moderate this claim")
    if data is not None:
        changes = _changes(data, ("hidden", "locked"))
        with transaction.atomic():
            if "hidden" in changes:
                hide_claim(user, claim_id, changes["hidden"])
            if "locked" in changes:
                lock_thread(user, claim_id, changes["locked"])
        thread = get_thread(user, claim_id)
    moderation = thread.moderation
    return {
        "claim": thread.claim.pk,
        "hidden": thread.hidden,
        "hidden_at": moderation.hidden_at.isoformat() if thread.hidden else None,
        "hidden_by": moderation.hidden_by.get_username() if thread.hidden and moderation.hidden_by else None,
        "locked": thread.locked,
        "locked_at": moderation.locked_at.isoformat() if thread.locked and moderation.locked_at else None,
        "locked_by": moderation.locked_by.get_username() if thread.locked and moderation.locked_by else None,
    }


def reply_moderation(user, reply_id, data=None):
    """Whether a reply is hidden, as its thread's moderators see it, after applying `data` (hidden: a boolean)."""
    require_signed_in(user)
    reply, thread = get_reply(user, reply_id)
    thread.check_moderator("moderate this reply")
    if data is not None:
        hide_reply(user, reply_id, _changes(data, ("hidden",))["hidden"])
        reply, thread = get_reply(user, reply_id)
    return {
        "reply": reply.pk,
        "hidden": reply.hidden_at is not None,
        "hidden_at": reply.hidden_at.isoformat() if reply.hidden_at else None,
        "hidden_by": reply.hidden_by.get_username() if reply.hidden_at and reply.hidden_by else None,
    }


def exercise_discussion(user, exercise_id, data=None):
    """An exercise's discussion switch for its teacher, after applying `data` (replies_off: a boolean)."""
    require_signed_in(user)
    exercise = taught_exercise(user, exercise_id)
    if data is not None:
        set_replies_off(user, exercise.pk, _changes(data, ("replies_off",))["replies_off"])
        exercise = taught_exercise(user, exercise_id)
    return {"exercise": exercise.pk, "discussion": exercise.discussion, "replies_off": replies_off(exercise)}


def taught_exercise(user, exercise_id, field="exercise"):
    exercise_id = as_integer(exercise_id, field)
    exercise = Exercise.objects.select_related("classroom").filter(pk=exercise_id, classroom__teacher=user).first() \
        if user.is_authenticated else None
    if exercise is None:
        raise NotFound(f"No exercise {exercise_id} of yours.", field)
    return exercise


def flagged_replies(exercise):
    """The flagged replies in an exercise's threads, most recently flagged first."""
    return (
        Reply.objects.filter(claim__exercise=exercise, flags__isnull=False).distinct()
        .annotate(flag_count=Count("flags", distinct=True), last_flag=Max("flags__created"))
        .select_related("author", "claim__article", "hidden_by", "to_article")
        .defer(*(f"claim__article__{name}" for name in ("body", *ARTICLE_TEXT)),
               *(f"to_article__{name}" for name in ("body", *ARTICLE_TEXT)))
        .prefetch_related("flags__user")
        .order_by("-last_flag", "-id")
    )
