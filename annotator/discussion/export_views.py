"""Downloads of replies: /export/replies.csv and /export/replies.jsonld.

What a download covers: the replies you may read (anonymous readers: those on public
claims), narrowed by ?article=SLUG and/or ?exercise=ID; ?bom=1 puts a byte order mark before
the CSV for Excel. Errors answer in the API's JSON shape.
"""

from django.http import StreamingHttpResponse
from django.views.decorators.cache import never_cache

from annotator.annotations.exports import JSONLD_CONTENT_TYPE
from annotator.jsonapi import api_view

from . import exports


def _download(request, chunks, content_type, extension):
    article = request.GET.get("article") or None
    exercise = request.GET.get("exercise") or None
    replies = exports.export_queryset(request.user, article=article, exercise=exercise)
    response = StreamingHttpResponse((chunk.encode() for chunk in chunks(replies)), content_type=content_type)
    name = "-".join(filter(None, ["replies", article, exercise and f"exercise-{exercise}"]))
    response["Content-Disposition"] = f'attachment; filename="{name}.{extension}"'
    return response


@never_cache
@api_view(["GET"])
def replies_csv(request):
    bom = request.GET.get("bom", "").strip().lower() in {"1", "true", "yes", "on"}
    return _download(request, lambda replies: exports.replies_csv(request.user, replies, bom=bom),
                     "text/csv; charset=utf-8", "csv")


@never_cache
@api_view(["GET"])
def replies_jsonld(request):
    return _download(request, lambda replies: exports.replies_jsonld(request.user, replies),
                     JSONLD_CONTENT_TYPE, "jsonld")
