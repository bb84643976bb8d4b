"""LTI endpoints (login, launch, JWKS: called by the platform and the browser it sends) and the
pages around them: choosing an exercise, the teacher's grade report, the staff's setup page.

The login and the launch are cross-site by nature: the platform's page posts the browser to
them. They are exempt from CSRF because a form from another site is the protocol; what stands
in for the token is the state cookie pylti1p3 sets at login (only the browser that started the
login holds it), our signed nonce, and the platform's signature on the launch.
"""

from django.contrib import messages
from django.contrib.auth import login as sign_in
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from annotator.classroom.models import Exercise
from annotator.errors import ServiceError
from annotator.roles import teacher_required

from . import grades, services, tool
from .models import GradeStatus, GradeSync, ResourceLink, ToolKey
from .services import Refusal

DEEP_LINK = "lti_deep_link"
BACKEND = "django.contrib.auth.backends.ModelBackend"


def refused(request, refusal):
    url = refusal.redirect_url()
    if url:
        return HttpResponseRedirect(url)
    return render(request, "lti/refused.html", {"message": refusal.message}, status=refusal.status)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def login(request):
    params = request.POST if request.method == "POST" else request.GET
    try:
        return services.oidc_login(request, params, request.build_absolute_uri(reverse("lti:launch")))
    except Refusal as refusal:
        return refused(request, refusal)


@csrf_exempt
@require_POST
def launch(request):
    try:
        launched = services.launch(request)
    except Refusal as refusal:
        return refused(request, refusal)
    sign_in(request, launched.user, backend=BACKEND)
    if launched.deep_link:
        request.session[DEEP_LINK] = launched.deep_link
    return redirect(services.landing(launched))


@require_GET
def jwks(request):
    return JsonResponse(tool.jwks())


def exercise_choice(request, classroom, action, button):
    return render(request, "lti/choose.html", {
        "classroom": classroom, "exercises": classroom.exercises.all(), "action": action, "button": button,
        "error": getattr(request, "choice_error", ""),
    }, status=422 if getattr(request, "choice_error", "") else 200)


@require_http_methods(["GET", "POST"])
@login_required
def deep_link(request):
    pending = request.session.get(DEEP_LINK)
    if not pending or pending.get("user") != request.user.pk:
        raise Http404("No exercise is being chosen for a course. Start from the course in your LMS.")
    course = get_object_or_404(services.Course.objects.select_related("classroom", "platform"), pk=pending["course"])
    if request.method == "POST":
        try:
            exercise, token = services.deep_link_response(request.user, pending, request.POST.get("exercise"),
                                                          request.build_absolute_uri(reverse("lti:launch")))
        except ServiceError as exc:
            request.choice_error = exc.message
        else:
            del request.session[DEEP_LINK]
            response = render(request, "lti/deep_link_return.html", {
                "exercise": exercise, "platform": course.platform, "return_url": pending["return_url"], "jwt": token})
            # The one form on the site that posts to another site: the platform that asked.
            response._csp_update = {"form-action": [services.platform_origin(pending["return_url"])]}
            return response
    return exercise_choice(request, course.classroom, reverse("lti:deep_link"), f"Add to {course.platform.name}")


@require_http_methods(["GET", "POST"])
@teacher_required
def choose(request, pk):
    link = get_object_or_404(ResourceLink.objects.select_related("course__classroom"),
                             pk=pk, course__classroom__teacher=request.user)
    if request.method == "POST":
        try:
            link = services.choose_for_link(request.user, link.pk, request.POST.get("exercise"))
        except ServiceError as exc:
            request.choice_error = exc.message
        else:
            messages.success(request, f"This link in the course now opens “{link.exercise.title}”.")
            return redirect("classroom:dashboard", link.exercise_id)
    return exercise_choice(request, link.course.classroom, reverse("lti:choose", args=[link.pk]),
                           "Open this exercise from the link")


@require_GET
@login_required
def not_ready(request, pk):
    link = get_object_or_404(ResourceLink.objects.select_related("course__classroom"),
                             pk=pk, course__classroom__memberships__student=request.user)
    if link.exercise_id:
        return redirect(link.exercise)
    return render(request, "lti/not_ready.html", {"link": link})


def taught(request, pk):
    return get_object_or_404(Exercise.objects.select_related("classroom"), pk=pk, classroom__teacher=request.user)


@require_GET
@teacher_required
def grade_report(request, pk):
    exercise = taught(request, pk)
    rows = GradeSync.objects.filter(link__exercise=exercise).select_related("student", "link").order_by(
        "student__username", "link_id")
    return render(request, "lti/grades.html", {
        "exercise": exercise, "rows": rows, "links": grades.graded_links(exercise),
        "without_column": ResourceLink.objects.filter(exercise=exercise, lineitem_url="").count(),
        "waiting": sum(1 for r in rows if r.status != GradeStatus.SENT)})


@require_POST
@teacher_required
def grade_retry(request, pk):
    exercise = taught(request, pk)
    sent, left = grades.retry(exercise)
    if left:
        messages.error(request, f"{sent} sent; {left} still not accepted by the LMS — the reason is beside each.")
    else:
        messages.success(request, f"{sent} sent; the gradebook has every score." if sent else "Nothing was waiting.")
    return redirect("lti:grades", exercise.pk)


@require_GET
@login_required
def setup(request):
    if not request.user.is_staff:
        raise PermissionDenied("Only staff register Annotator in an LMS.")
    return render(request, "lti/setup.html", {
        "urls": [(label, request.build_absolute_uri(reverse(name))) for label, name in (
            ("OIDC login initiation URL", "lti:login"), ("Redirect (launch) URL", "lti:launch"),
            ("Target link URI", "lti:launch"), ("Deep linking URL", "lti:launch"), ("Public JWKS URL", "lti:jwks"))],
        "platforms": services.registered_platforms(), "keys": ToolKey.objects.filter(retired__isnull=True)})
