"""The teacher's end-of-term switch on the class page (see retention.py)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from annotator.errors import ServiceError
from annotator.roles import teacher_required

from . import retention
from .views import taught_classroom


@require_POST
@teacher_required
def archive(request, pk):
    """Archive the class (`archived=1`) or bring it back (`archived=0`) before its work is purged."""
    classroom = taught_classroom(request, pk)
    wanted = request.POST.get("archived")
    if wanted not in ("0", "1"):
        messages.error(request, "Choose to archive the class or to bring it back.")
        return redirect(classroom)
    try:
        if wanted == "1":
            retention.archive(classroom)
            messages.success(request, f"{classroom.name} is archived. Its students' work will be deleted on "
                             f"{classroom.purge_due:%-d %B %Y}.")
        else:
            retention.unarchive(classroom)
            messages.success(request, f"{classroom.name} is active again; nothing will be deleted.")
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect(classroom)
