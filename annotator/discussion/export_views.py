"""Downloads of replies: /export/replies.csv and /export/replies.jsonld.

What a download covers: the replies you may read (anonymous readers: those on public
claims), narrowed by ?article=SLUG and/or ?exercise=ID; ?bom=1 puts a byte order mark before
the CSV for Excel. Errors answer in the API's JSON shape.
"""

from django.views.decorators.cache import never_cache

from annotator import csvstream
from annotator.annotations.exports import JSONLD_CONTENT_TYPE
from annotator.jsonapi import api_view

from . import exports


def _download(request, chunks, content_type, extension):
    article = request.GET.get("article") or None
    exercise = request.GET.get("exercise") or None
    replies = exports.export_queryset(request.user, article=article, exercise=exercise)
    name = "-".join(filter(None, ["replies", article, exercise and f"exercise-{exercise}"]))
    return csvstream.attachment(chunks(replies), f"{name}.{extension}", content_type)


@never_cache
@api_view(["GET"])
def replies_csv(request):
    bom = csvstream.switch(request, "bom")
    return _download(request, lambda replies: exports.replies_csv(request.user, replies, bom=bom),
                     csvstream.CONTENT_TYPE, "csv")


@never_cache
@api_view(["GET"])
def replies_jsonld(request):
    return _download(request, lambda replies: exports.replies_jsonld(request.user, replies),
                     JSONLD_CONTENT_TYPE, "jsonld")
