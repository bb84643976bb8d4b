from django.utils.functional import SimpleLazyObject

from . import services


def activity(request):
    """`unread_replies`: the count the site header shows beside "What's new" (one query, when shown)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_replies": SimpleLazyObject(lambda: services.unread_count(user))}
