"""Source pages: every claim attributed to one source, with the links that bear on each.

Plain pages and forms (they work without script); the suggestions fragment is fetched by
htmx as a claim's source is typed. The checks are in sources.py.
"""

from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from annotator.errors import ServiceError
from annotator.htmx import status_of
from annotator.roles import is_teacher, teacher_required

from . import exports, sources
from .models import Label, Relation, Source, SourceAlias, SourceKind


@require_GET
def source_list(request):
    return render(request, "annotations/sources.html", _list_context(request))


@require_GET
def source_find(request):
    """The page of the source a claim's source text names; the list, with suggestions, when none does.

    Cards link here with the text as written, not to a source page: which source an alias
    belongs to changes when a teacher edits aliases, and the cards are cached.
    """
    name = request.GET.get("name", "")
    source = sources.source_for(name)
    if source is not None:
        return redirect(source)
    context = _list_context(request)
    context.update({"unmatched": name[:200], "suggestions": sources.suggest_sources(name)})
    return render(request, "annotations/sources.html", context, status=404)


@require_POST
@teacher_required
def source_create(request):
    try:
        source = sources.create_source(request.user, _fields(request, "name", "kind"))
    except ServiceError as error:
        context = _list_context(request, error=error, values=request.POST)
        return render(request, "annotations/sources.html", context, status=status_of(error))
    return redirect(source)


@require_GET
def source_page(request, slug):
    source = _source_or_404(slug)
    return render(request, "annotations/source.html", _page_context(request, source))


@require_POST
@teacher_required
def alias_add(request, slug):
    try:
        sources.add_alias(request.user, slug, _fields(request, "alias"))
    except ServiceError as error:
        source = _source_or_404(slug)
        context = _page_context(request, source, error=error, values=request.POST)
        return render(request, "annotations/source.html", context, status=status_of(error))
    return redirect("annotations:source", slug=slug)


@require_POST
@teacher_required
def alias_delete(request, pk):
    try:
        source = sources.remove_alias(request.user, pk)
    except ServiceError as error:
        if error.status == 404:
            raise Http404(error.message) from None
        # The source's own name: shown on its page, where the button is not offered.
        alias = SourceAlias.objects.select_related("source").get(pk=pk)
        context = _page_context(request, alias.source, error=error)
        return render(request, "annotations/source.html", context, status=status_of(error))
    return redirect(source)


@require_GET
def source_suggestions(request):
    """The <option>s of the sources a typed source string may mean, for a claim form's datalist."""
    names = [source.name for source in sources.suggest_sources(request.GET.get("source", ""))]
    return render(request, "annotations/_source_options.html", {"names": names})


def _list_context(request, error=None, values=None):
    listed = list(Source.objects.prefetch_related("aliases"))
    # The claims the sources CSV counts for this reader, so that the page and the file agree.
    counts = sources.claim_counts(exports.export_queryset(request.user), listed)
    for source in listed:
        source.other_aliases = [a.alias for a in source.aliases.all() if a.alias != source.name]
        source.counts = counts.get(source.pk)
        source.by_label = [(label, source.counts[label]) for label in Label.values
                           if source.counts and source.counts[label]]
    return {
        "sources": listed,
        "kinds": SourceKind.choices,
        "can_edit": is_teacher(request.user),
        "error": error,
        "values": values or {},
    }


def _page_context(request, source, error=None, values=None):
    claims = sources.source_claims(request.user, source)
    by_article = {}
    for claim, links in claims:
        by_article.setdefault(claim.article, []).append((claim, links))
    return {
        "source": source,
        "by_article": list(by_article.items()),
        "claim_count": len(claims),
        "relations": dict(Relation.choices),
        "can_edit": is_teacher(request.user),
        "error": error,
        "values": values or {},
    }


def _source_or_404(slug):
    try:
        return sources.get_source(slug)
    except ServiceError as error:
        raise Http404(error.message) from None


def _fields(request, *names):
    """The form's values for the service (a missing field reaches it as missing)."""
    return {name: request.POST[name] for name in names if name in request.POST}
