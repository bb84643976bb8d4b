"""The site's own pages, above every app: the front page lists articles with what each reader can see of them."""

from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import render
from django.views.decorators.http import require_GET

from annotator.annotations.access import visibility_q
from annotator.corpus.models import Article, search_words


ARTICLES_PAGE = 50


@require_GET
def home(request):
    """The listed articles, newest first, a page at a time, optionally those whose title,
    outlet or byline holds ?q=: a district's archive runs to a hundred thousand."""
    query = search_words(request.GET.get("q", ""))
    listed = Article.objects.listed().newest_first()
    if query:
        listed = listed.matching(query)
    page = Paginator(listed.defer("raw"), ARTICLES_PAGE).get_page(request.GET.get("page"))
    # Counted for this page's articles only, and only the claims this reader could open, so
    # private work stays private.
    counts = dict(
        Article.objects.filter(pk__in=[a.pk for a in page.object_list])
        .annotate(n=Count("annotations", filter=visibility_q(request.user, "annotations__")))
        .values_list("pk", "n")
    )
    for article in page.object_list:
        article.claim_count = counts.get(article.pk, 0)
    return render(request, "home.html", {"page": page, "articles": page.object_list, "query": query})
