"""Linking a claim to passages of other articles: the htmx panel behind a claim card's
"Find in other articles" button.

The panel is the passage picker (passages.py) filling the link form: related passages of
the other articles, a free search, or another article opened whole to select any span of
it. The link is saved through services.create_link, like the JSON API. After a save or a
delete the reader redraws itself: the response carries `HX-Trigger: claims-changed`, which
the #reader element listens for.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import trigger_client_event

from annotator.htmx import shows_errors_in

from . import passages, services
from .models import Relation
from .reader import Scope
from .views import own_annotation

LINK_POST_FIELDS = ("to_article", "to_start", "to_end", "to_exact", "relation", "note")


def link_picker(request, pk):
    """The picker of the signed-in user's own claim `pk` (404 for anyone else's), filling its link form."""
    claim = own_annotation(request, pk)
    return passages.Picker(
        claim=claim, name=str(claim.pk), prefix="picker", key=str(claim.pk),
        heading="Find this claim in other articles",
        passages_url=reverse("annotations:link_passages", args=[claim.pk]),
        article_url=lambda slug: reverse("annotations:link_article", args=[claim.pk, slug]),
        form_template="annotations/_link_form.html", choose_label="Link this passage",
        select_help="Select the words to link with the mouse.",
        finish_help=mark_safe("<kbd>Enter</kbd> goes to the form"),
        linked=tuple(claim.links.all()),
    )


@require_GET
@login_required
def link_panel(request, pk):
    return passages.panel(request, link_picker(request, pk), relations=Relation.choices)


@require_GET
@login_required
def link_passages(request, pk):
    return passages.passage_list(request, link_picker(request, pk), request.GET.get("q", ""))


@require_GET
@login_required
def link_article(request, pk, slug):
    return passages.opened_article(request, link_picker(request, pk), slug)


def _redrawn(request, claim, message):
    """After a change: the reader page redraws itself; without htmx, back to the claim."""
    if not request.htmx:
        return redirect(f"{Scope.of(claim).url(claim.article)}#claim-{claim.pk}")
    response = HttpResponse(status=204)
    return trigger_client_event(response, "claims-changed", {"claim": claim.pk, "message": message})


@require_POST
@login_required
@shows_errors_in("#link-error-{pk}")
def link_create(request, pk):
    data = {name: request.POST[name] for name in LINK_POST_FIELDS if name in request.POST}
    link = services.create_link(request.user, {**data, "from": pk})
    message = f"Linked: {link.get_relation_display().lower()} “{link.to_exact[:80]}” in {link.to_article.title}."
    return _redrawn(request, link.source_annotation, message)


@require_POST
@login_required
@shows_errors_in("#link-row-error-{pk}")
def link_delete(request, pk):
    link = services.delete_link(request.user, pk)
    return _redrawn(request, link.source_annotation, "Link deleted.")
