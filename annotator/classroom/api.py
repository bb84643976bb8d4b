"""The classroom's JSON endpoints; every rule lives in the services (errors in the API's usual shape)."""

from django.http import HttpResponse, JsonResponse

from annotator.jsonapi import api_view, json_body

from . import grading, keybuild, reuse, review


@api_view(["GET", "POST"])
def claim_comments(request, pk):
    """GET: the teacher's private comments on claim `pk` (its author and teacher only); POST: a new one."""
    if request.method == "POST":
        comment = review.add_comment(request.user, pk, json_body(request))
        return JsonResponse(review.comment_json(comment), status=201)
    claim, comments = review.comments_on(request.user, pk)
    if claim.author_id == request.user.pk:
        review.mark_comments_read(request.user, comments)
    return JsonResponse({"results": [review.comment_json(c) for c in comments], "next": None})


@api_view(["DELETE"])
def comment_item(request, pk):
    review.delete_comment(request.user, pk)
    return HttpResponse(status=204)


@api_view(["GET", "PUT", "DELETE"])
def score(request, pk, student_id):
    """The teacher's score for a student's work, beside the key's F1."""
    if request.method == "PUT":
        review.set_override(request.user, pk, student_id, json_body(request))
    elif request.method == "DELETE":
        review.clear_override(request.user, pk, student_id)
        return HttpResponse(status=204)
    exercise = review.taught_exercise(request.user, pk)
    student = review.student_of(exercise, student_id)
    feedback = grading.exercise_work(exercise, student).feedback(student.pk)
    return JsonResponse(review.override_json(exercise, student, review.override_of(exercise, student.pk), feedback))


@api_view(["POST"])
def exercise_copy(request, pk):
    """`{"classroom", "title"?}`: a copy of the exercise, its articles and key, in that class."""
    copy, key = reuse.copy_exercise(request.user, pk, json_body(request))
    return JsonResponse({"exercise": copy.pk, "classroom": copy.classroom_id, "title": copy.title,
                         "url": request.build_absolute_uri(copy.get_absolute_url()), "key": key.json()}, status=201)


@api_view(["POST"])
def key_reuse(request, pk):
    """`{"from": exercise id}`: that exercise's key claims on this one's articles join its key."""
    return JsonResponse(reuse.reuse_key(request.user, pk, json_body(request)).json())


@api_view(["GET", "PUT", "DELETE"])
def due(request, pk, student_id):
    """One student's due date: PUT `{"due"}` gives them more time, DELETE takes it back."""
    if request.method == "PUT":
        reuse.give_more_time(request.user, pk, student_id, json_body(request))
    elif request.method == "DELETE":
        reuse.take_back_time(request.user, pk, student_id)
    exercise = review.taught_exercise(request.user, pk)
    student = review.student_of(exercise, student_id)
    return JsonResponse(reuse.extension_json(exercise, student, exercise.extensions.filter(student=student).first()))


@api_view(["GET", "POST"])
def class_key(request, pk):
    """GET: spans many students tagged that the key lacks; POST a span (with an explanation) into the key."""
    if request.method == "POST":
        claim = keybuild.accept_suggestion(request.user, pk, json_body(request))
        return JsonResponse(keybuild.key_claim_json(claim), status=201)
    exercise = review.taught_exercise(request.user, pk)
    suggestions = keybuild.suggestions_for(exercise)
    return JsonResponse({"results": [s.json() for s in suggestions], "next": None})


@api_view(["POST"])
def promote(request, pk):
    """`{"explanation"?, "label"?}`: one student's claim copied into its exercise's key."""
    claim = keybuild.promote_claim(request.user, pk, json_body(request))
    return JsonResponse(keybuild.key_claim_json(claim), status=201)
