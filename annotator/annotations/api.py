"""JSON endpoints for annotations and links; every rule lives in services."""

from django.http import HttpResponse, JsonResponse

from annotator.classroom.visibility import AuthorNames
from annotator.jsonapi import api_view, json_body, paged

from . import services


@api_view(["GET", "POST"])
def annotation_collection(request):
    if request.method == "POST":
        data = json_body(request)
        annotation = services.create_annotation(request.user, data.pop("article", None), data)
        return JsonResponse(services.annotation_json(annotation, AuthorNames(request.user)), status=201)
    annotations = services.visible_annotations(request.user, article=request.GET.get("article") or None)
    names = AuthorNames(request.user)
    return paged(request, annotations, lambda annotation: services.annotation_json(annotation, names))


@api_view(["GET", "PATCH", "DELETE"])
def annotation_item(request, pk):
    if request.method == "DELETE":
        services.delete_annotation(request.user, pk)
        return HttpResponse(status=204)
    if request.method == "PATCH":
        services.update_annotation(request.user, pk, json_body(request))
    annotation = services.get_annotation(request.user, pk)
    return JsonResponse(services.annotation_json(annotation, AuthorNames(request.user)))


@api_view(["POST"])
def link_collection(request):
    link = services.create_link(request.user, json_body(request))
    return JsonResponse(services.link_json(link, AuthorNames(request.user)), status=201)


@api_view(["DELETE"])
def link_item(request, pk):
    services.delete_link(request.user, pk)
    return HttpResponse(status=204)
