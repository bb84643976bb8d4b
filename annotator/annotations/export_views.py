"""Downloads of annotations as CSV or JSON-LD, and the "My annotations" page that offers them.

The query string chooses what a download covers, as `manage.py export_annotations` does:
  (nothing)         signed in: your own claims; anonymous: the public claims
  ?mine=1           your own claims (401 when anonymous)
  ?article=SLUG     the claims on that article you may read (with mine=1: only yours)
  ?all=1            everyone's claims, private ones included: staff only (403 otherwise)
  ?exercise=ID      every student's claims and the key of that exercise: its teacher only
  ?bom=1            CSV only: a byte order mark first, so that Excel reads accents
Anonymous readers may download what they may read anyway, the public claims, as the JSON
API lets them. Authors are named as the downloader may see them: classmates' exercise work
under the class's anonymous names (classroom.visibility.AuthorNames).
"""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from annotator import csvstream
from annotator.jsonapi import api_view

from . import exports

CONTENT_TYPES = {"csv": csvstream.CONTENT_TYPE, "jsonld": exports.JSONLD_CONTENT_TYPE}
PAGE_SIZE = 100


def scope(request):
    """export_queryset's arguments from the query string (see the module docstring)."""
    article = request.GET.get("article") or None
    exercise = request.GET.get("exercise") or None
    everything = csvstream.switch(request, "all")
    mine = csvstream.switch(request, "mine") or (
        request.user.is_authenticated and not article and not everything and not exercise)
    return {"article": article, "mine": mine, "everything": everything, "exercise": exercise}


@never_cache
@api_view(["GET"])
def download(request, fmt, what):
    arguments = scope(request)
    annotations = exports.export_queryset(request.user, **arguments)
    chunks = exports.export(annotations, fmt, what, bom=csvstream.switch(request, "bom"), viewer=request.user)
    name = "-".join(filter(None, [what, arguments["article"], "all" if arguments["everything"] else None,
                                  arguments["exercise"] and f"exercise-{arguments['exercise']}"]))
    return csvstream.attachment(chunks, f"{name}.{fmt}", CONTENT_TYPES[fmt])


@never_cache
@api_view(["GET"])
def sources_download(request):
    """Every source with its aliases and counts of the claims the downloader may read (?all=1: staff, all)."""
    annotations = exports.export_queryset(request.user, everything=csvstream.switch(request, "all"))
    chunks = exports.sources_csv(annotations, bom=csvstream.switch(request, "bom"))
    return csvstream.attachment(chunks, "sources-all.csv" if csvstream.switch(request, "all") else "sources.csv")


@require_GET
@login_required
def my_annotations(request):
    mine = exports.export_queryset(request.user, mine=True)
    annotations = (
        mine.select_related("article")
        .defer("article__body", "article__raw", "article__removed")
        .prefetch_related("links")
        .order_by("-created", "-id")
    )
    page = Paginator(annotations, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "annotations/my_annotations.html", {
        "page": page,
        "link_count": exports.links_of(mine).count(),
    })
