"""JSON endpoints for replies; every rule lives in services (errors in the API's usual shape)."""

from django.http import HttpResponse, JsonResponse

from annotator.jsonapi import api_view, json_body, paged

from . import services


@api_view(["GET", "POST"])
def reply_collection(request, pk):
    """GET: the replies of claim `pk` the user may read, in thread order; POST: a new reply."""
    if request.method == "POST":
        reply = services.create_reply(request.user, pk, json_body(request))
        thread = services.get_thread(request.user, pk)
        return JsonResponse(services.reply_json(reply, thread), status=201)
    thread = services.get_thread(request.user, pk)
    thread.check_readable()
    replies = (
        services.visible_replies(request.user).filter(claim=thread.claim)
        .select_related("author", "to_article", "hidden_by").defer("to_article__body", "to_article__raw",
                                                                   "to_article__removed")
        .order_by("created", "id")
    )
    return paged(request, replies, lambda reply: services.reply_json(reply, thread))


@api_view(["GET", "PATCH", "DELETE"])
def reply_item(request, pk):
    if request.method == "DELETE":
        services.delete_reply(request.user, pk)
        return HttpResponse(status=204)
    if request.method == "PATCH":
        services.update_reply(request.user, pk, json_body(request))
    reply, thread = services.get_reply(request.user, pk)
    return JsonResponse(services.reply_json(reply, thread))


@api_view(["POST"])
def reply_flag(request, pk):
    services.flag_reply(request.user, pk)
    return JsonResponse({"flagged": int(pk)}, status=201)


# Moderation: GET shows the state to the class's teacher, PATCH changes it.


def _moderation_view(service):
    @api_view(["GET", "PATCH"])
    def view(request, pk):
        data = json_body(request) if request.method == "PATCH" else None
        return JsonResponse(service(request.user, pk, data))

    return view


claim_moderation = _moderation_view(services.claim_moderation)
reply_moderation = _moderation_view(services.reply_moderation)
exercise_discussion = _moderation_view(services.exercise_discussion)
