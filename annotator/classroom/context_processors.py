from django.contrib.auth.models import AnonymousUser

from annotator.roles import is_teacher


def roles(request):
    # Error pages can be drawn for a request that failed before sign-in was read.
    return {"is_teacher": is_teacher(getattr(request, "user", AnonymousUser()))}
