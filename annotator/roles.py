"""Who is a teacher. A teacher is staff or a member of the "teachers" group, which an admin
or `manage.py load_demo` grants; students are everyone else who signs in."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

TEACHERS_GROUP = "teachers"


def is_teacher(user):
    if not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    # Cached on the user object: templates and views ask more than once per request.
    if not hasattr(user, "_is_teacher"):
        user._is_teacher = user.groups.filter(name=TEACHERS_GROUP).exists()
    return user._is_teacher


def teacher_required(view):
    """Sign-in first (redirect), then 403 for a signed-in user who is not a teacher."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not is_teacher(request.user):
            raise PermissionDenied("Only teachers can do this.")
        return view(request, *args, **kwargs)

    return wrapper
