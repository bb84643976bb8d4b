"""The reader, built: an article with its highlights and a page of claim cards, in one scope.

The same reader serves four scopes (see Scope): open reading, a student's work in an
exercise, the teacher's answer key, and the class discussion after reveal. Views of this
app and of the apps above it (classroom's exercise pages) draw it with `reader_page`.

The reader has places that other apps fill (`register_reader_part`), so this app never
imports them: "head" (stylesheets and scripts), "top" (above the text: the suggestions
panel), "sidebar" (below the filters: the recent threads) and "card" (below each claim in
its card: the discussion toggle).
"""

import hashlib
import threading
from collections import Counter, OrderedDict
from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import Count, Max, Q, Sum
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe

from annotator.corpus.outlets import outlet_for
from annotator.errors import ServiceError
from annotator.people import shown_name

from . import services
from .access import rows_decide
from .contexts import exercise_rules
from .models import Anchor, Annotation, Label, Visibility
from .rendering import geometry, render_body
from .stamps import stamp
from .validation import as_integer, shown

PLACES = ("head", "top", "sidebar", "card")
# place -> [(template, the relations the cards' claims are loaded with)], in registration order
_PARTS = {place: [] for place in PLACES}


def register_reader_part(place, template, related=()):
    """Draw `template` at `place` of every reader page, in the reader's context (a "card" part
    also has `claim`). For a card part, the cards' claims are loaded with
    select_related(*related), so a page of cards costs no query per card."""
    if place not in PLACES:
        raise ValueError(f"The reader has no place {place!r}; it has {', '.join(PLACES)}.")
    if template not in part_templates(place):
        _PARTS[place].append((template, tuple(related)))


def part_templates(place):
    return [template for template, _ in _PARTS[place]]


@dataclass
class Scope:
    """Which claims a reader page is about."""

    exercise: object = None
    key: bool = False
    discussion: bool = False
    locked: bool = False  # a student's submitted work

    def q(self, user, prefix=""):
        if self.exercise is None:
            return Q(**{f"{prefix}exercise__isnull": True})
        q = Q(**{f"{prefix}exercise": self.exercise, f"{prefix}is_key": self.key})
        if not (self.key or self.discussion):
            q &= Q(**{f"{prefix}author": user})
        return q

    def url(self, article):
        if self.exercise is None:
            return reverse("annotations:reader", args=[article.slug])
        name = "key_article" if self.key else "discussion_article" if self.discussion else "exercise_article"
        return reverse(f"classroom:{name}", args=[self.exercise.pk, article.slug])

    def names(self, user):
        """How this page names the authors of its claims: the class discussion names no one."""
        rules = exercise_rules()
        return rules.class_names() if self.discussion else rules.author_names(user)

    @property
    def writable(self):
        return not (self.discussion or self.locked)

    @property
    def labels(self):
        in_play = self.exercise.labels if self.exercise else Label.values
        return [(value, name) for value, name in Label.choices if value in in_play]

    @classmethod
    def of(cls, annotation):
        return cls(exercise=annotation.exercise, key=annotation.is_key)


# Plain strings: reading an enum member goes through its descriptor, a thousand times a page.
ANCHORED, ORPHANED = Anchor.ANCHORED.value, Anchor.ORPHANED.value


class Highlight(NamedTuple):
    """What the text and the sidebar's counts need of a claim; cards load whole rows for their claims only."""

    pk: int
    start: int
    end: int
    label: str
    anchor: str
    author: str


def reader_context(request, article, scope):
    """Everything the reader shows, in a constant number of queries whatever the count."""
    user = request.user
    visible = services.visible_annotations(user, article).filter(scope.q(user))
    # The filters come in the address when reading, and in the body when a reader form posts
    # a write (the forms include #claim-filters), so the redrawn reader keeps them. They are
    # named apart from the claim form's own fields for that reason.
    params = request.POST if request.method == "POST" else request.GET
    label = params.get("show", "")
    # The discussion lists no authors, so it is not filtered by one either: a filter by
    # username would tell who wrote which claim.
    author = "" if scope.discussion else params.get("by", "")
    targets = list(
        services.visible_links(user, to_article=article).filter(scope.q(user, "source_annotation__"))
        .order_by("to_start", "id")
    )
    # The claim stamp, when it decides for this reader (access.rows_decide): the drawing and
    # the sidebar's parts key what they remember on it.
    trusted = rows_decide(user)
    claim_stamp = stamp(article) if trusted else None
    drawn = drawing(user, article, scope, visible, targets, label, author, trusted, claim_stamp)
    # Every claim is highlighted, but the sidebar lists a page of cards at a time: ten
    # thousand cards would make the page slow to build and to start in the browser.
    listed = drawn["listed"]
    first, count = card_window(request, len(listed))
    on_cards = set(listed[first:first + count]) | set(drawn["orphans"])
    # These claims were just read through the visibility rule; fetch them by key alone, with
    # what their cards' registered parts read.
    related = [name for _, names in _PARTS["card"] for name in names]
    cards_of = Annotation.objects.filter(pk__in=on_cards).select_related(*related)
    claims = list(services.annotation_rows(cards_of)) if on_cards else []
    names = scope.names(user)
    for claim in claims:
        claim.shown_author = names(claim.author_id, shown_name(claim.author), claim.exercise_id)
    counts = drawn["counts"]
    last = min(first + count, len(listed))
    return {
        "article": article,
        "outlet_profile": outlet_for(article),
        "scope": scope,
        "reader_url": scope.url(article),
        "body_html": mark_safe(drawn["body"]),
        "geometry_json": mark_safe(drawn["geometry"]),
        "claims": [c for c in claims if c.anchor == ANCHORED],
        "listed_total": len(listed),
        "first_card": first + 1 if last > first else first,
        "last_card": last,
        "earlier_cards": max(0, first - count) if first else None,
        "later_cards": last if last < len(listed) else None,
        "card_page": count,
        "orphans": [c for c in claims if c.anchor == ORPHANED],
        "backlinks": targets,
        "counts": [(value, name, counts.get(value, 0)) for value, name in scope.labels],
        "total": drawn["total"],
        "authors": [] if scope.discussion else drawn["authors"],
        "filter_label": label,
        "filter_author": author,
        "labels": scope.labels,
        "visibilities": Visibility.choices,
        "stamp_trusted": trusted,
        "claim_stamp": claim_stamp,
    }


def drawing(user, article, scope, visible, targets, label, author, trusted, claim_stamp):
    """The highlighted text, the claims' geometry, the order of the sidebar and the counts:
    everything the reader derives from all of its claims at once, remembered.

    Reading ten thousand rows costs more than the rest of the page; readers reload, filter
    and page through the same claims far more often than those change. The key holds what
    the claims' rows were when last read: the article's claim stamp (stamps.py; triggers
    change it in the transaction of every claim write, through any worker or server), one
    primary-key read. When the reading rule also depends on more than the rows for this
    reader (a class, a due date: access.rows_decide), a fingerprint of the claims this
    reader sees is read instead (one aggregate over them). Either way nothing is ever
    invalidated by hand: a stale entry is simply never asked for again. The key holds the
    reader too: two readers may see different claims with the same stamp.
    """
    if trusted:
        fingerprint = {"stamp": claim_stamp}
    else:
        fingerprint = visible.aggregate(
            n=Count("pk"), ids=Sum("pk"), versions=Sum("version"), changed=Max("modified"))
    key = "reader:" + hashlib.sha256(repr((
        article.pk, article.title_derived, hashlib.blake2b(article.body.encode()).hexdigest(),
        user.pk, scope.exercise.pk if scope.exercise else None, scope.key, scope.discussion,
        sorted(fingerprint.items()), label, author,
        [(t.pk, t.to_start, t.to_end, t.relation, t.source_annotation_id) for t in targets],
    )).encode()).hexdigest()
    with _DRAWN_LOCK:
        drawn = _DRAWN.get(key)
        if drawn is not None:
            _DRAWN.move_to_end(key)
            return drawn
    drawn = draw(article, visible, targets, label, author)
    with _DRAWN_LOCK:
        _DRAWN[key] = drawn
        while len(_DRAWN) > DRAWN_KEPT:
            _DRAWN.popitem(last=False)
    return drawn


# The drawings are kept in this process, not in a cache backend: the key already makes them
# right for every worker, and a shared cache would copy half a megabyte in and out per view.
# Least recently used first out; a few hundred kilobytes each at ten thousand claims.
DRAWN_KEPT = 64
_DRAWN = OrderedDict()
_DRAWN_LOCK = threading.Lock()


def forget_drawings():
    """Empty this process's drawings (a first view can then be measured, or a test start clean)."""
    with _DRAWN_LOCK:
        _DRAWN.clear()


def draw(article, visible, targets, label, author):
    # One light row per claim serves the drawing, the counts, the list of authors and both
    # filters: ten thousand claims are one query, not four.
    rows = [Highlight(*row) for row in visible.values_list("pk", "start", "end", "label", "anchor", "author__username")]
    highlights = rows
    if label in Label.values:
        highlights = [h for h in highlights if h.label == label]
    if author:
        highlights = [h for h in highlights if h.author == author]
    anchored = [h for h in highlights if h.anchor == ANCHORED]
    return {
        "body": str(render_body(article, anchored, targets)),
        # Escaped once here, for the attribute it is drawn into, rather than at every view.
        "geometry": str(escape(geometry(anchored))),
        "listed": [h.pk for h in anchored],
        "orphans": [h.pk for h in highlights if h.anchor == ORPHANED],
        "counts": dict(Counter(h.label for h in rows)),
        "total": len(rows),
        "authors": sorted({h.author for h in rows}),
    }


CARD_PAGE = 25
# More cards than any page could usefully list at once; ?cards=all asks for every one.
MAX_CARDS = 10_000


def card_window(request, total):
    """Which claim cards to list, as (index of the first, how many): ?from=N (default 0) and
    ?cards=N (at least a page, at most MAX_CARDS), or all with ?cards=all. Anything else is a
    ServiceError naming "cards" or "from"."""
    count = card_count(request, total)
    first = request.GET.get("from", "")
    if not first:
        return 0, count
    try:
        index = as_integer(first, "from")
    except ServiceError:
        index = -1
    if not 0 <= index <= MAX_CARDS * 10:
        raise ServiceError(f"Where the list of claim cards starts (from=) must be a whole number from 0 to "
                           f"{MAX_CARDS * 10:,}; this address has {shown(first)}.", "from")
    if index >= total:  # past the end (the list has shrunk since the link was made): the last page
        index = max(0, total - count)
    return index, count


def card_count(request, total):
    """How many claim cards to list: ?cards=N (at least a page, at most MAX_CARDS), or all
    with ?cards=all. Anything else is a ServiceError naming "cards"."""
    wanted = request.GET.get("cards", "")
    if wanted == "all":
        return total
    if not wanted:
        return CARD_PAGE
    try:
        count = as_integer(wanted, "cards")
    except ServiceError:
        count = -1
    if not 0 <= count <= MAX_CARDS:
        raise ServiceError(f"The number of claim cards to list (cards=) must be a whole number from 0 to "
                           f"{MAX_CARDS:,}, or all; this address has {shown(wanted)}.", "cards")
    return max(CARD_PAGE, count)


def render_reader(request, article, scope, status=200):
    return render(request, "annotations/_reader.html", reader_context(request, article, scope), status=status)


def reader_page(request, article, scope, extra=None):
    """The full reader page, or only its redrawn part for an htmx request (filters)."""
    try:
        context = reader_context(request, article, scope)
    except ServiceError as exc:  # a query parameter out of bounds
        return render(request, "400.html", {"heading": "That address is not quite right", "message": exc.message},
                      status=400)
    if request.htmx and request.htmx.target == "claim-page":
        # Paging through the cards: only the list changes, not the text.
        return render(request, "annotations/_claim_page.html", context)
    if request.htmx:
        return render(request, "annotations/_reader.html", context)
    context["body_json"] = article.body
    context.update(extra or {})
    return render(request, "annotations/reader.html", context)


def posted_scope(request):
    """The scope a reader form was posted from (its hidden exercise and key fields)."""
    try:
        exercise_id = as_integer(request.POST.get("exercise", ""), "exercise")
    except ServiceError:
        return Scope()
    exercise = exercise_rules().exercises().filter(pk=exercise_id).first()
    return Scope(exercise=exercise, key=request.POST.get("key") == "1") if exercise else Scope()
