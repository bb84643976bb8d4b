"""The htmx skin of classroom.review: a teacher's private comments and score overrides.

Without htmx (a browser without script) each form answers with a redirect to the
student's feedback page, carrying the refusal as a message.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from annotator.errors import NotFound
from annotator.htmx import shows_errors_in

from . import grading, review


def _feedback_url(exercise_id, student_id):
    return f"{reverse('classroom:feedback', args=[exercise_id])}?student={student_id}"


def not_found(error):
    # Without htmx, an id that is not the teacher's gets the site's 404 page, never a redirect.
    if isinstance(error, NotFound):
        raise Http404(error.message)


def feedback_of(claim):
    """The teacher's feedback page of the student whose claim this is."""
    return _feedback_url(claim.exercise_id, claim.author_id)


def back_from_claim(request, error, pk):
    not_found(error)
    messages.error(request, error.message)
    return redirect(feedback_of(review.student_claim(request.user, pk)))


def _back_from_score(request, error, pk, student_id):
    not_found(error)
    messages.error(request, error.message)
    return redirect(_feedback_url(pk, student_id))


def render_comments(request, claim, comments):
    return render(request, "classroom/_comments.html", {"claim": claim, "comments": comments, "teaching": True})


@require_POST
@login_required
@shows_errors_in("#comment-error-{pk}", plain=back_from_claim)
def comment_create(request, pk):
    comment = review.add_comment(request.user, pk, {"text": request.POST.get("text", "")})
    if not request.htmx:
        messages.success(request, "Comment saved: only this student and you see it.")
        return redirect(feedback_of(comment.claim))
    claim, comments = review.comments_on(request.user, pk)
    return render_comments(request, claim, comments)


@require_POST
@login_required
def comment_delete(request, pk):
    try:
        claim_id = review.delete_comment(request.user, pk)
    except NotFound:
        raise Http404("No such comment.") from None
    claim, comments = review.comments_on(request.user, claim_id)
    if not request.htmx:
        messages.success(request, "Comment deleted.")
        return redirect(feedback_of(claim))
    return render_comments(request, claim, comments)


def render_override(request, exercise, student):
    feedback = grading.exercise_work(exercise, student).feedback(student.pk)
    return render(request, "classroom/_override.html", {
        "exercise": exercise, "student": student, "feedback": feedback,
        "override": review.override_of(exercise, student.pk), "teaching": True})


@require_POST
@login_required
@shows_errors_in("#override-error-{student_id}", plain=_back_from_score)
def score_override(request, pk, student_id):
    data = {name: request.POST[name] for name in ("score", "reason", "version") if name in request.POST}
    if request.POST.get("clear") == "1":
        review.clear_override(request.user, pk, student_id)
    else:
        review.set_override(request.user, pk, student_id, data)
    if not request.htmx:
        messages.success(request, "Score saved.")
        return redirect(_feedback_url(pk, student_id))
    exercise = review.taught_exercise(request.user, pk)
    return render_override(request, exercise, review.student_of(exercise, student_id))
