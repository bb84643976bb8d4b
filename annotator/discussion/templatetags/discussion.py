"""The discussion's pieces of the reader.

`{% discussion_toggle claim %}` in a claim card: the "Discussion (N)" toggle that loads the
thread, and the teacher's "hidden" mark. The counts of every card on the page are read
together, the first time a card asks, so the page costs the same two queries however many
cards it lists.

`{% recent_threads %}` in the sidebar: the threads on this article, newest activity first.
"""

from django import template
from django.db.models import Count, Max, Q

from annotator.annotations.models import Annotation
from annotator.classroom.visibility import in_any_class
from annotator.fragments import render_cached

from .. import services
from ..models import Reply
from ..visibility import taught_students

register = template.Library()

RECENT_THREADS = 12
_CACHE = "_discussion_cards"


@register.simple_tag(takes_context=True)
def discussion_toggle(context, claim):
    user = context.get("user")
    request = context.get("request")
    info = None
    if user is not None and request is not None:
        cache = getattr(request, _CACHE, None)
        if cache is None:
            cache = {}
            setattr(request, _CACHE, cache)
        if claim.pk not in cache:
            on_page = [c.pk for name in ("claims", "orphans") for c in (context.get(name) or ())]
            cache.update(card_info(user, {claim.pk, *on_page} - set(cache)))
        info = cache.get(claim.pk)
    shown = (claim.pk, sorted(info.items()) if info else None)
    return render_cached(context, "discussion/_card_toggle.html", shown, claim=claim, info=info)


def card_info(user, claim_ids):
    """{claim id: what its card shows of the discussion} for the claims `user` sees."""
    if not claim_ids:
        return {}
    rows = Annotation.objects.filter(pk__in=claim_ids).values_list(
        "pk", "exercise_id", "is_key", "author_id", "exercise__discussion", "exercise__classroom__teacher_id",
        "moderation__hidden_at", "moderation__hidden_by__username", "moderation__locked",
    )
    taught = set()
    if user.is_authenticated and in_any_class(user):
        taught = set(taught_students(user).values_list("student", flat=True))
    info = {}
    for pk, exercise, is_key, author, discussion, teacher, hidden_at, hidden_by, locked in rows:
        moderator = user.is_authenticated and (
            teacher == user.pk if exercise is not None else author in taught)
        info[pk] = {
            "readable": services.thread_readable(user, exercise, is_key, discussion, teacher),
            "in_exercise": exercise is not None,
            "moderator": moderator,
            "hidden_at": hidden_at,
            "hidden_by": hidden_by,
            "locked": bool(locked),
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
            counts = replies.annotate(n=Count("id"), new=Count("id", filter=services.unread_q(user) & ~Q(author=user)))
        else:
            counts = replies.annotate(n=Count("id"))
        for row in counts.order_by():
            info[row["claim"]]["count"] = row["n"]
            info[row["claim"]]["new"] = row.get("new", 0)
    return info


@register.inclusion_tag("discussion/_recent_list.html", takes_context=True)
def recent_threads(context):
    """The threads with replies on the reader's article in its scope, newest activity first."""
    user, article, scope = context.get("user"), context.get("article"), context.get("scope")
    if user is None or article is None or scope is None:
        return {"threads": []}
    replies = (
        services.visible_replies(user).filter(claim__article=article, removed=False)
        .filter(scope.q(user, "claim__"))
    )
    annotations = {"last": Max("created"), "n": Count("id")}
    if user.is_authenticated:
        annotations["new"] = Count("id", filter=services.unread_q(user) & ~Q(author=user))
    rows = list(replies.values("claim").annotate(**annotations).order_by("-last", "-claim")[:RECENT_THREADS])
    claims = Annotation.objects.filter(pk__in=[row["claim"] for row in rows]).only("pk", "exact", "label")
    claims = {claim.pk: claim for claim in claims}
    threads = [{"claim": claims[row["claim"]], "last": row["last"], "count": row["n"], "new": row.get("new", 0)}
               for row in rows if row["claim"] in claims]
    return {"threads": threads, "new": sum(t["new"] for t in threads), "user": user}
