"""Outlet profiles: who is behind an article, written by teachers, lockable by staff.

One function per action, called by the pages (outlet_views.py). An article's outlet is the
profile whose name equals its `outlet` text, ignoring case; nothing is stored on the article.
"""

from django.db import transaction
from django.utils.text import slugify

from annotator.errors import Forbidden, NotAuthenticated, NotFound, ServiceError
from annotator.roles import is_teacher
from annotator.validation import as_choice, as_text

from .models import Article, Outlet, OutletKind

PROFILE_FIELDS = (("owner", 300), ("country", 100), ("notes", 5000))


def outlet_for(article):
    """The profile of the article's outlet, or None when it has no outlet or no profile yet."""
    name = " ".join((article.outlet or "").split())
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
    name = " ".join((name or "").split())
    if not name:
        return Article.objects.none()
    return Article.objects.listed().filter(**{f"{field}__iexact": name}).defer("body", "raw", "removed")


def save_outlet(user, data, slug=None):
    """Create a profile (slug None) or change one; a locked profile only staff may change."""
    _require_teacher(user)
    fields = {"kind": as_choice(data.get("kind"), "kind", OutletKind)}
    for field, limit in PROFILE_FIELDS:
        fields[field] = as_text(data.get(field, ""), field, max_length=limit).strip()
    with transaction.atomic():
        if slug is None:
            name = " ".join(as_text(data.get("name"), "name", max_length=200).split())
            if not name:
                raise ServiceError("Give the outlet's name as articles write it.", "name")
            if Outlet.objects.filter(name__iexact=name).exists():
                raise ServiceError(f"{name} already has a profile.", "name")
            slug, base, number = slugify(name)[:120] or "outlet", slugify(name)[:110] or "outlet", 2
            while Outlet.objects.filter(slug=slug).exists():
                slug, number = f"{base}-{number}", number + 1
            return Outlet.objects.create(name=name, slug=slug, **fields)
        outlet = Outlet.objects.select_for_update().filter(slug=slug).first()
        if outlet is None:
            raise NotFound(f"There is no outlet {slug!r}.", "outlet")
        if outlet.locked and not user.is_staff:
            raise Forbidden("Staff have locked this profile; ask them to change it.", "locked")
        for field, value in fields.items():
            setattr(outlet, field, value)
        outlet.save()
        return outlet


def set_locked(user, slug, locked):
    if not user.is_authenticated:
        raise NotAuthenticated("Sign in to lock a profile.")
    if not user.is_staff:
        raise Forbidden("Only staff can lock or unlock a profile.")
    with transaction.atomic():
        outlet = Outlet.objects.select_for_update().filter(slug=slug).first()
        if outlet is None:
            raise NotFound(f"There is no outlet {slug!r}.", "outlet")
        outlet.locked = bool(locked)
        outlet.save(update_fields=["locked", "modified"])
    return outlet


def _require_teacher(user):
    if not user.is_authenticated:
        raise NotAuthenticated("Sign in to write outlet profiles.")
    if not is_teacher(user):
        raise Forbidden("Only teachers write outlet profiles.")
