"""The small shared skin of the JSON API: body parsing, the error shape, paging."""

import functools
import json

from django.core.exceptions import RequestDataTooBig
from django.http import Http404, JsonResponse

from .errors import ServiceError

PAGE_SIZE = 200


def error_response(message, status, field=None):
    payload = {"error": message}
    if field:
        payload["field"] = field
    return JsonResponse(payload, status=status)


def json_body(request):
    """The request's JSON object, or ServiceError with a message a person can act on."""
    raw = request.body
    if not raw:
        raise ServiceError("The request body is empty; send a JSON object.")
    try:
        data = json.loads(raw.decode("utf-8"))
    except ValueError as exc:  # bad UTF-8, bad JSON, or a number too long to convert
        raise ServiceError(f"The request body is not valid JSON: {exc}.") from None
    if not isinstance(data, dict):
        raise ServiceError("The request body must be a JSON object.")
    return data


def api_view(methods):
    """Restrict a JSON view to `methods` and turn service errors into the API's error shape.

    Writes need a signed-in user (401 otherwise); CSRF is checked by Django's middleware
    as for every form, and its failure view answers JSON for /api/ paths.
    """

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method not in methods:
                response = error_response(f"Method {request.method} is not allowed here.", 405)
                response["Allow"] = ", ".join(methods)
                return response
            if request.method != "GET" and not request.user.is_authenticated:
                return error_response("Sign in to change annotations.", 401)
            try:
                return view(request, *args, **kwargs)
            except RequestDataTooBig:
                return error_response("The request body is over the upload limit.", 413)
            except ServiceError as exc:
                return error_response(exc.message, exc.status, exc.field)
            except Http404:
                return error_response("Not found.", 404)

        return wrapper

    return decorator


def paged(request, items, serialize):
    """{"results": [...], "next": URL or null}: `items` is a queryset or list, paged by ?page=."""
    try:
        page = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        raise ServiceError("page must be a positive integer.", field="page") from None
    begin = (page - 1) * PAGE_SIZE
    chunk = list(items[begin : begin + PAGE_SIZE + 1])
    next_url = None
    if len(chunk) > PAGE_SIZE:
        query = request.GET.copy()
        query["page"] = str(page + 1)
        next_url = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
    return JsonResponse({"results": [serialize(item) for item in chunk[:PAGE_SIZE]], "next": next_url})


def csrf_failure(request, reason=""):
    """Answer a failed CSRF check in the API's shape on /api/, with Django's page elsewhere."""
    if request.path.startswith("/api/"):
        return error_response("CSRF check failed: send the csrftoken cookie's value in X-CSRFToken.", 403)
    from django.views.csrf import csrf_failure as default_failure

    return default_failure(request, reason)


def _page_or_json(status, message, template):
    from django.views import defaults

    def view(request, exception=None):
        if request.path.startswith("/api/"):
            return error_response(message, status)
        if status == 500:
            return defaults.server_error(request)
        page = defaults.page_not_found if status == 404 else defaults.permission_denied
        return page(request, exception, template_name=template)

    return view


def bad_request(request, exception=None):
    """A request Django could not read, before any view saw it.

    Mostly a form over the upload limit in a browser: the CSRF check reads the body first,
    so the view's own, more specific answer never runs.
    """
    from django.conf import settings
    from django.shortcuts import render
    from django.template.defaultfilters import filesizeformat

    if isinstance(exception, RequestDataTooBig):
        limit = filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        status, message = 413, f"What you sent is over the {limit} a request can carry; nothing was saved."
    else:
        status, message = 400, "The request could not be read; nothing was saved."
    if request.path.startswith("/api/"):
        return error_response(message, status)
    return render(request, "400.html", {"message": message, "too_big": status == 413}, status=status)


# The site's error handlers: JSON for the API, friendly pages elsewhere.
not_found = _page_or_json(404, "Not found.", "404.html")
permission_denied = _page_or_json(403, "You do not have access to this.", "403.html")
server_error = _page_or_json(500, "Something went wrong on the server; nothing was written.", "500.html")
