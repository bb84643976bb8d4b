"""The reader's suggestions panel: a thin htmx skin over services, like api.py.

Every response is the whole panel (templates/assist/_suggestions.html), swapped over itself,
so the toggle, the list and its messages always agree.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET, require_POST

from annotator.annotations.models import Label
from annotator.corpus.models import Article
from annotator.errors import ServiceError
from annotator.htmx import refusal

from . import services

LABEL_NAMES = dict(Label.choices)


def panel_context(request, article, shown=False, exercise="", key=False):
    """What the panel shows; `allowed` False hides it entirely (assists switched off).

    In an exercise (or its key) the panel carries the exercise along, so an accepted
    suggestion becomes a claim of that exercise.
    """
    allowed = services.assist_allowed(request.user, article)
    context = {"article": article, "allowed": allowed, "shown": shown and allowed, "cards": [], "n_suggestions": 0,
               "exercise": exercise, "key": key}
    if context["shown"]:
        suggestions = services.suggestions_for(request.user, article)
        context["cards"] = passage_cards(suggestions)
        context["n_suggestions"] = len(suggestions)
    return context


def passage_cards(suggestions):
    """One card per suggested passage, its readings surest first.

    One cue can suggest two labels for the same words ("claimed" names a source and keeps
    its distance): a single card shows the passage once, with each reading to accept or
    dismiss on its own.
    """
    cards = {}
    for s in suggestions:
        card = cards.setdefault((s.start, s.end), {"start": s.start, "end": s.end, "exact": s.exact, "readings": []})
        card["readings"].append({"suggestion": s, "label_name": LABEL_NAMES[s.label],
                                 "percent": round(s.confidence * 100)})
    for card in cards.values():
        card["readings"].sort(key=lambda reading: -reading["suggestion"].confidence)
        card["labels"] = " ".join(reading["suggestion"].label for reading in card["readings"])
    return list(cards.values())


def render_panel(request, article, shown=True, status=200, **extra):
    data = request.POST if request.method == "POST" else request.GET
    exercise = data.get("exercise", "")
    context = panel_context(request, article, shown, exercise if exercise.isdigit() else "", data.get("key") == "1")
    context |= extra
    return render(request, "assist/_suggestions.html", context, status=status)


def _article(slug):
    return get_object_or_404(Article.objects.defer("raw", "removed"), slug=slug)


def _span(request):
    return {field: request.POST.get(field, "") for field in services.SPAN_FIELDS}


@require_GET
def panel(request, slug):
    article = _article(slug)
    if not services.assist_allowed(request.user, article):
        return render_panel(request, article, shown=False, status=403)
    return render_panel(request, article, shown=request.GET.get("show") == "1")


@require_POST
@login_required
def accept(request, slug):
    article = _article(slug)
    try:
        claim = services.accept(request.user, article, _span(request), exercise=request.POST.get("exercise") or None,
                                key=request.POST.get("key") == "1")
    except ServiceError as exc:
        return _refused(request, article, exc)
    response = render_panel(request, article, message=f"Saved as your {claim.label} claim.")
    # The reader re-renders itself on this event, so the new claim appears in the text.
    response["HX-Trigger"] = "claims-changed"
    return response


@require_POST
@login_required
def dismiss(request, slug):
    article = _article(slug)
    try:
        services.dismiss(request.user, article, _span(request))
    except ServiceError as exc:
        return _refused(request, article, exc)
    return render_panel(request, article, message="Dismissed. It stays hidden for you.")


def _refused(request, article, error):
    """The panel again, saying why; it swaps itself whatever the error's status (annotator/htmx.py)."""
    return refusal(request, error, "#assist", "outerHTML", response=render_panel(request, article, error=error.message))
