"""Printed handouts of an exercise, one per article, for students without devices: the article
with numbered paragraphs, the instructions, the label guide and space to write. The teacher's
version adds the key, numbered in the margin, with its explanations at the end. Print CSS only
(static/css/print.css): Chromium's "Print" makes the paper or the PDF."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from annotator.annotations.models import Anchor, Label
from annotator.annotations.printing import Mark, paragraphs
from annotator.roles import teacher_required

from .models import Exercise
from .views import taught_exercise


def _handouts(exercise, key):
    """[(article, paragraphs, marks)] for each of the exercise's articles; `key`: with the key's marks."""
    claims = {}
    if key:
        for claim in exercise.annotations.filter(is_key=True, anchor=Anchor.ANCHORED).order_by("start", "end", "id"):
            claims.setdefault(claim.article_id, []).append(claim)
    handouts = []
    for article in exercise.articles.order_by("title", "pk"):
        marks = []
        for number, claim in enumerate(claims.get(article.pk, []), start=1):
            mark = Mark(claim.start, claim.end, number, claim.label, claim.source)
            mark.claim = claim
            marks.append(mark)
        handouts.append({"article": article, "paragraphs": paragraphs(article.body, marks), "marks": marks})
    return handouts


def _render(request, exercise, key):
    labels = [(value, name) for value, name in Label.choices if value in exercise.labels]
    return render(request, "classroom/handout.html", {
        "exercise": exercise, "handouts": _handouts(exercise, key), "key": key, "labels": labels,
        "lines": range(8)})


@require_GET
@login_required
def handout(request, pk):
    """The students' handout: for the teacher and the students of the class."""
    exercise = (Exercise.objects.select_related("classroom").filter(pk=pk)
                .filter(classroom__teacher=request.user).first()
                or Exercise.objects.select_related("classroom")
                .filter(pk=pk, classroom__memberships__student=request.user).first())
    if exercise is None:
        raise Http404("No such exercise.")
    return _render(request, exercise, key=False)


@require_GET
@teacher_required
def key_handout(request, pk):
    """The teacher's version: the key in the margin and its explanations at the end."""
    return _render(request, taught_exercise(request, pk), key=True)
