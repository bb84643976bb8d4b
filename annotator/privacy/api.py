"""The JSON API of a person's data: GET /api/me/data/, POST /api/accounts/<id>/delete/."""

from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from annotator.errors import NotAuthenticated, ServiceError
from annotator.jsonapi import api_view, json_body

from . import deletion, mydata


@never_cache
@api_view(["GET"])
def my_data(request):
    if not request.user.is_authenticated:
        raise NotAuthenticated("Sign in to download your data.")
    return JsonResponse(mydata.collect(request.user), json_dumps_params={"ensure_ascii": False})


@api_view(["POST"])
def delete_account(request, pk):
    """{"confirm": the account's username} deletes it; answers what was removed and kept."""
    deletion.account_for(request.user, pk)  # a stranger's id answers 404 whatever was sent
    data = json_body(request)
    unknown = sorted(set(data) - {"confirm"})
    if unknown:
        raise ServiceError(f"Unknown field {unknown[0]!r}: send only \"confirm\".", unknown[0])
    if "confirm" not in data:
        raise ServiceError("Send \"confirm\" with the account's username to delete it.", "confirm")
    done = deletion.delete_account(request.user, pk, data["confirm"])
    return JsonResponse({"deleted": done.account.get_username(), "removed": done.removed, "kept": done.kept})
