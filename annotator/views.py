"""The site's own pages, above every app: the front page lists articles with what each reader can see of them."""

from django.db.models import Count
from django.shortcuts import render
from django.views.decorators.http import require_GET

from annotator.annotations.access import visibility_q
from annotator.corpus.models import Article


@require_GET
def home(request):
    # Counts only the claims this reader could open, so private work stays private.
    articles = Article.objects.listed().annotate(
        claim_count=Count("annotations", filter=visibility_q(request.user, "annotations__"))
    )
    return render(request, "home.html", {"articles": articles})
