"""JSON endpoints for suggestions; every rule lives in services."""

from django.http import JsonResponse

from annotator.errors import NotFound
from annotator.corpus.models import Article
from annotator.jsonapi import api_view, json_body

from . import services


def _article(slug):
    try:
        return Article.objects.defer("raw", "removed").get(slug=slug)
    except Article.DoesNotExist:
        raise NotFound(f"No article with slug '{slug}'.", "article") from None


@api_view(["GET"])
def suggestion_list(request, slug):
    suggestions = services.suggestions_for(request.user, _article(slug))
    return JsonResponse({"results": [services.suggestion_json(s) for s in suggestions]})


@api_view(["POST"])
def suggestion_dismiss(request, slug):
    dismissal, created = services.dismiss(request.user, _article(slug), json_body(request))
    body = {"start": dismissal.start, "end": dismissal.end, "label": dismissal.label, "dismissed": True}
    return JsonResponse(body, status=201 if created else 200)
