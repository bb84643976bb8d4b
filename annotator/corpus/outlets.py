"""Outlet profiles: who is behind an article, written by teachers, lockable by staff.

One function per action, called by the pages (outlet_views.py) and the JSON API (api.py). An article's outlet is the
profile whose name equals its `outlet` text, ignoring case; nothing is stored on the article.
"""

from datetime import UTC

from django.db import IntegrityError, transaction
from django.db.models import Value
from django.db.models.functions import Lower
from django.utils.text import slugify

from annotator import csvstream
from annotator.csvstream import escape_cell
from annotator.errors import (
    Conflict,
    Duplicate,
    Forbidden,
    NotAuthenticated,
    NotFound,
    ServiceError,
)
from annotator.roles import is_teacher
from annotator.validation import as_choice, as_text, check_keys, shown

from .models import Article, Outlet, OutletKind, one_line

# The fields a teacher writes, with their length limits (kind is a choice).
PROFILE_LIMITS = {"kind": None, "owner": 300, "country": 100, "notes": 5000}
OUTLET_COLUMNS = ("slug", "name", "kind", "owner", "country", "notes", "locked", "articles", "modified")


def outlet_for(article):
    """The profile of the article's outlet, or None when it has no outlet or no profile yet."""
    name = one_line(article.outlet)
    return Outlet.objects.filter(name__iexact=name).first() if name else None


def get_outlet(slug):
    try:
        return Outlet.objects.get(slug=slug)
    except Outlet.DoesNotExist:
        raise NotFound(f"There is no outlet {slug!r}.", "outlet") from None


def articles_by_outlet(name):
    """The listed articles whose outlet is written `name` (ignoring case)."""
    return _articles_where("outlet", name)


def articles_by_byline(name):
    return _articles_where("byline", name)


def _articles_where(field, name):
    name = one_line(name)
    if not name:
        return Article.objects.none()
    return Article.objects.listed().filter(**{f"{field}__iexact": name}).defer("body", "raw", "removed")


def outlets_csv(bom=False):
    """Every profile in name order, with the number of listed articles from that outlet.

    Counted as the outlet page counts them (one query a profile: profiles are written by hand,
    so there are few).
    """
    rows = ([escape_cell(outlet.slug), escape_cell(outlet.name), outlet.kind, escape_cell(outlet.owner),
             escape_cell(outlet.country), escape_cell(outlet.notes), int(outlet.locked),
             articles_by_outlet(outlet.name).count(),
             outlet.modified.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")]
            for outlet in Outlet.objects.order_by("name", "pk"))
    return csvstream.chunks(OUTLET_COLUMNS, rows, bom)


def create_outlet(user, data):
    """A new profile for the outlet articles write as `data["name"]`."""
    require_teacher(user)
    check_keys(data, ("name", "kind", *PROFILE_LIMITS), required=("name", "kind"))
    name = one_line(as_text(data["name"], "name", max_length=200))
    if not name:
        raise ServiceError("Give the outlet's name as articles write it.", "name")
    fields = _profile_fields(data)
    with transaction.atomic():
        _refuse_taken(name)
        base = slugify(name)[:110] or "outlet"
        slug, number = base, 2
        while Outlet.objects.filter(slug=slug).exists():
            slug, number = f"{base}-{number}", number + 1
        try:
            with transaction.atomic():
                return Outlet.objects.create(name=name, slug=slug, **fields)
        except IntegrityError:  # the same name or slug, written by someone else since the checks
            _refuse_taken(name)
            raise Conflict("Another profile was saved at the same moment; save this one again.", "name") from None


def _refuse_taken(name):
    """Refuse a name another profile has in other letter case, compared as the database's
    unique constraint compares them (Outlet.Meta), so that a write it refuses gets this answer."""
    existing = Outlet.objects.alias(key=Lower("name")).filter(key=Lower(Value(name))).first()
    if existing is not None:
        raise Duplicate(f"{existing.name} already has a profile.", "name", existing)


def update_outlet(user, slug, data):
    """Change the fields of `data` (the others stay); a locked profile only staff may change.

    The name is what articles are matched by, so it is not changed here (the admin can).
    """
    require_teacher(user)
    check_keys(data, tuple(PROFILE_LIMITS))
    if not data:
        raise ServiceError(f"Nothing to change: send any of {', '.join(PROFILE_LIMITS)}.")
    fields = _profile_fields(data)
    with transaction.atomic():
        outlet = Outlet.objects.select_for_update().filter(slug=slug).first()
        if outlet is None:
            raise NotFound(f"There is no outlet {slug!r}.", "outlet")
        if outlet.locked and not user.is_staff:
            raise Forbidden(f"Staff have locked the profile of {outlet.name}; ask them to change it.", "locked")
        for field, value in fields.items():
            setattr(outlet, field, value)
        outlet.save()
        return outlet


def _profile_fields(data):
    """The profile fields present in `data`, checked: kind a choice, the rest text within limits."""
    fields = {}
    if "kind" in data:
        if data["kind"] == "":
            raise ServiceError("Choose what the outlet is: a wire service, a newspaper…", "kind")
        fields["kind"] = as_choice(data["kind"], "kind", OutletKind)
    for field, limit in PROFILE_LIMITS.items():
        if field != "kind" and field in data:
            fields[field] = as_text(data[field], field, max_length=limit).strip()
    return fields


def set_locked(user, slug, locked):
    """Lock (only staff may then change the profile) or unlock it; `locked` is a boolean."""
    require_staff(user)
    if not isinstance(locked, bool):
        raise ServiceError(f"locked must be true or false, not {shown(locked)}.", "locked")
    with transaction.atomic():
        outlet = Outlet.objects.select_for_update().filter(slug=slug).first()
        if outlet is None:
            raise NotFound(f"There is no outlet {slug!r}.", "outlet")
        outlet.locked = locked
        outlet.save(update_fields=["locked", "modified"])
    return outlet


def require_staff(user):
    if not user.is_authenticated:
        raise NotAuthenticated("Sign in to lock a profile.")
    if not user.is_staff:
        raise Forbidden("Only staff can lock or unlock a profile.", "locked")


def require_teacher(user):
    """Refuse anyone but a teacher (signed out: 401), before a request body is even read."""
    if not user.is_authenticated:
        raise NotAuthenticated("Sign in to write outlet profiles.")
    if not is_teacher(user):
        raise Forbidden("Only teachers write outlet profiles.")
