"""What a person is called: an optional display name, kept in User.first_name.

User.first_name already exists, is empty for every account made before, and is exported by
nobody as an identifier, so no table or migration is needed; the username stays the stable
identifier in exports. Who sees a person's name at all is classroom.visibility.AuthorNames.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q

from annotator.errors import ServiceError

DISPLAY_NAME_MAX = 60


def shown_name(user):
    """The display name, or the username for someone who has not set one."""
    return user.first_name or user.get_username()


def clean_display_name(value, user=None):
    """`value` as it would be stored ("" to go back to the username), or ServiceError.

    No one may take a name another account goes by, username or display name, in any case:
    it would let one person pass for another on claim cards and replies."""
    name = " ".join((value or "").split())
    if not name:
        return ""
    if len(name) > DISPLAY_NAME_MAX:
        raise ServiceError(f"A display name is at most {DISPLAY_NAME_MAX} characters.", "display_name")
    taken = get_user_model().objects.filter(Q(username__iexact=name) | Q(first_name__iexact=name))
    if user is not None and user.pk is not None:
        taken = taken.exclude(pk=user.pk)
    if taken.exists():
        raise ServiceError("Someone else goes by that name; choose another.", "display_name")
    return name


def set_display_name(user, value):
    """Store `value` as `user`'s display name (blank: be known by the username again)."""
    user.first_name = clean_display_name(value, user)
    user.save(update_fields=["first_name"])
    return user
