"""The small shared skin of the JSON API: body parsing, the error shape, paging."""

import functools
import json

from django.core.exceptions import RequestDataTooBig
from django.http import Http404, JsonResponse

from .validation import as_text, is_encodable, shown
from .errors import ServiceError

PAGE_SIZE = 200
# 200 million items deep: past any real list, and an offset every database can take.
MAX_PAGE = 1_000_000


def error_response(message, status, field=None):
    payload = {"error": message}
    if field:
        payload["field"] = field
    return JsonResponse(payload, status=status)


def json_body(request):
    """The request's JSON object, or ServiceError with a message a person can act on.

    Every string in it, at any depth and keys included, is whole Unicode text without NUL,
    so no service, database or error message meets half a character.
    """
    raw = request.body
    if not raw:
        raise ServiceError("The request body is empty; send a JSON object.")
    try:
        data = json.loads(raw.decode("utf-8"))
    except RecursionError:
        raise ServiceError(TOO_DEEP) from None
    except ValueError as exc:  # bad UTF-8, bad JSON, or a number too long to convert
        raise ServiceError(f"The request body is not valid JSON: {exc}.") from None
    if not isinstance(data, dict):
        raise ServiceError("The request body must be a JSON object.")
    for key, value in data.items():
        _check_key(key)
        _check_value(value, key)
    return data


# Every endpoint reads one object of plain values; a little nesting still reaches the
# field's own check ("note must be a string"), deeper is refused before anything recurses.
MAX_DEPTH = 16
TOO_DEEP = f"The request body is nested too deeply (over {MAX_DEPTH} levels); send a flat JSON object."


def _check_key(key):
    if "\x00" in key or not is_encodable(key):
        raise ServiceError(f"The field name {shown(key)} contains NUL or half of a character; send whole characters.")


def _check_value(value, field):
    """Refuse NUL, half characters and deep nesting anywhere under `field`, without recursing."""
    pending = [(value, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, str):
            as_text(value, field)
        elif isinstance(value, (list, dict)):
            if depth >= MAX_DEPTH:
                raise ServiceError(TOO_DEEP, field)
            if isinstance(value, dict):
                for key in value:
                    _check_key(key)
                value = value.values()
            pending.extend((item, depth + 1) for item in value)


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
            refused = _nul_in_query(request)
            if refused:
                return refused
            try:
                return view(request, *args, **kwargs)
            except RequestDataTooBig:
                return error_response("The request body is over the upload limit.", 413)
            except ServiceError as exc:
                response = error_response(exc.message, exc.status, exc.field)
                if getattr(exc, "retry_after", None):
                    response["Retry-After"] = str(exc.retry_after)
                return response
            except Http404:
                return error_response("Not found.", 404)

        return wrapper

    return decorator


def _nul_in_query(request):
    """A 400 naming the parameter that carries NUL: PostgreSQL refuses it in text, and no
    slug, search or number contains one. (Half characters cannot arrive this way: Django
    decodes the query string with replacement characters.)"""
    for name, values in request.GET.lists():
        if "\x00" in name:
            return error_response("The query string must not contain NUL characters.", 400)
        if any("\x00" in value for value in values):
            return error_response(f"{name} must not contain NUL characters.", 400, name)
    return None


def paged(request, items, serialize):
    """{"results": [...], "next": URL or null}: `items` is a queryset or list, paged by ?page=."""
    number = request.GET.get("page", "1").strip()
    # Checked as text first: int() would take a 4,000-digit page that no database can offset by.
    page = int(number) if number.isascii() and number.isdigit() and len(number) <= len(str(MAX_PAGE)) else 0
    if not 1 <= page <= MAX_PAGE:
        raise ServiceError(f"page must be a whole number from 1 to {MAX_PAGE:,}, not {shown(number)}.", field="page")
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
