"""The reader page and the htmx actions on its claims (reader.py builds what it shows).

These views are a thin skin over services.py, exactly like api.py.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from annotator.corpus.models import Article
from annotator.errors import StaleVersion
from annotator.htmx import refusal, shows_errors_in

from . import services
from .models import Visibility
from .reader import Scope, posted_scope, reader_page, render_reader


@require_GET
def reader(request, slug):
    article = get_object_or_404(Article.objects.listed(), slug=slug)
    return reader_page(request, article, Scope())


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


