"""The discussion's pieces of the reader.

`{% discussion_toggle claim %}` in a claim card: the "Discussion (N)" toggle that loads the
thread, and the teacher's "hidden" mark. The counts of every card on the page are read
together, the first time a card asks, so the page costs the same one query however many
cards it lists (see services.card_info).

`{% recent_threads %}` in the sidebar: the threads on this article, newest activity first.
"""

import threading
from collections import OrderedDict

from django import template
from django.db.models import Count, Max, Q

from annotator.annotations.models import Annotation
from annotator.fragments import render_cached

from .. import services

register = template.Library()

RECENT_THREADS = 12
# (article, claim stamp, reader) -> the ids of the claims of its latest threads; in this
# process, least recently used out. A stale key is never asked for again (see recent_threads).
LATEST_KEPT = 1024
_LATEST = OrderedDict()
_LATEST_LOCK = threading.Lock()
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
            on_page = [claim, *(c for name in ("claims", "orphans") for c in (context.get(name) or ()))]
            cache.update(services.card_info(user, [c for c in on_page if c.pk not in cache]))
        info = cache.get(claim.pk)
    shown = (claim.pk, sorted(info.items()) if info else None)
    return render_cached(context, "discussion/_card_toggle.html", shown, claim=claim, info=info)


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
    # Which threads are the latest changes only with a reply or claim written, and then the
    # article's claim stamp changes too (apps.py): when the stamp decides what this reader
    # reads, the threads found last time are asked for by id, and an article without any
    # costs no query at all. Otherwise (the class decides), finding them reads every claim.
    key = None
    if context.get("stamp_trusted") and scope.exercise is None:
        key = (article.pk, context.get("claim_stamp"), user.pk)
        with _LATEST_LOCK:
            latest = _LATEST.get(key)
        if latest == []:
            return {"threads": [], "new": 0, "user": user}
        if latest is not None:
            replies = replies.filter(claim__in=latest)
    annotations = {"last": Max("created"), "n": Count("id")}
    if user.is_authenticated:
        annotations["new"] = Count("id", filter=services.unread_q(user) & ~Q(author=user))
    rows = list(replies.values("claim").annotate(**annotations).order_by("-last", "-claim")[:RECENT_THREADS])
    if key is not None:
        with _LATEST_LOCK:
            _LATEST[key] = [row["claim"] for row in rows]
            _LATEST.move_to_end(key)
            while len(_LATEST) > LATEST_KEPT:
                _LATEST.popitem(last=False)
    claims = Annotation.objects.filter(pk__in=[row["claim"] for row in rows]).only("pk", "exact", "label")
    claims = {claim.pk: claim for claim in claims}
    threads = [{"claim": claims[row["claim"]], "last": row["last"], "count": row["n"], "new": row.get("new", 0)}
               for row in rows if row["claim"] in claims]
    return {"threads": threads, "new": sum(t["new"] for t in threads), "user": user}
