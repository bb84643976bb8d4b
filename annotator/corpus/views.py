from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from .models import Article


@require_GET
def original(request, slug):
    article = get_object_or_404(Article, slug=slug)
    return render(request, "corpus/original.html", {"article": article})
