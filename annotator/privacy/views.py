"""The "My data" page, its downloads and the display name set there, and the page that deletes an account after a confirmation."""

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from annotator import people
from annotator.errors import NotFound, ServiceError

from . import deletion, mydata


def _filename(user, extension):
    return f"annotator-data-{user.get_username()}.{extension}"


def _download(content, content_type, filename):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@login_required
def my_data(request):
    return _my_data_page(request)


def _my_data_page(request, name_error=None, typed_name=None):
    data = mydata.collect(request.user)
    sections = [(name.replace("_", " "), len(data[name])) for name in mydata.SECTIONS]
    return render(request, "privacy/my_data.html", {
        "sections": sections, "profile": data["profile"], "name_error": name_error,
        "typed_name": request.user.first_name if typed_name is None else typed_name,
        "name_max": people.DISPLAY_NAME_MAX,
    })


@require_POST
@login_required
def display_name(request):
    typed = request.POST.get("display_name", "")
    try:
        people.set_display_name(request.user, typed)
    except ServiceError as exc:
        return _my_data_page(request, exc.message, typed)
    messages.success(request, "Your display name is saved." if request.user.first_name
                     else "You are known by your username again.")
    return redirect(reverse("privacy:my_data") + "#name-heading")


@never_cache
@require_GET
@login_required
def download_json(request):
    body = json.dumps(mydata.collect(request.user), ensure_ascii=False, indent=2)
    return _download(body, "application/json; charset=utf-8", _filename(request.user, "json"))


@never_cache
@require_GET
@login_required
def download_zip(request):
    return _download(mydata.csv_bundle(mydata.collect(request.user)), "application/zip",
                     _filename(request.user, "zip"))


@require_http_methods(["GET", "POST"])
@login_required
def delete_account(request, pk):
    try:
        account = deletion.account_for(request.user, pk)
    except NotFound as exc:
        raise Http404(exc.message) from None
    error = None
    if request.method == "POST":
        yourself = account.pk == request.user.pk
        name = account.get_username()
        try:
            deletion.delete_account(request.user, pk, request.POST.get("confirm", ""))
        except ServiceError as exc:
            error = exc
        else:
            if yourself:
                logout(request)
                messages.success(request, "Your account and everything you wrote are deleted.")
                return redirect("home")
            messages.success(request, f"The account {name} and everything it wrote are deleted.")
            return redirect("classroom:classes")
    return render(request, "privacy/delete_account.html", {
        "account": account, "plan": deletion.plan(account), "yourself": account.pk == request.user.pk,
        "error": error}, status=error.status if error else 200)
