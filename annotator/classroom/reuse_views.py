"""The htmx skin of classroom.reuse: copy an exercise, reuse a key, more time for one student,
and the preview of an exercise as its students see it.

A form's success opens the page it leads to (HX-Redirect, or a plain redirect without
script); a refusal is drawn into the form's error slot (a message on the dashboard without script).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from annotator.annotations.reader import Scope, reader_context
from annotator.htmx import shows_errors_in
from annotator.roles import teacher_required

from . import reuse, services
from .review_views import not_found
from .views import exercise_article_or_404, exercise_reader, taught_exercise


def _go(request, url, message):
    messages.success(request, message)
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


def back_to_dashboard(request, error, pk, **_):
    """Without script, a refused dashboard form: the dashboard again with the message (a 404 for a stranger)."""
    not_found(error)
    messages.error(request, error.message)
    return redirect("classroom:dashboard", pk)


def _dashboard(pk):
    return reverse("classroom:dashboard", args=[pk])


@require_POST
@login_required
@shows_errors_in("#copy-error", plain=back_to_dashboard)
def exercise_copy(request, pk):
    copy, key = reuse.copy_exercise(request.user, pk, {name: request.POST.get(name, "")
                                                       for name in ("classroom", "title")})
    return _go(request, _dashboard(copy.pk), f"Copied to {copy.classroom.name} as “{copy.title}”: {key.message()} "
                                              "Set its dates before students start.")


@require_POST
@login_required
@shows_errors_in("#reuse-key-error", plain=back_to_dashboard)
def key_reuse(request, pk):
    key = reuse.reuse_key(request.user, pk, {"from": request.POST.get("from", "")})
    return _go(request, _dashboard(pk), f"Key reused: {key.message()}")


@require_POST
@login_required
@shows_errors_in("#more-time-error", plain=back_to_dashboard)
def more_time(request, pk):
    """One form for any student of the class: the student is chosen in it."""
    student_id = request.POST.get("student", "")
    if request.POST.get("clear") == "1":
        reuse.take_back_time(request.user, pk, student_id)
        return _go(request, _dashboard(pk), "Back to the exercise's due date for this student.")
    extension = reuse.give_more_time(request.user, pk, student_id, {"due": request.POST.get("due", "")})
    return _go(request, _dashboard(pk), f"{extension.student.username} now has until "
                                        f"{extension.due:%d %b %Y, %H:%M}.")


@require_GET
@teacher_required
def preview(request, pk):
    """The exercise page a student opens, drawn for its teacher; nothing can be tagged or submitted."""
    exercise = taught_exercise(request, pk)
    articles = list(exercise.articles.all())
    for article in articles:
        article.my_claims = 0
    # The teacher has no work of a student's, so this is what a student who has just begun is told.
    missing, missing_message = services.links_missing(request.user, exercise)
    return render(request, "classroom/exercise_student.html", {
        "exercise": exercise, "submission": None, "articles": articles, "n_claims": 0, "linked": 0,
        "needs_links": missing, "needs_links_message": missing_message, "feedback_ready": False, "my_due": exercise.due,
        "preview": True,
    })


@require_GET
@teacher_required
def preview_article(request, pk, slug):
    exercise = taught_exercise(request, pk)
    article = exercise_article_or_404(exercise, slug)
    scope, here = Scope(exercise=exercise, locked=True), request.path
    if request.htmx:  # the filters redraw the reader; they keep asking here, not at the students' address
        return render(request, "annotations/_reader.html", {**reader_context(request, article, scope), "reader_url": here})
    return exercise_reader(request, article, scope, preview=True, reader_url=here)

