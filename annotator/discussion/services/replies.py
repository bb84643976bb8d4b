"""Replies: reading a thread, writing, editing, deleting and flagging replies, and their JSON."""

from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef
from django.utils import timezone

from annotator.annotations.models import Anchor
from annotator.annotations.services import resolve_passage
from annotator.annotations.validation import as_integer, as_text, check_keys
from annotator.errors import Conflict, Forbidden, NotFound, ServiceError

from ..models import REPLY_MAX_LENGTH, Flag, Reply
from .activity import last_seen, mark_read
from .threads import (
    ARTICLE_TEXT,
    EDIT_FIELDS,
    EVIDENCE_FIELDS,
    REPLY_FIELDS,
    get_thread,
    require_signed_in,
    visible_replies,
)


def thread_replies(thread):
    """The thread as top-level replies in order, each with `.shown_answers`; ready to render.

    Every reply carries `shown_author`, `mine`, `shown` (False: a placeholder for a hidden or
    deleted reply kept for its answers), `is_new` and, for moderators, `flag_count`.
    """
    user = thread.user
    replies = Reply.objects.filter(claim=thread.claim).select_related("author", "to_article", "hidden_by").defer(
        *(f"to_article__{name}" for name in ("body", *ARTICLE_TEXT)))
    if thread.moderator:
        replies = replies.annotate(flag_count=Count("flags"))
    if user.is_authenticated:
        replies = replies.annotate(flagged_by_me=Exists(Flag.objects.filter(reply=OuterRef("pk"), user=user)))
    seen = last_seen(user, thread.claim)
    exercise = thread.claim.exercise
    teacher_id = exercise.classroom.teacher_id if exercise is not None else None
    top, answers = [], {}
    for reply in replies.order_by("created", "id"):
        reply.mine = user.is_authenticated and reply.author_id == user.pk
        reply.shown = thread.shows(reply) and not reply.removed
        reply.shown_author = thread.name(reply.author)
        reply.by_teacher = reply.author_id == teacher_id  # nothing to flag to the teacher
        reply.is_new = user.is_authenticated and not reply.mine and (seen is None or reply.created > seen)
        reply.shown_answers = []
        reply.form_key = f"p{reply.pk}"  # names the reply form under it in the page
        if reply.parent_id is None:
            top.append(reply)
        elif thread.shows(reply) and not reply.removed:
            answers.setdefault(reply.parent_id, []).append(reply)
    for reply in top:
        reply.shown_answers = answers.get(reply.pk, [])
    return [reply for reply in top if reply.shown or reply.shown_answers]


def count_shown(replies):
    return sum(int(r.shown) + len(r.shown_answers) for r in replies)


def get_reply(user, reply_id, field="id"):
    """(reply, thread) for a reply `user` may read; NotFound otherwise, deleted ones included."""
    reply_id = as_integer(reply_id, field)
    reply = visible_replies(user).filter(pk=reply_id, removed=False).select_related("author", "to_article").first()
    if reply is None:
        raise NotFound(f"Reply {reply_id} does not exist or is not visible to you.", field)
    return reply, get_thread(user, reply.claim_id)


def create_reply(user, claim_id, data):
    """Save `user`'s reply to the claim `claim_id` and return it.

    data: text (required); parent (a reply of the same thread: the new reply answers it; an
    answer to an answer joins the same list, one level deep); to_article, to_start, to_end,
    to_exact: an optional passage of another article ("see this").
    """
    require_signed_in(user)
    # A claim the user cannot see answers 404 before anything about the request, so ids leak nothing.
    get_thread(user, claim_id)
    check_keys(data, REPLY_FIELDS, required=("text",))
    text = _reply_text(data["text"])
    with transaction.atomic():
        thread = get_thread(user, claim_id)
        thread.check_open()
        parent = _parent(user, thread, data.get("parent"))
        evidence = evidence_fields(thread.claim, data, lock=True)
        reply = Reply.objects.create(claim=thread.claim, parent=parent, author=user, text=text, **evidence)
        mark_read(user, thread.claim, reply.created)
    return reply


def update_reply(user, reply_id, data):
    """Change the text or the "see this" passage of `user`'s own reply (only the keys given).

    Sending to_article as null or "" removes the passage.
    """
    require_signed_in(user)
    with transaction.atomic():
        # Whose reply it is answers first: to anyone else, what they sent does not matter.
        reply, thread = _own_reply(user, reply_id)
        check_keys(data, EDIT_FIELDS)
        changes = {"text": _reply_text(data["text"])} if "text" in data else {}
        thread.check_open()
        if any(name in data for name in EVIDENCE_FIELDS):
            changes.update(evidence_fields(thread.claim, data, lock=True))
        if changes:
            for name, value in changes.items():
                setattr(reply, name, value)
            reply.edited = timezone.now()
            reply.save(update_fields=[*changes, "edited", "modified"])
    return reply


def delete_reply(user, reply_id):
    """Delete `user`'s own reply and return it. One that others answered stays as an empty placeholder."""
    require_signed_in(user)
    with transaction.atomic():
        reply, _thread = _own_reply(user, reply_id)
        if reply.answers.exists():
            reply.removed = True
            reply.text = ""
            for name, value in _no_evidence().items():
                setattr(reply, name, value)
            reply.save()
            return reply
        parent = reply.parent
        reply.delete()
        if parent is not None and parent.removed and not parent.answers.exists():
            parent.delete()
    return reply


def flag_reply(user, reply_id):
    """Ask the class's teacher to look at someone else's reply; twice is a Conflict."""
    require_signed_in(user)
    with transaction.atomic():
        reply, _thread = get_reply(user, reply_id)
        if reply.author_id == user.pk:
            raise ServiceError("This is your own reply: edit or delete it instead of flagging it.", "id")
        try:
            with transaction.atomic():
                return Flag.objects.create(reply=reply, user=user)
        except IntegrityError:
            raise Conflict("You have already flagged this reply for your teacher.", "id") from None


def clear_flags(user, reply_id):
    """The teacher dismisses the flags on a reply; return the reply."""
    require_signed_in(user)
    with transaction.atomic():
        reply, thread = get_reply(user, reply_id)
        thread.check_moderator("dismiss flags")
        reply.flags.all().delete()
    return reply


def _reply_text(value):
    text = as_text(value, "text", REPLY_MAX_LENGTH)
    if not text.strip():
        raise ServiceError("Write something to reply.", "text")
    return text


def _own_reply(user, reply_id):
    reply, thread = get_reply(user, reply_id)
    if reply.author_id != user.pk:
        raise Forbidden(f"Reply {reply.pk} is someone else's; only its author can change or delete it.", "id")
    return reply, thread


def _parent(user, thread, parent_id):
    if parent_id in (None, ""):
        return None
    parent_id = as_integer(parent_id, "parent")
    parent = Reply.objects.filter(pk=parent_id, claim=thread.claim, removed=False).select_related("parent").first()
    if parent is None or not thread.shows(parent):
        raise ServiceError(f"Reply {parent_id} is not a reply in this thread.", "parent")
    # One level of nesting: an answer to an answer joins its list.
    return parent.parent or parent


def _no_evidence():
    return {"to_article": None, "to_start": None, "to_end": None, "to_exact": "", "to_prefix": "", "to_suffix": "",
            "to_anchor": Anchor.ANCHORED}


def evidence_fields(claim, data, lock=False):
    """The "see this" passage fields from `data`: all four, or none (to_article empty).

    The passage is checked as a link's target is (annotations.services.resolve_passage);
    `lock` (inside a transaction) keeps its article's text from changing before the save.
    """
    if data.get("to_article") in (None, ""):
        for name in ("to_start", "to_end", "to_exact"):
            if data.get(name) not in (None, ""):
                raise ServiceError(f"{name} needs to_article: the article the passage is in.", "to_article")
        return _no_evidence()
    passage = resolve_passage(data, claim, what="A “see this” passage", lock=lock)
    return {**passage.fields(), "to_anchor": Anchor.ANCHORED}


def reply_json(reply, thread):
    """The API's shape of a reply, with names as the thread shows them."""
    data = {
        "id": reply.pk,
        "claim": reply.claim_id,
        "parent": reply.parent_id,
        "author": thread.name(reply.author),
        "mine": thread.user.is_authenticated and reply.author_id == thread.user.pk,
        "text": reply.text,
        "evidence": None,
        "created": reply.created.isoformat(),
        "modified": reply.modified.isoformat(),
        "edited": reply.edited.isoformat() if reply.edited else None,
        "removed": reply.removed,
        "hidden": reply.hidden_at is not None,
    }
    if reply.has_evidence:
        data["evidence"] = {"article": reply.to_article.slug, "start": reply.to_start, "end": reply.to_end,
                            "exact": reply.to_exact, "anchor": reply.to_anchor}
    if thread.moderator:
        data["hidden_at"] = reply.hidden_at.isoformat() if reply.hidden_at else None
        data["hidden_by"] = reply.hidden_by.get_username() if reply.hidden_by_id and reply.hidden_by else None
    return data
