"""The annotated print of an article: its text with numbered paragraphs, and the reader's own
claims (outside exercises) as numbered margin notes, for Chromium's "Print" (static/css/print.css)."""

from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from annotator.corpus.models import Article

from .models import Annotation
from .printing import Mark, paragraphs


@require_GET
def article_print(request, slug):
    article = get_object_or_404(Article.objects.listed(), slug=slug)
    claims = []
    if request.user.is_authenticated:
        claims = list(Annotation.objects.filter(article=article, author=request.user, exercise__isnull=True,
                                                anchor="anchored").order_by("start", "end", "id"))
    marks = [Mark(c.start, c.end, n, c.label, c.note) for n, c in enumerate(claims, start=1)]
    for mark, claim in zip(marks, claims):
        mark.claim = claim
    return render(request, "annotations/print.html", {
        "article": article, "paragraphs": paragraphs(article.body, marks), "marks": marks})
