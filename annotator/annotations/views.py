"""The reader: an article with its highlights and claims, and the htmx actions on them.

These views are a thin skin over services.py, exactly like api.py. The same reader serves
four scopes (see Scope): open reading, a student's work in an exercise, the teacher's
answer key, and the class discussion after reveal.
"""

from collections import Counter
from dataclasses import dataclass
from typing import NamedTuple

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from annotator.classroom.visibility import AuthorNames
from annotator.corpus.models import Article
from annotator.discussion import services as discussion
from annotator.errors import ServiceError, StaleVersion
from annotator.htmx import refusal, shows_errors_in

from . import services
from .models import Anchor, Annotation, Label, Visibility
from .rendering import cached_body
from .validation import as_integer, shown


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
        return AuthorNames.in_class() if self.discussion else AuthorNames(user)

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
    # Named apart from the claim form's own fields: forms include the filters when posting.
    label = request.GET.get("show", "")
    # The discussion lists no authors, so it is not filtered by one either: a filter by
    # username would tell who wrote which claim.
    author = "" if scope.discussion else request.GET.get("by", "")
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
    # what their discussion toggles read.
    cards_of = Annotation.objects.filter(pk__in=on_cards).select_related(*discussion.CARD_RELATED)
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


@require_GET
def reader(request, slug):
    article = get_object_or_404(Article.objects.listed(), slug=slug)
    return reader_page(request, article, Scope())


def posted_scope(request):
    """The scope a reader form was posted from (its hidden exercise and key fields)."""
    from annotator.classroom.models import Exercise

    try:
        exercise_id = as_integer(request.POST.get("exercise", ""), "exercise")
    except ServiceError:
        return Scope()
    exercise = Exercise.objects.filter(pk=exercise_id).first()
    return Scope(exercise=exercise, key=request.POST.get("key") == "1") if exercise else Scope()


@require_POST
@login_required
@shows_errors_in("#toolbar-error")
def create(request, slug):
    scope = posted_scope(request)
    fields = services.ANNOTATION_FIELDS + (services.KEY_FIELDS if scope.key else ())
    data = {name: request.POST[name] for name in fields if name in request.POST}
    claim = services.create_annotation(request.user, slug, data, key=scope.key)
    return render_reader(request, claim.article, scope)


def own_annotation(request, pk):
    return get_object_or_404(
        services.visible_annotations(request.user).select_related("exercise"), pk=pk, author=request.user
    )


# The edit form's fields, by the names its labels give them.
EDIT_FIELD_NAMES = {"label": "Label", "source": "Source", "note": "Note", "visibility": "Who can see it",
                    "explanation": "Explanation"}


def edit_fields(claim):
    """The fields the edit form shows for `claim` (exercise work has no visibility of its own)."""
    extra = ("explanation",) if claim.is_key else () if claim.exercise_id else ("visibility",)
    return ("label", "source", "note", *extra)


def edit_form(request, claim, values=None, conflict=None):
    """The edit form drawn from `claim`: its version, and the values it shows (each also kept
    hidden as seen_<name>, so that a conflict can say which of them changed elsewhere).

    After a conflict, `values` are the editor's own changes, shown instead of the claim's,
    and `conflict` says what changed elsewhere ({"changed": [(field, new value)], "kept": [field]}).
    """
    scope = Scope.of(claim)
    return render(request, "annotations/_edit_form.html", {
        "claim": claim, "values": {name: getattr(claim, name) for name in edit_fields(claim)} | (values or {}),
        "conflict": conflict, "labels": scope.labels, "visibilities": Visibility.choices,
        "scope": scope, "reader_url": scope.url(claim.article)})


@require_http_methods(["GET", "POST"])
@login_required
@shows_errors_in("#edit-error-{pk}")
def edit(request, pk):
    if request.method == "GET":
        return edit_form(request, own_annotation(request, pk))
    names = services.EDITABLE_FIELDS + services.KEY_FIELDS
    posted = {n: request.POST[n] for n in names if n in request.POST}
    try:
        # The form always carries the version it was drawn from: a blank one is refused, never unconditional.
        claim = services.update_annotation(request.user, pk, posted, version=request.POST.get("version", ""))
    except StaleVersion as exc:
        return edit_conflict(request, exc, posted)
    return render_reader(request, claim.article, Scope.of(claim))


def edit_conflict(request, exc, posted):
    """A save from a stale form: 409 and the form again, drawn from the claim as it is now.

    It names each field changed elsewhere with its new value, and keeps what this editor
    changed (their typed note above all), so that saving again loses neither side's work.
    """
    current = exc.current
    seen = {name: request.POST[f"seen_{name}"] for name in posted if f"seen_{name}" in request.POST}
    mine = {name: value for name, value in posted.items()
            if value != seen.get(name) and value != getattr(current, name)}
    conflict = {"changed": [(EDIT_FIELD_NAMES[name], shown_value(current, name)) for name in exc.changed_since(seen)],
                "kept": [EDIT_FIELD_NAMES[name] for name in mine]}
    return refusal(request, exc, f"#claim-{current.pk}", response=edit_form(request, current, mine, conflict))


def shown_value(claim, name):
    """A field's value as the form's reader knows it: a choice by its name, text as written."""
    display = getattr(claim, f"get_{name}_display", None)
    return display() if display else getattr(claim, name)


@require_POST
@login_required
@shows_errors_in("#claim-{pk} .actions")
def delete(request, pk):
    claim = services.delete_annotation(request.user, pk)
    return render_reader(request, claim.article, Scope.of(claim))


