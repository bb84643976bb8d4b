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
# name -> function(user) -> bool (see rows_decide)
_ROWS_ONLY = {}


def register_read_grant(name, grant, rows_only=None):
    """`grant(user, prefix)`: claims a signed-in `user` may read besides public and own ones.
    `rows_only(user)`: whether, for `user`, the grant reads nothing but the claim rows and
    tables that bump the claim stamps (stamps.py); without it, the reader never trusts them."""
    _GRANTS[name] = grant
    _ROWS_ONLY[("grant", name)] = rows_only


def register_read_limit(name, limit, rows_only=None):
    """`limit(user, prefix)`: claims `user` may still read; ANDed into the whole rule.
    `rows_only` as for a grant."""
    _LIMITS[name] = limit
    _ROWS_ONLY[("limit", name)] = rows_only


def rows_decide(user):
    """Whether which claims `user` reads follows from the claim rows alone (and the tables
    that bump their article's claim stamp), so that an unchanged stamp means an unchanged set.
    Not so for a student whose class, a due date or a reveal decides: their reader checks the
    claims themselves."""
    asked = [("limit", name) for name in _LIMITS]
    if user.is_authenticated:
        asked += [("grant", name) for name in _GRANTS]
    return all(_ROWS_ONLY[part] is not None and _ROWS_ONLY[part](user) for part in asked)


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
