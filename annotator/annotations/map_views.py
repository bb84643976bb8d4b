"""The claim map page: every claim a reader may see that is linked across articles."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import services, sources
from .claimmap import claim_map
from .models import Label, Relation, Source


def map_context(request, annotations, links, article_url=None):
    """The map of `annotations` and `links`, narrowed by the page's label and relation filters.

    Any scope can use it: the open map passes every visible claim outside exercises; a
    classroom view can pass one exercise's claims and its own `article_url`.
    """
    label = request.GET.get("label", "")
    relation = request.GET.get("relation", "")
    source = Source.objects.prefetch_related("aliases").filter(slug=request.GET.get("source", "")).first()
    if source is not None:
        annotations = annotations.filter(sources.claims_q(source))
    if label in Label.values:
        annotations = annotations.filter(label=label)
    else:
        label = ""
    if relation in Relation.values:
        links = links.filter(relation=relation)
    else:
        relation = ""
    context = claim_map(annotations, links, article_url=article_url)
    context.update({
        "labels": Label.choices,
        "relations": Relation.choices,
        "filter_label": label,
        "filter_relation": relation,
        "sources": Source.objects.all(),
        "filter_source": source.slug if source else "",
        "filtered": bool(label or relation or source),
    })
    return context


@require_GET
def claim_map_page(request, exercise=None):
    """The open map (claims outside exercises). `exercise` is for a classroom scope later."""
    user = request.user
    if exercise is None:
        annotations = services.visible_annotations(user).filter(exercise__isnull=True)
    else:
        annotations = services.visible_annotations(user).filter(exercise=exercise)
    links = services.visible_links(user)
    context = map_context(request, annotations, links)
    context["exercise"] = exercise
    return render(request, "annotations/claim_map.html", context)
