"""The claim map page: every claim a reader may see that is linked across articles."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from annotator.errors import ServiceError

from . import services, sources
from .claimmap import claim_map
from .contexts import exercise_rules
from .models import Label, Relation, Source


def map_context(request, annotations, links, article_url=None):
    """The map of `annotations` and `links`, narrowed by the page's label and relation filters.

    Any scope can use it: the open map passes every visible claim outside exercises; a
    classroom view can pass one exercise's claims and its own `article_url`.
    """
    label = request.GET.get("label", "")
    relation = request.GET.get("relation", "")
    slug = request.GET.get("source", "")
    # A slug never holds a NUL, which PostgreSQL cannot compare: such a filter names no source.
    source = Source.objects.prefetch_related("aliases").filter(slug=slug).first() if "\x00" not in slug else None
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
def claim_map_page(request):
    """The open map (claims outside exercises), or with ?exercise= one exercise's map: its key
    and its students' links, every author under their class name, so it can be projected."""
    user = request.user
    links = services.visible_links(user)
    if "exercise" not in request.GET:
        annotations = services.visible_annotations(user).filter(exercise__isnull=True)
        return render(request, "annotations/claim_map.html", {**map_context(request, annotations, links),
                                                              "exercise": None})
    rules = exercise_rules()
    try:
        exercise = rules.exercise_for_map(user, request.GET["exercise"])
    except ServiceError as error:
        raise Http404(error.message) from None
    annotations = services.visible_annotations(user).filter(exercise=exercise)
    context = map_context(request, annotations, links, article_url=rules.map_article_url(exercise))
    names = rules.class_names()
    for edge in context["rows"]:
        claim = edge.source.annotation
        # The class's names whoever looks: the map is made to be put up in front of the class.
        edge.author_name = names(claim.author_id, claim.author.username, exercise.pk)
    return render(request, "annotations/claim_map.html", {**context, "exercise": exercise})
