"""The reader, built: an article with its highlights and a page of claim cards, in one scope.

The same reader serves four scopes (see Scope): open reading, a student's work in an
exercise, the teacher's answer key, and the class discussion after reveal. Views of this
app and of the apps above it (classroom's exercise pages) draw it with `reader_page`.

The reader has places that other apps fill (`register_reader_part`), so this app never
imports them: "head" (stylesheets and scripts), "top" (above the text: the suggestions
panel), "sidebar" (below the filters: the recent threads) and "card" (below each claim in
its card: the discussion toggle).
"""

from collections import Counter
from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import Q
from django.shortcuts import render
from django.urls import reverse

from annotator.corpus.outlets import outlet_for
from annotator.errors import ServiceError

from . import services
from .contexts import exercise_rules
from .models import Anchor, Annotation, Label, Visibility
from .rendering import cached_body
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
    # One light row per claim serves the drawing, the counts, the list of authors and both
    # filters: a thousand claims are one query, not four.
    rows = [Highlight(*row) for row in visible.values_list("pk", "start", "end", "label", "anchor", "author__username")]
    # The filters come in the address when reading, and in the body when a reader form posts
    # a write (the forms include #claim-filters), so the redrawn reader keeps them. They are
    # named apart from the claim form's own fields for that reason.
    params = request.POST if request.method == "POST" else request.GET
    label = params.get("show", "")
    # The discussion lists no authors, so it is not filtered by one either: a filter by
    # username would tell who wrote which claim.
    author = "" if scope.discussion else params.get("by", "")
    highlights = rows
    if label in Label.values:
        highlights = [h for h in highlights if h.label == label]
    if author:
        highlights = [h for h in highlights if h.author == author]
    anchored = [h for h in highlights if h.anchor == ANCHORED]
    # Every claim is highlighted, but the sidebar lists a page of cards at a time: a
    # thousand cards would make the page slow to build and to start in the browser.
    cards = card_count(request, len(anchored))
    on_cards = {h.pk for h in anchored[:cards]} | {h.pk for h in highlights if h.anchor == ORPHANED}
    # These claims were just read through the visibility rule; fetch them by key alone, with
    # what their cards' registered parts read.
    related = [name for _, names in _PARTS["card"] for name in names]
    cards_of = Annotation.objects.filter(pk__in=on_cards).select_related(*related)
    claims = list(services.annotation_rows(cards_of)) if on_cards else []
    names = scope.names(user)
    for claim in claims:
        claim.shown_author = names(claim.author_id, claim.author.username, claim.exercise_id)
    targets = list(
        services.visible_links(user, to_article=article).filter(scope.q(user, "source_annotation__"))
        .order_by("to_start", "id")
    )
    counts = Counter(h.label for h in rows)
    return {
        "article": article,
        "outlet_profile": outlet_for(article),
        "scope": scope,
        "reader_url": scope.url(article),
        "body_html": cached_body(article, anchored, targets),
        "claims": [c for c in claims if c.anchor == ANCHORED],
        "more_claims": max(0, len(anchored) - cards),
        "next_cards": cards + CARD_PAGE,
        "orphans": [c for c in claims if c.anchor == ORPHANED],
        "backlinks": targets,
        "counts": [(value, name, counts[value]) for value, name in scope.labels],
        "total": len(rows),
        "authors": [] if scope.discussion else sorted({h.author for h in rows}),
        "filter_label": label,
        "filter_author": author,
        "labels": scope.labels,
        "visibilities": Visibility.choices,
    }


CARD_PAGE = 25
# More cards than any page could usefully list at once; ?cards=all asks for every one.
MAX_CARDS = 10_000


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
