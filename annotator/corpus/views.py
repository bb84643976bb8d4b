from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from .models import Article


@require_GET
def home(request):
    articles = Article.objects.listed()
    return render(request, "corpus/home.html", {"articles": articles})


@require_GET
def article(request, slug):
    article = get_object_or_404(Article, slug=slug)
    return render(request, "corpus/article.html", {"article": article})


@require_GET
def original(request, slug):
    article = get_object_or_404(Article, slug=slug)
    return render(request, "corpus/original.html", {"article": article})
