"""Outlet profiles and the articles of one outlet or one byline: plain pages and forms."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from annotator import csvstream
from annotator.errors import ServiceError
from annotator.htmx import status_of
from annotator.roles import is_teacher, teacher_required

from . import outlets
from .models import OutletKind, one_line


@require_GET
def outlet_page(request, slug):
    outlet = _outlet_or_404(slug)
    return render(request, "corpus/outlet.html", {
        "outlet": outlet, "articles": outlets.articles_by_outlet(outlet.name),
        "can_edit": is_teacher(request.user) and (not outlet.locked or request.user.is_staff),
    })


@require_GET
def outlet_find(request):
    """An article's outlet name → its profile; without one, its articles and (for teachers) a form."""
    name = one_line(request.GET.get("name", ""))[:200]
    outlet = outlets.Outlet.objects.filter(name__iexact=name).first() if name else None
    if outlet is not None:
        return redirect(outlet)
    return render(request, "corpus/outlet_form.html", _form_context(request, None, {"name": name}), status=404)


@require_http_methods(["GET", "POST"])
@teacher_required
def outlet_edit(request, slug=None):
    outlet = _outlet_or_404(slug) if slug else None
    if request.method == "GET":
        return render(request, "corpus/outlet_form.html", _form_context(request, outlet, None))
    try:
        fields = {name: request.POST[name] for name in ("name", *outlets.PROFILE_LIMITS) if name in request.POST}
        if slug:
            outlet = outlets.update_outlet(request.user, slug, fields)
        else:
            outlet = outlets.create_outlet(request.user, fields)
    except ServiceError as error:
        context = _form_context(request, outlet, request.POST, error)
        return render(request, "corpus/outlet_form.html", context, status=status_of(error))
    return redirect(outlet)


@require_POST
@teacher_required
def outlet_lock(request, slug):
    try:
        outlet = outlets.set_locked(request.user, slug, request.POST.get("locked") == "1")
    except ServiceError as error:
        if error.status == 404:
            raise Http404(error.message) from None
        raise PermissionDenied(error.message) from None
    return redirect(outlet)


@require_GET
def outlets_download(request):
    """The outlets CSV (docs/export.md): profiles are public, as their pages are."""
    return csvstream.attachment(outlets.outlets_csv(bom=csvstream.switch(request, "bom")), "outlets.csv")


@require_GET
def byline_page(request):
    byline = one_line(request.GET.get("name", ""))[:300]
    return render(request, "corpus/byline.html", {"byline": byline, "articles": outlets.articles_by_byline(byline)})


def _form_context(request, outlet, values, error=None):
    if values is None and outlet is not None:
        values = {f: getattr(outlet, f) for f in ("name", "kind", "owner", "country", "notes")}
    values = values or {}
    articles = outlets.articles_by_outlet(outlet.name if outlet else values.get("name", ""))
    return {"outlet": outlet, "values": values, "error": error, "kinds": OutletKind.choices,
            "can_edit": is_teacher(request.user) and not (outlet and outlet.locked and not request.user.is_staff),
            "articles": articles}


def _outlet_or_404(slug):
    try:
        return outlets.get_outlet(slug)
    except ServiceError as error:
        raise Http404(error.message) from None
