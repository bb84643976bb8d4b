"""Every discussion action, once: the htmx views and the JSON API are thin skins over these.

Who may read a thread
- Exactly those who may read its claim (annotations.access.visibility_q, which also drops
  claims a teacher hid). For anyone else the claim does not exist: NotFound, so ids leak
  nothing.
- Inside an exercise, a thread opens at the reveal, the moment the class may see the claim
  and its answer:
    * a student's work: when the teacher turns discussion mode on (Exercise.discussion),
      which is when classmates see each other's work (anonymised). Before that its author
      sees the claim but not a thread: Forbidden, "opens after the reveal".
    * an answer-key claim: for a student, once the key is revealed to them by the
      exercise's reveal policy (visibility already hides the key before that); for the
      teacher, once it is revealed to at least one student, so no one writes into a thread
      nobody can read yet.
    * the exercise's teacher may read every thread of it at any time, to moderate.
- A hidden reply is read only by its author and the claim's moderators (visibility.py says
  who moderates); others see a placeholder only where it has visible answers.

Who may write
- A signed-in reader of the thread, while it is open (above; the teacher included), not
  locked, and not in an exercise whose replies the teacher switched off. Authors edit (same
  conditions) and delete (always) their own replies; a teacher hides replies and claims,
  locks threads and switches an exercise's replies off; readers flag others' replies.

Names: in an exercise every name is anonymised as on the class discussion page ("Student
B"; the teacher is "Teacher"), for the teacher too (classroom.visibility.AuthorNames.in_class).
Elsewhere, usernames.

Each function checks everything before it writes and raises an annotator.errors
ServiceError subclass naming the field rather than write part of a change.
"""

from dataclasses import dataclass, field
from typing import Callable

from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, Max, OuterRef, Q
from django.utils import timezone

from annotator.annotations.access import visibility_q
from annotator.annotations.anchoring import quote_selector
from annotator.annotations.models import Anchor, Annotation
from annotator.annotations.validation import as_integer, as_text, check_keys, shown, validate_span
from annotator.classroom.models import Exercise, Reveal
from annotator.classroom.visibility import AuthorNames, in_any_class
from annotator.corpus.models import Article
from annotator.errors import Conflict, Forbidden, NotAuthenticated, NotFound, ServiceError

from .models import REPLY_MAX_LENGTH, ClaimModeration, ExerciseDiscussion, Flag, ReadMarker, Reply
from .visibility import moderated_q, taught_students

REPLY_FIELDS = ("text", "parent", "to_article", "to_start", "to_end", "to_exact")
EVIDENCE_FIELDS = ("to_article", "to_start", "to_end", "to_exact")
EDIT_FIELDS = ("text", *EVIDENCE_FIELDS)
ARTICLE_TEXT = ("raw", "removed")

NOT_YET = "The discussion of this exercise opens after the reveal."
REPLIES_OFF = "Your teacher has turned replies off for this exercise."
LOCKED = "This thread is locked: no new replies."


# Threads


@dataclass
class Thread:
    """A claim's thread as one user meets it: what they may do, and how names are shown."""

    claim: Annotation
    user: object
    moderator: bool
    readable: bool
    closed: str | None  # why no one may post now, or None while open
    name: Callable = field(repr=False)

    @property
    def moderation(self):
        return _moderation(self.claim)

    @property
    def locked(self):
        return bool(self.moderation and self.moderation.locked)

    @property
    def hidden(self):
        return bool(self.moderation and self.moderation.hidden_at)

    @property
    def can_post(self):
        return self.user.is_authenticated and self.readable and self.closed is None

    def check_readable(self):
        if not self.readable:
            raise Forbidden(NOT_YET, "claim")

    def check_open(self):
        self.check_readable()
        if self.closed:
            raise Forbidden(self.closed, "claim")

    def check_moderator(self, what):
        if not self.moderator:
            raise Forbidden(f"Only the class's teacher can {what}.", "claim")

    def shows(self, reply):
        """Whether this user sees `reply` itself (a hidden one: its author and the moderators)."""
        return reply.hidden_at is None or self.moderator or reply.author_id == self.user.pk


def claims_for(user):
    """The claims `user` may read, loaded with what a thread needs to decide its rules."""
    return (
        Annotation.objects.filter(visibility_q(user))
        .select_related("article", "author", "exercise__classroom", "exercise__discussion_settings",
                        "moderation__hidden_by")
        .defer(*(f"article__{name}" for name in ARTICLE_TEXT))
    )


def get_thread(user, claim_id, field="claim"):
    """The thread of claim `claim_id` as `user` meets it; NotFound when they cannot read the claim."""
    claim_id = as_integer(claim_id, field)
    try:
        claim = claims_for(user).get(pk=claim_id)
    except Annotation.DoesNotExist:
        raise NotFound(f"Annotation {claim_id} does not exist or is not visible to you.", field) from None
    return thread_of(user, claim)


def thread_of(user, claim):
    exercise = claim.exercise
    teacher = exercise is not None and user.is_authenticated and exercise.classroom.teacher_id == user.pk
    moderator = teacher or _moderates_outside_exercises(user, claim)
    readable = thread_readable(user, claim.exercise_id, claim.is_key, exercise and exercise.discussion,
                               exercise and exercise.classroom.teacher_id)
    return Thread(claim=claim, user=user, moderator=moderator, readable=readable,
                  closed=_closed(claim, teacher), name=namer(claim))


def thread_readable(user, exercise_id, is_key, discussion, teacher_id):
    """The reveal rule of the module docstring, for one claim (readable_claims_q is the same as a filter)."""
    return exercise_id is None or bool(is_key) or bool(discussion) or (user.is_authenticated and teacher_id == user.pk)


def readable_claims_q(user, prefix=""):
    """Claims whose threads `user` may read, as a filter (`prefix` reaches them through a relation)."""
    p = prefix
    opened = Q(**{f"{p}exercise__isnull": True}) | Q(**{f"{p}is_key": True}) | Q(**{f"{p}exercise__discussion": True})
    if user.is_authenticated:
        opened |= Q(**{f"{p}exercise__classroom__teacher": user})
    return visibility_q(user, p) & opened


def _closed(claim, teacher):
    exercise = claim.exercise
    if exercise is not None:
        if claim.is_key:
            if teacher and not key_revealed_to_anyone(exercise):
                return NOT_YET
        elif not exercise.discussion:
            return NOT_YET
        settings = _discussion_settings(exercise)
        if settings is not None and settings.replies_off:
            return REPLIES_OFF
    moderation = _moderation(claim)
    if moderation is not None and moderation.locked:
        return LOCKED
    return None


def key_revealed_to_anyone(exercise):
    if exercise.revealed or exercise.discussion:
        return True
    if exercise.reveal_policy == Reveal.AFTER_DUE:
        return exercise.due is not None and exercise.due <= timezone.now()
    if exercise.reveal_policy == Reveal.ON_SUBMIT:
        return exercise.submissions.filter(submitted__isnull=False).exists()
    return False


def _moderates_outside_exercises(user, claim):
    if claim.exercise_id is not None or not user.is_authenticated:
        return False
    return Annotation.objects.filter(moderated_q(user), pk=claim.pk).exists()


def _moderation(claim):
    try:
        return claim.moderation
    except ClaimModeration.DoesNotExist:
        return None


def _discussion_settings(exercise):
    try:
        return exercise.discussion_settings
    except ExerciseDiscussion.DoesNotExist:
        return None


def replies_off(exercise):
    settings = _discussion_settings(exercise)
    return bool(settings and settings.replies_off)


def namer(claim, names=None):
    """How the thread of `claim` shows a user: the class's anonymous name inside an exercise
    (for everyone, as on the discussion page), else the username. `names` (an
    AuthorNames.in_class()) may be shared by many threads, so each roster is read once."""
    names = names or AuthorNames.in_class()
    return lambda user: names(user.pk, user.get_username(), claim.exercise_id)


# Reading replies


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
    seen = _seen(user, thread.claim)
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


def visible_replies(user):
    """Every reply `user` may read, across threads (deleted ones' placeholders included)."""
    replies = Reply.objects.filter(readable_claims_q(user, "claim__"))
    shown = Q(hidden_at__isnull=True)
    if user.is_authenticated:
        shown |= Q(author=user) | moderated_q(user, "claim__")
    return replies.filter(shown)


def get_reply(user, reply_id, field="id"):
    """(reply, thread) for a reply `user` may read; NotFound otherwise, deleted ones included."""
    reply_id = as_integer(reply_id, field)
    reply = visible_replies(user).filter(pk=reply_id, removed=False).select_related("author", "to_article").first()
    if reply is None:
        raise NotFound(f"Reply {reply_id} does not exist or is not visible to you.", field)
    return reply, get_thread(user, reply.claim_id)


# Writing replies


def create_reply(user, claim_id, data):
    """Save `user`'s reply to the claim `claim_id` and return it.

    data: text (required); parent (a reply of the same thread: the new reply answers it; an
    answer to an answer joins the same list, one level deep); to_article, to_start, to_end,
    to_exact: an optional passage of another article ("see this").
    """
    _require_signed_in(user)
    # A claim the user cannot see answers 404 before anything about the request, so ids leak nothing.
    get_thread(user, claim_id)
    check_keys(data, REPLY_FIELDS, required=("text",))
    text = _reply_text(data["text"])
    with transaction.atomic():
        thread = get_thread(user, claim_id)
        thread.check_open()
        parent = _parent(user, thread, data.get("parent"))
        evidence = evidence_fields(thread.claim, data)
        reply = Reply.objects.create(claim=thread.claim, parent=parent, author=user, text=text, **evidence)
        mark_read(user, thread.claim, reply.created)
    return reply


def update_reply(user, reply_id, data):
    """Change the text or the "see this" passage of `user`'s own reply (only the keys given).

    Sending to_article as null or "" removes the passage.
    """
    _require_signed_in(user)
    check_keys(data, EDIT_FIELDS)
    changes = {}
    if "text" in data:
        changes["text"] = _reply_text(data["text"])
    with transaction.atomic():
        reply, thread = _own_reply(user, reply_id)
        thread.check_open()
        if any(name in data for name in EVIDENCE_FIELDS):
            changes.update(evidence_fields(thread.claim, data))
        if changes:
            for name, value in changes.items():
                setattr(reply, name, value)
            reply.edited = timezone.now()
            reply.save(update_fields=[*changes, "edited", "modified"])
    return reply


def delete_reply(user, reply_id):
    """Delete `user`'s own reply. One that others answered stays as an empty placeholder."""
    _require_signed_in(user)
    with transaction.atomic():
        reply, _thread = _own_reply(user, reply_id)
        if reply.answers.exists():
            reply.removed = True
            reply.text = ""
            for name, value in _no_evidence().items():
                setattr(reply, name, value)
            reply.save()
            return
        parent = reply.parent
        reply.delete()
        if parent is not None and parent.removed and not parent.answers.exists():
            parent.delete()


def flag_reply(user, reply_id):
    """Ask the class's teacher to look at someone else's reply; twice is a Conflict."""
    _require_signed_in(user)
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
    """The teacher dismisses the flags on a reply."""
    _require_signed_in(user)
    with transaction.atomic():
        reply, thread = get_reply(user, reply_id)
        thread.check_moderator("dismiss flags")
        reply.flags.all().delete()


# Moderation


def hide_reply(user, reply_id, hidden=True):
    """Hide a reply from students (kept, marked with who hid it and when), or show it again."""
    _require_signed_in(user)
    with transaction.atomic():
        reply, thread = get_reply(user, reply_id)
        thread.check_moderator("hide replies")
        reply.hidden_at, reply.hidden_by = (timezone.now(), user) if hidden else (None, None)
        reply.save(update_fields=["hidden_at", "hidden_by", "modified"])
    return reply


def hide_claim(user, claim_id, hidden=True):
    """Hide a claim from the class: only its author and its moderators still see it."""
    _require_signed_in(user)
    with transaction.atomic():
        thread = get_thread(user, claim_id)
        thread.check_moderator("hide claims")
        moderation, _ = ClaimModeration.objects.get_or_create(claim=thread.claim)
        moderation.hidden_at, moderation.hidden_by = (timezone.now(), user) if hidden else (None, None)
        moderation.save(update_fields=["hidden_at", "hidden_by"])
    return moderation


def lock_thread(user, claim_id, locked=True):
    """Lock a thread (no new replies or edits; everything stays readable), or unlock it."""
    _require_signed_in(user)
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
    _require_signed_in(user)
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
    _require_signed_in(user)
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
    _require_signed_in(user)
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
    _require_signed_in(user)
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


# What's new


def _seen(user, claim):
    if not user.is_authenticated:
        return None
    return ReadMarker.objects.filter(user=user, claim=claim).values_list("seen", flat=True).first()


def mark_read(user, claim, when=None):
    """`user` has read the thread of `claim` up to now (or `when`)."""
    if not user.is_authenticated:
        return
    _save_markers(user, [claim.pk], when or timezone.now())


def mark_all_read(user):
    _require_signed_in(user)
    claims = list(my_threads(user).filter(unread_q(user)).values_list("claim", flat=True).distinct())
    _save_markers(user, claims, timezone.now())


def _save_markers(user, claim_ids, when):
    ReadMarker.objects.bulk_create(
        [ReadMarker(user=user, claim_id=pk, seen=when) for pk in claim_ids],
        update_conflicts=True, unique_fields=["user", "claim"], update_fields=["seen"],
    )


# What card_info reads of each claim: load the claims with select_related(*CARD_RELATED).
CARD_RELATED = ("exercise__classroom", "moderation__hidden_by")


def card_info(user, claims):
    """{claim id: what its card shows of the discussion} for `claims`, which `user` can see.

    One query (the reply counts) whatever the number of claims, given claims loaded with
    CARD_RELATED; the claim cards of the reader page are.
    """
    taught = set()
    if user.is_authenticated and in_any_class(user):
        taught = set(taught_students(user).values_list("student", flat=True))
    info = {}
    for claim in claims:
        exercise = claim.exercise
        teacher = exercise.classroom.teacher_id if exercise else None
        moderation = getattr(claim, "moderation", None)
        info[claim.pk] = {
            "readable": thread_readable(user, claim.exercise_id, claim.is_key, exercise and exercise.discussion, teacher),
            "in_exercise": exercise is not None,
            "moderator": user.is_authenticated and (
                teacher == user.pk if exercise else claim.author_id in taught),
            "hidden_at": moderation and moderation.hidden_at,
            "hidden_by": moderation and moderation.hidden_by and moderation.hidden_by.username,
            "locked": bool(moderation and moderation.locked),
            "count": 0,
            "new": 0,
        }
    readable = [pk for pk, item in info.items() if item["readable"]]
    if readable:
        shown = Q(hidden_at__isnull=True)
        if user.is_authenticated:
            shown |= Q(author=user) | Q(claim__in=[pk for pk in readable if info[pk]["moderator"]])
        replies = Reply.objects.filter(shown, claim__in=readable, removed=False).values("claim")
        if user.is_authenticated:
            counts = replies.annotate(n=Count("id"), new=Count("id", filter=unread_q(user) & ~Q(author=user)))
        else:
            counts = replies.annotate(n=Count("id"))
        for row in counts.order_by():
            info[row["claim"]]["count"] = row["n"]
            info[row["claim"]]["new"] = row.get("new", 0)
    return info


def my_threads(user):
    """Others' replies `user` may read in their threads: on their claims, or where they replied."""
    joined = Reply.objects.filter(author=user).values("claim")
    return (
        visible_replies(user)
        .filter(Q(claim__author=user) | Q(claim__in=joined))
        .filter(removed=False)
        .exclude(author=user)
    )


def unread_q(user):
    seen = ReadMarker.objects.filter(user=user, claim=OuterRef("claim"), seen__gte=OuterRef("created"))
    return ~Q(Exists(seen))


def unread_count(user):
    """How many replies in `user`'s threads they have not read yet."""
    if not user.is_authenticated:
        return 0
    return my_threads(user).filter(unread_q(user)).count()


def activity(user):
    """`user`'s threads with news, newest activity first: rows of claim, last, replies, unread."""
    return (
        my_threads(user).values("claim")
        .annotate(last=Max("created"), replies=Count("id"), unread=Count("id", filter=unread_q(user)))
        .order_by("-last", "-claim")
    )


# Checks


def _require_signed_in(user):
    if not user.is_authenticated:
        raise NotAuthenticated("Sign in to take part in the discussion.")


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


def evidence_fields(claim, data):
    """The "see this" passage fields from `data`: all four, or none (to_article empty)."""
    if data.get("to_article") in (None, ""):
        for name in ("to_start", "to_end", "to_exact"):
            if data.get(name) not in (None, ""):
                raise ServiceError(f"{name} needs to_article: the article the passage is in.", "to_article")
        return _no_evidence()
    for name in ("to_start", "to_end", "to_exact"):
        if name not in data:
            raise ServiceError(f"{name} is required with to_article.", name)
    slug = as_text(data["to_article"], "to_article")
    article = Article.objects.listed().defer(*ARTICLE_TEXT).filter(slug=slug).first()
    if article is None:
        raise NotFound(f"No article with slug {shown(slug)}.", "to_article")
    if article.pk == claim.article_id:
        raise ServiceError("A “see this” passage must be in another article than the claim's.", "to_article")
    start, end = validate_span(article, data["to_start"], data["to_end"], data["to_exact"], "to_")
    exact, prefix, suffix = quote_selector(article.body, start, end)
    return {"to_article": article, "to_start": start, "to_end": end, "to_exact": exact, "to_prefix": prefix,
            "to_suffix": suffix, "to_anchor": Anchor.ANCHORED}


# Reading back


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
