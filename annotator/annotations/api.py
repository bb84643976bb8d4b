"""JSON endpoints for annotations and links; every rule lives in services.

A claim's ETag is its version ("3"). PATCH and DELETE made with `If-Match: "3"` are refused
with 412 when the claim has changed since; a PATCH body's "version" field does the same
with 409. Either way the error carries the claim as it is now, under "current".
"""

import re

from django.http import HttpResponse, JsonResponse

from annotator.errors import ServiceError, StaleVersion
from annotator.jsonapi import api_view, json_body, paged

from . import services, sources
from .contexts import exercise_rules
from .models import Source
from .validation import as_integer

# The one form of entity tag this API sends; If-Match must name one of them (or be *).
ENTITY_TAG = re.compile(r'"([0-9]{1,18})"')


@api_view(["GET", "POST"])
def annotation_collection(request):
    if request.method == "POST":
        data = json_body(request)
        annotation = services.create_annotation(request.user, data.pop("article", None), data)
        return claim_response(annotation, exercise_rules().author_names(request.user), status=201)
    annotations = services.visible_annotations(request.user, article=request.GET.get("article") or None)
    names = exercise_rules().author_names(request.user)
    return paged(request, annotations, lambda annotation: services.annotation_json(annotation, names))


@api_view(["GET", "PATCH", "DELETE"])
def annotation_item(request, pk):
    precondition = None if request.method == "GET" else if_match(request)
    try:
        if request.method == "DELETE":
            services.delete_annotation(request.user, pk, version=precondition)
            return HttpResponse(status=204)
        if request.method == "PATCH":
            data = json_body(request)
            services.update_annotation(request.user, pk, data, version=patch_version(data, precondition))
    except StaleVersion as exc:
        # RFC 9110: a failed If-Match is 412; a stale version sent in the body is a conflict.
        status = 412 if precondition is not None else 409
        current = services.annotation_json(exc.current, exercise_rules().author_names(request.user))
        return with_etag(JsonResponse({"error": exc.message, "field": exc.field, "current": current}, status=status),
                         exc.current)
    return claim_response(services.get_annotation(request.user, pk), exercise_rules().author_names(request.user))


def claim_response(annotation, names, status=200):
    return with_etag(JsonResponse(services.annotation_json(annotation, names), status=status), annotation)


def with_etag(response, annotation):
    response["ETag"] = f'"{annotation.version}"'
    return response


def if_match(request):
    """The version an If-Match header names; None without one, or for `*` (any version)."""
    header = request.headers.get("If-Match")
    if header is None or header.strip() == "*":
        return None
    tag = ENTITY_TAG.fullmatch(header.strip())
    if tag is None:
        raise ServiceError('If-Match must be the one ETag this API sent for the claim, such as "3".', "If-Match")
    return int(tag.group(1))


def patch_version(data, precondition):
    """The version a PATCH is made from: If-Match's, or the body's "version" (taken out of `data`)."""
    if "version" not in data:
        return precondition
    if precondition is not None:
        raise ServiceError("Send the version you read in If-Match or in the body, not both.", "version")
    return as_integer(data.pop("version"), "version")


@api_view(["POST"])
def link_collection(request):
    link = services.create_link(request.user, json_body(request))
    return JsonResponse(services.link_json(link, exercise_rules().author_names(request.user)), status=201)


@api_view(["DELETE"])
def link_item(request, pk):
    services.delete_link(request.user, pk)
    return HttpResponse(status=204)


# Sources (the rules are in sources.py)


@api_view(["GET", "POST"])
def source_collection(request):
    """Every source (?q= narrows to the suggestions for a typed source); POST creates one."""
    if request.method == "POST":
        sources.require_editor(request.user)
        source = sources.create_source(request.user, json_body(request))
        return JsonResponse(sources.source_json(source), status=201)
    if "q" in request.GET:
        return JsonResponse({"results": [sources.source_json(s) for s in sources.suggest_sources(request.GET["q"])],
                             "next": None})
    return paged(request, Source.objects.prefetch_related("aliases"), sources.source_json)


@api_view(["GET"])
def source_item(request, slug):
    """One source with every claim the user may read attributed to it, and those claims' links."""
    source = sources.get_source(slug)
    return JsonResponse(sources.source_json(source, claims=sources.source_claims(request.user, source)))


@api_view(["POST"])
def source_aliases(request, slug):
    sources.require_editor(request.user)
    alias = sources.add_alias(request.user, slug, json_body(request))
    return JsonResponse(sources.source_json(sources.get_source(alias.source.slug)), status=201)


@api_view(["DELETE"])
def source_alias(request, pk):
    sources.remove_alias(request.user, pk)
    return HttpResponse(status=204)
