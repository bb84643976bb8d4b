"""The teacher's marks on students' links (link_review.py), from the dashboard."""

from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from annotator.htmx import shows_errors_in
from annotator.roles import teacher_required

from . import grading, link_review


@require_POST
@teacher_required
@shows_errors_in("#student-link-error-{link_id}")
def review(request, pk, link_id):
    """Mark a student's link sound or not; the link's row is drawn again (without htmx: back to it)."""
    link = link_review.review_link(request.user, pk, link_id, request.POST.get("verdict", ""))
    if not request.htmx:
        return redirect(reverse("classroom:dashboard", args=[pk]) + f"#student-link-{link.pk}")
    student = link.source_annotation.author
    work = grading.exercise_work(link.source_annotation.exercise, student)
    row = next(r for r in work.links_of(student.pk) if r.link.pk == link.pk)
    return render(request, "classroom/_student_link.html", {"row": row, "exercise": work.exercise, "teaching": True})
