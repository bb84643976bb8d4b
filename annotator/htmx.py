"""The small shared skin of the htmx views: a refused action answered where its form shows it.

The twin of jsonapi.api_view. A service raises an errors.ServiceError; the view names the
element of the page that shows the message (a form's error slot), and the answer is the
message drawn into it, with the error's status:

- 422 for a bad request (status 400): templates/base.html's htmx config swaps it like a
  success, so the form stays open and says why;
- the error's own status otherwise (403, 404, 409, 429): static/js/site.js swaps a 4xx
  answer that names its target (HX-Retarget) in the same way.

Nothing was written: the service checks everything first.
"""

import functools

from django.shortcuts import render
from django_htmx.http import reswap, retarget

from .errors import ServiceError

MESSAGE_TEMPLATE = "_form_error.html"


def status_of(error):
    """The status a refusal is answered with: 422 for a bad request, else the error's own."""
    return 422 if error.status == 400 else error.status


def refusal(request, error, target, swap="innerHTML", response=None):
    """The answer to an action refused with `error`: its message swapped into `target` (a CSS selector).

    `response`: the view's own drawing of the refusal (a whole panel carrying the message),
    swapped with `swap`; without it, the message alone.
    """
    if response is None:
        response = render(request, MESSAGE_TEMPLATE, {"error": error})
    response.status_code = status_of(error)
    if getattr(error, "retry_after", None):
        response["Retry-After"] = str(error.retry_after)
    return reswap(retarget(response, target), swap)


def shows_errors_in(target, swap="innerHTML", plain=None):
    """Decorate a view whose ServiceError is answered by refusal() into `target`.

    `target` is a CSS selector formatted with the view's URL arguments ("#edit-error-{pk}"),
    or a function of (request, **url arguments) for one that depends on what was posted.
    `plain(request, error, **url arguments)` answers a request made without htmx (a form
    posted by a browser without script: a redirect back with the message, say); without
    it, such a request gets the same answer as htmx does.
    """

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            try:
                return view(request, *args, **kwargs)
            except ServiceError as error:
                if plain is not None and not request.htmx:
                    return plain(request, error, **kwargs)
                where = target(request, **kwargs) if callable(target) else target.format(**kwargs)
                return refusal(request, error, where, swap)

        return wrapper

    return decorator
