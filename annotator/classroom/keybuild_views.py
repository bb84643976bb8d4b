"""The htmx skin of classroom.keybuild: the class's suggestions accepted into the key, a student's claim promoted."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from annotator.htmx import shows_errors_in

from . import keybuild, review, review_views
from .reuse_views import back_to_dashboard

SPAN_FIELDS = ("article", "start", "end", "exact", "label", "explanation")


def _dashboard(pk):
    return reverse("classroom:dashboard", args=[pk])


def _added(request, claim, where):
    if not request.htmx:
        messages.success(request, "Added to the key.")
        return redirect(where)
    return render(request, "classroom/_added_to_key.html", {"claim": claim})


def _error_slot(request, pk):
    return f"#suggestion-error-{request.POST.get('slot', '') if request.POST.get('slot', '').isdigit() else 0}"


@require_POST
@login_required
@shows_errors_in(_error_slot, plain=back_to_dashboard)
def accept_suggestion(request, pk):
    data = {name: request.POST[name] for name in SPAN_FIELDS if name in request.POST}
    claim = keybuild.accept_suggestion(request.user, pk, data)
    return _added(request, claim, _dashboard(pk))


@require_POST
@login_required
@shows_errors_in("#promote-error-{pk}", plain=review_views.back_from_claim)
def promote(request, pk):
    claim = keybuild.promote_claim(request.user, pk, {"explanation": request.POST.get("explanation", "")})
    return _added(request, claim, review_views.feedback_of(review.student_claim(request.user, pk)))
