"""Threads: who may read and write the thread of a claim, and the names shown in it."""

from dataclasses import dataclass, field
from typing import Callable

from django.db.models import Q
from django.utils import timezone

from annotator.annotations.access import visibility_q
from annotator.annotations.models import Annotation
from annotator.annotations.validation import as_integer
from annotator.classroom.models import Reveal
from annotator.classroom.visibility import AuthorNames, in_any_class, peers_open, peers_open_exercise_ids
from annotator.errors import Forbidden, NotAuthenticated, NotFound
from annotator.people import shown_name

from ..models import ClaimModeration, ExerciseDiscussion, Reply
from ..visibility import moderated_q

REPLY_FIELDS = ("text", "parent", "to_article", "to_start", "to_end", "to_exact")
EVIDENCE_FIELDS = ("to_article", "to_start", "to_end", "to_exact")
EDIT_FIELDS = ("text", *EVIDENCE_FIELDS)
ARTICLE_TEXT = ("raw", "removed")
NOT_YET = "The discussion of this exercise opens after the reveal."
REPLIES_OFF = "Your teacher has turned replies off for this exercise."
LOCKED = "This thread is locked: no new replies."


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
    # Classmates' work opened to this student early (the exercise's peers_after_claims): one query, only here.
    peers = bool(exercise and not claim.is_key and not exercise.discussion and not teacher
                 and peers_open(user, exercise))
    readable = thread_readable(user, claim.exercise_id, claim.is_key, exercise and exercise.discussion,
                               exercise and exercise.classroom.teacher_id, peers)
    return Thread(claim=claim, user=user, moderator=moderator, readable=readable,
                  closed=_closed(claim, teacher, peers), name=namer(claim))


def thread_readable(user, exercise_id, is_key, discussion, teacher_id, peers=False):
    """The reveal rule of the module docstring, for one claim (readable_claims_q is the same as a filter).
    `peers`: the exercise has opened classmates' work to this student (classroom.visibility.peers_open)."""
    return (exercise_id is None or bool(is_key) or bool(discussion) or peers
            or (user.is_authenticated and teacher_id == user.pk))


def readable_claims_q(user, prefix=""):
    """Claims whose threads `user` may read, as a filter (`prefix` reaches them through a relation)."""
    p = prefix
    opened = Q(**{f"{p}exercise__isnull": True}) | Q(**{f"{p}is_key": True}) | Q(**{f"{p}exercise__discussion": True})
    if user.is_authenticated:
        opened |= Q(**{f"{p}exercise__classroom__teacher": user})
        if in_any_class(user):
            opened |= Q(**{f"{p}is_key": False, f"{p}exercise__in": peers_open_exercise_ids(user)})
    return visibility_q(user, p) & opened


def _closed(claim, teacher, peers=False):
    exercise = claim.exercise
    if exercise is not None:
        if claim.is_key:
            if teacher and not key_revealed_to_anyone(exercise):
                return NOT_YET
        elif not (exercise.discussion or peers):
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
    (for everyone, as on the discussion page), else their display name or username. `names` (an
    AuthorNames.in_class()) may be shared by many threads, so each roster is read once."""
    names = names or AuthorNames.in_class()
    return lambda user: names(user.pk, shown_name(user), claim.exercise_id)


def visible_replies(user):
    """Every reply `user` may read, across threads (deleted ones' placeholders included)."""
    replies = Reply.objects.filter(readable_claims_q(user, "claim__"))
    shown = Q(hidden_at__isnull=True)
    if user.is_authenticated:
        shown |= Q(author=user) | moderated_q(user, "claim__")
    return replies.filter(shown)


def require_signed_in(user):
    if not user.is_authenticated:
        raise NotAuthenticated("Sign in to take part in the discussion.")
