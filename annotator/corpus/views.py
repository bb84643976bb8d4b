from django.db.models import Count
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from annotator.annotations.access import visibility_q

from .models import Article


@require_GET
def home(request):
    # Counts only the claims this reader could open, so private work stays private.
    articles = Article.objects.listed().annotate(
        claim_count=Count("annotations", filter=visibility_q(request.user, "annotations__"))
    )
    return render(request, "corpus/home.html", {"articles": articles})


@require_GET
def original(request, slug):
    article = get_object_or_404(Article, slug=slug)
    return render(request, "corpus/original.html", {"article": article})
