from django.shortcuts import get_object_or_404
from django.http import JsonResponse

from annotator.jsonapi import api_view, paged

from .models import Article


def article_json(article, with_body=False):
    data = {
        "slug": article.slug,
        "title": article.title,
        "source_file": article.source_file,
        "published": article.published.isoformat() if article.published else None,
        "byline": article.byline,
        "outlet": article.outlet,
        "url": article.url,
    }
    if with_body:
        data["body"] = article.body
    return data


@api_view(["GET"])
def article_list(request):
    return paged(request, Article.objects.listed().order_by("slug"), article_json)


@api_view(["GET"])
def article_detail(request, slug):
    article = get_object_or_404(Article, slug=slug)
    return JsonResponse(article_json(article, with_body=True))
