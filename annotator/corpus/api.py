from django.http import JsonResponse
from django.shortcuts import get_object_or_404

from annotator.errors import ServiceError
from annotator.jsonapi import api_view, json_body, paged
from annotator.validation import check_keys

from . import outlets, search
from .models import Article, Outlet


def article_json(article, with_body=False):
    data = {
        "slug": article.slug,
        "title": article.title,
        "source_file": article.source_file,
        "published": article.published.isoformat() if article.published else None,
        "byline": article.byline,
        "outlet": article.outlet,
        "url": article.url,
        "language": article.language,
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


def _int_param(request, name, default=None):
    """An integer query parameter; ServiceError naming the field when missing or not a number."""
    value = request.GET.get(name, "").strip()
    if not value:
        if default is None:
            raise ServiceError(f"{name} is required.", field=name)
        return default
    try:
        return int(value)
    except ValueError:
        raise ServiceError(f"{name} must be an integer, not {value[:40]!r}.", field=name) from None


@api_view(["GET"])
def related(request, slug):
    """Passages of other articles related to the claim body[start:end] of this article."""
    article = get_object_or_404(Article, slug=slug)
    start = _int_param(request, "start")
    end = _int_param(request, "end")
    limit = _int_param(request, "limit", default=10)
    return JsonResponse({"results": search.related_passages(article, start, end, limit=limit)})


@api_view(["GET"])
def passage_search(request):
    """Passages matching the words a reader typed, optionally leaving out one article."""
    query = request.GET.get("q", "")
    limit = _int_param(request, "limit", default=20)
    exclude = None
    exclude_slug = request.GET.get("exclude", "").strip()
    if exclude_slug:
        exclude = Article.objects.filter(slug=exclude_slug).first()
        if exclude is None:
            raise ServiceError(f"No article has the slug {exclude_slug[:120]!r}.", field="exclude")
    return JsonResponse({"results": search.search_passages(query, exclude_article=exclude, limit=limit)})


def outlet_json(outlet):
    return {"slug": outlet.slug, "name": outlet.name, "kind": outlet.kind, "owner": outlet.owner,
            "country": outlet.country, "notes": outlet.notes, "locked": outlet.locked,
            "modified": outlet.modified.isoformat()}


@api_view(["GET", "POST"])
def outlet_list(request):
    """Every profile; POST writes a new one (teachers)."""
    if request.method == "POST":
        outlets.require_teacher(request.user)
        outlet = outlets.create_outlet(request.user, json_body(request))
        return outlet_response(outlet, status=201)
    return paged(request, Outlet.objects.all(), outlet_json)


@api_view(["GET", "PATCH"])
def outlet_detail(request, slug):
    """One profile, with the slugs of the listed articles from that outlet; PATCH changes it."""
    if request.method == "PATCH":
        outlets.require_teacher(request.user)
        return outlet_response(outlets.update_outlet(request.user, slug, json_body(request)))
    return outlet_response(outlets.get_outlet(slug))


@api_view(["POST"])
def outlet_lock(request, slug):
    """{"locked": true} or {"locked": false}: staff only."""
    outlets.require_staff(request.user)
    data = json_body(request)
    check_keys(data, ("locked",), required=("locked",))
    return outlet_response(outlets.set_locked(request.user, slug, data["locked"]))


def outlet_response(outlet, status=200):
    articles = outlets.articles_by_outlet(outlet.name).values_list("slug", flat=True)
    return JsonResponse({**outlet_json(outlet), "articles": list(articles)}, status=status)
