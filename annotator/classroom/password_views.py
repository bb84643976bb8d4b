"""The class page's "Reset password" for a student (passwords.py)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from annotator.errors import ServiceError
from annotator.roles import teacher_required

from .models import Classroom
from .passwords import reset_student_password


@require_POST
@teacher_required
def reset_password(request, pk, student_id):
    back = reverse("classroom:class", args=[pk])
    # Whose class it is comes before whether the form was confirmed: another teacher learns nothing.
    get_object_or_404(Classroom, pk=pk, teacher=request.user)
    if request.POST.get("confirm") != "yes":
        messages.error(request, "Nothing changed: confirm to set a new password.")
        return redirect(back)
    try:
        student, password = reset_student_password(request.user, pk, student_id)
    except ServiceError as error:
        if error.status == 404:
            raise Http404(error.message) from None
        messages.error(request, error.message)
        return redirect(back)
    messages.success(request, f"New password for {student.username}: {password} — give it to them now; "
                              "it is not shown again. They can change it once signed in.")
    return redirect(back)
