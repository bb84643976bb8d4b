"""The reader: an article with its highlights and claims, and the htmx actions on them.

These views are a thin skin over services.py, exactly like api.py.
"""

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap, retarget

from annotator.corpus.models import Article
from annotator.errors import ServiceError

from . import services
from .models import Anchor, Label, Visibility
from .rendering import render_body

def reader_context(request, article):
    """Everything the reader shows, in a constant number of queries whatever the count."""
    visible = services.visible_annotations(request.user, article)
    label = request.GET.get("label", "")
    author = request.GET.get("author", "")
    shown = visible
    if label in Label.values:
        shown = shown.filter(label=label)
    if author:
        shown = shown.filter(author__username=author)
    claims = list(shown)
    anchored = [c for c in claims if c.anchor == Anchor.ANCHORED]
    targets = list(services.visible_links(request.user, to_article=article).order_by("to_start", "id"))
    counts = dict(visible.order_by().values_list("label").annotate(n=Count("id")))
    authors = sorted(set(visible.order_by().values_list("author__username", flat=True)))
    return {
        "article": article,
        "body_html": render_body(article, anchored, targets),
        "claims": anchored,
        "orphans": [c for c in claims if c.anchor == Anchor.ORPHANED],
        "backlinks": targets,
        "counts": [(value, name, counts.get(value, 0)) for value, name in Label.choices],
        "total": sum(counts.values()),
        "authors": authors,
        "filter_label": label,
        "filter_author": author,
        "labels": Label.choices,
        "visibilities": Visibility.choices,
    }


def render_reader(request, article, status=200):
    return render(request, "annotations/_reader.html", reader_context(request, article), status=status)


def form_error(request, exc, target):
    """Show a service error inside the form that caused it; nothing was written."""
    response = render(request, "annotations/_form_error.html", {"error": exc}, status=422)
    return reswap(retarget(response, target), "innerHTML")


@require_GET
def reader(request, slug):
    article = get_object_or_404(Article, slug=slug)
    if request.htmx:
        return render_reader(request, article)
    context = reader_context(request, article)
    context["body_json"] = article.body
    return render(request, "annotations/reader.html", context)


@require_POST
@login_required
def create(request, slug):
    article = get_object_or_404(Article, slug=slug)
    data = {field: request.POST.get(field, "") for field in services.ANNOTATION_FIELDS}
    try:
        services.create_annotation(request.user, article, data)
    except ServiceError as exc:
        return form_error(request, exc, "#toolbar-error")
    return render_reader(request, article)


@require_http_methods(["GET", "POST"])
@login_required
def edit(request, pk):
    annotation = get_object_or_404(services.visible_annotations(request.user), pk=pk, author=request.user)
    if request.method == "GET":
        return render(request, "annotations/_edit_form.html", {"claim": annotation, "labels": Label.choices,
                                                                "visibilities": Visibility.choices})
    try:
        services.update_annotation(request.user, pk, {f: request.POST[f] for f in services.EDITABLE_FIELDS if f in request.POST})
    except ServiceError as exc:
        return form_error(request, exc, f"#edit-error-{pk}")
    return render_reader(request, annotation.article)


@require_POST
@login_required
def delete(request, pk):
    annotation = get_object_or_404(services.visible_annotations(request.user), pk=pk, author=request.user)
    services.delete_annotation(request.user, pk)
    return render_reader(request, annotation.article)
