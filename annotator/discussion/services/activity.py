"""What's new: what each reader has seen, unread counts, and what a claim card shows of its thread."""

from django.db.models import Count, Exists, Max, OuterRef, Q
from django.utils import timezone

from annotator.classroom import review
from annotator.classroom.visibility import in_any_class, peers_open_exercise_ids

from ..models import ReadMarker, Reply
from ..visibility import taught_students
from .threads import require_signed_in, thread_readable, visible_replies


def last_seen(user, claim):
    if not user.is_authenticated:
        return None
    return ReadMarker.objects.filter(user=user, claim=claim).values_list("seen", flat=True).first()


def mark_read(user, claim, when=None):
    """`user` has read the thread of `claim` up to now (or `when`)."""
    if not user.is_authenticated:
        return
    _save_markers(user, [claim.pk], when or timezone.now())


def mark_all_read(user):
    require_signed_in(user)
    claims = list(my_threads(user).filter(unread_q(user)).values_list("claim", flat=True).distinct())
    _save_markers(user, claims, timezone.now())
    review.mark_comments_read(user, review.comments_to(user).filter(read__isnull=True))


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
    peers = _peers_open(user, claims)
    for claim in claims:
        exercise = claim.exercise
        teacher = exercise.classroom.teacher_id if exercise else None
        moderation = getattr(claim, "moderation", None)
        info[claim.pk] = {
            "readable": thread_readable(user, claim.exercise_id, claim.is_key, exercise and exercise.discussion, teacher,
                                        claim.exercise_id in peers),
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


def _peers_open(user, claims):
    """The exercises among `claims`' whose classmates' work is open to `user` early: one query, asked
    only when a card would otherwise be closed (a student's work before discussion mode)."""
    waiting = {c.exercise_id for c in claims if c.exercise_id and not c.is_key and not c.exercise.discussion
               and c.exercise.peers_after_claims is not None}
    if not waiting or not user.is_authenticated:
        return set()
    return set(peers_open_exercise_ids(user).filter(pk__in=waiting).values_list("pk", flat=True))


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
    """How many replies in `user`'s threads, and teacher's comments on their claims, they have not read yet."""
    if not user.is_authenticated:
        return 0
    return my_threads(user).filter(unread_q(user)).count() + review.unread_comment_count(user)


# What's new lists the latest of the teacher's private comments on the reader's claims.
COMMENTS_SHOWN = 20


def teacher_comments(user):
    """The latest comments from teachers on `user`'s claims (classroom.review), newest first."""
    return list(review.comments_to(user)[:COMMENTS_SHOWN])


def activity(user):
    """`user`'s threads with news, newest activity first: rows of claim, last, replies, unread."""
    return (
        my_threads(user).values("claim")
        .annotate(last=Max("created"), replies=Count("id"), unread=Count("id", filter=unread_q(user)))
        .order_by("-last", "-claim")
    )
