"""Who may read which claims: one rule, as a database filter.

The annotations app knows two things of its own: public claims made outside exercises are
for everyone, anonymous readers included, and a user's own claims are theirs. The apps
built on it widen and narrow that rule: classroom adds what a class shares (class
visibility, exercise work, revealed keys), discussion takes away claims a teacher hid.
Each registers its part in its AppConfig.ready, so this app never imports them. Every
list, detail, link lookup and export filters with `visibility_q`.
"""

from django.db.models import Q

from .models import Visibility

# name -> function(user, prefix) -> Q. Grants are asked only for signed-in users.
_GRANTS = {}
_LIMITS = {}


def register_read_grant(name, grant):
    """`grant(user, prefix)`: claims a signed-in `user` may read besides public and own ones."""
    _GRANTS[name] = grant


def register_read_limit(name, limit):
    """`limit(user, prefix)`: claims `user` may still read; ANDed into the whole rule."""
    _LIMITS[name] = limit


def visibility_q(user, prefix=""):
    """The claims `user` may read, as a filter (`prefix` reaches them through a relation)."""
    readable = Q(**{f"{prefix}visibility": Visibility.PUBLIC, f"{prefix}exercise__isnull": True})
    if user.is_authenticated:
        readable |= Q(**{f"{prefix}author": user})
        for grant in _GRANTS.values():
            readable |= grant(user, prefix)
    for limit in _LIMITS.values():
        readable &= limit(user, prefix)
    return readable
