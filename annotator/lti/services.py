"""What a verified launch does, and the refusals of one that cannot be verified.

`launch` is the one entry point: it asks pylti1p3 to check the token (state cookie, our signed
nonce, issuer and client id, signature against the platform's JWKS, deployment, message type),
then checks what the token says, and only then writes: the nonce as used, the person, the
class, the link. Every failure is a `Refusal` with a status (400 or 403) and, when the token
was genuine and names one, the platform's return URL to send the person back to.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urlencode, urlsplit

import jwt
import requests
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from pylti1p3.deep_link import DeepLink
from pylti1p3.deep_link_resource import DeepLinkResource
from pylti1p3.exception import LtiException, OIDCException
from pylti1p3.lineitem import LineItem

from annotator.classroom import services as classroom
from annotator.classroom.models import Classroom, Exercise
from annotator.errors import Conflict, ServiceError
from annotator.people import clean_display_name
from annotator.roles import TEACHERS_GROUP

from .models import Course, Platform, PlatformUser, ResourceLink, UsedNonce
from .tool import NONCE_MAX_AGE, Launch, Login, ToolConf, registration_for

CLAIM = "https://purl.imsglobal.org/spec/lti/claim/"
MESSAGE_TYPE, ROLES, CONTEXT = CLAIM + "message_type", CLAIM + "roles", CLAIM + "context"
RESOURCE_LINK, CUSTOM, PRESENTATION = CLAIM + "resource_link", CLAIM + "custom", CLAIM + "launch_presentation"
DEPLOYMENT = CLAIM + "deployment_id"
AGS = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
DEEP_LINKING = "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"
RESOURCE_LAUNCH, DEEP_LINK_LAUNCH = "LtiResourceLinkRequest", "LtiDeepLinkingRequest"
SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"

MEMBERSHIP = "http://purl.imsglobal.org/vocab/lis/v2/membership"
# A malformed request, as opposed to one that is well formed but not to be trusted.
MALFORMED = ("Missing id_token", "Invalid id_token", "Invalid JWT format", "Missing state")
# What pylti1p3 and the libraries under it raise for a token it cannot accept.
LIBRARY_ERRORS = (LtiException, OIDCException, jwt.PyJWTError, requests.RequestException,
                  ValueError, TypeError, KeyError, AttributeError, AssertionError)


class Refusal(Exception):
    def __init__(self, message, status=403, return_url=""):
        super().__init__(message)
        self.message, self.status, self.return_url = message, status, return_url

    def redirect_url(self):
        """The platform's return URL with our message, where the platform named one."""
        if not self.return_url:
            return ""
        joiner = "&" if urlsplit(self.return_url).query else "?"
        return f"{self.return_url}{joiner}{urlencode({'lti_errormsg': self.message})}"


def has_role(roles, name):
    """Context roles, full (…/membership#Instructor), a sub-role (…/membership/Instructor#…)
    or the short form LTI 1.3 allows."""
    return any(r in (f"{MEMBERSHIP}#{name}", name) or r.startswith(f"{MEMBERSHIP}/{name}#") for r in roles)


def oidc_login(request, params, launch_url):
    """The first leg: send the browser to the platform's authorization URL. Keeps no state."""
    if not params.get("iss") or not params.get("login_hint") or not params.get("target_link_uri"):
        raise Refusal("A login from the platform needs iss, login_hint and target_link_uri.", 400)
    try:
        # The launch always comes back to our own launch URL, whatever target_link_uri says,
        # so the login cannot be used to send anyone elsewhere.
        return Login(request, ToolConf()).redirect(launch_url)
    except LIBRARY_ERRORS as exc:
        raise Refusal(f"This platform is not registered with Annotator ({exc}).", 400) from None


@dataclass
class Launched:
    user: object
    message_type: str
    course: Course
    link: ResourceLink | None = None
    deep_link: dict = field(default_factory=dict)


def verified(request):
    tool_conf = ToolConf()
    message = Launch(request, tool_conf)
    try:
        message.validate()
        body = message.body
    except LIBRARY_ERRORS as exc:
        text = str(exc) or exc.__class__.__name__
        status = 400 if text.startswith(MALFORMED) else 403
        raise Refusal(f"This launch could not be verified: {text}.", status) from None
    return tool_conf.platform, body


def _text(value, name):
    """An identifier from the token, fit for our columns (255 characters, as the spec's ids are)."""
    if not isinstance(value, str) or not value.strip() or len(value) > 255:
        raise Refusal(f"The launch has no usable {name}.", 400)
    return value.strip()


def _return_url(body):
    presentation = body.get(PRESENTATION)
    url = presentation.get("return_url") if isinstance(presentation, dict) else None
    return url if isinstance(url, str) and url.startswith(("https://", "http://")) else ""


def launch(request):
    platform, body = verified(request)
    back = _return_url(body)
    roles = body.get(ROLES)
    if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
        raise Refusal("The launch has no list of roles.", 400, back)
    instructor, learner = has_role(roles, "Instructor"), has_role(roles, "Learner")
    if not (instructor or learner):
        raise Refusal("Annotator opens for a course's instructors and learners only.", 403, back)
    message_type = body[MESSAGE_TYPE]
    if message_type not in (RESOURCE_LAUNCH, DEEP_LINK_LAUNCH):
        raise Refusal(f"Annotator does not handle {message_type} messages.", 400, back)
    if message_type == DEEP_LINK_LAUNCH and not instructor:
        raise Refusal("Only the course's instructor can choose an exercise to add.", 403, back)
    context = body.get(CONTEXT)
    if not isinstance(context, dict):
        raise Refusal("Annotator opens inside a course; this launch names none.", 400, back)
    context_id = _text(context.get("id"), "course id")
    sub = _text(body.get("sub"), "user id")
    with transaction.atomic():
        use_nonce(platform, body, back)
        user = account(platform, sub, body, instructor)
        course = course_for(platform, context_id, context, user, instructor, back)
        if not instructor and course.classroom.teacher_id != user.pk:
            try:
                classroom.enrol(user, course.classroom)
            except Conflict:
                pass
        if message_type == DEEP_LINK_LAUNCH:
            settings = body.get(DEEP_LINKING)
            if not isinstance(settings, dict) or not isinstance(settings.get("deep_link_return_url"), str):
                raise Refusal("The launch has no deep-linking settings.", 400, back)
            return Launched(user, message_type, course, deep_link={
                "platform": platform.pk, "course": course.pk, "deployment": body[DEPLOYMENT],
                "return_url": settings["deep_link_return_url"], "data": settings.get("data"),
                "user": user.pk})
        link = link_for(course, body, back)
    return Launched(user, message_type, course, link)


def use_nonce(platform, body, back):
    now = timezone.now()
    UsedNonce.objects.filter(expires__lt=now).delete()
    try:
        with transaction.atomic():
            # Past NONCE_MAX_AGE our signature on the nonce has lapsed and refuses it anyway.
            UsedNonce.objects.create(platform=platform, nonce=body["nonce"],
                                     expires=now + timedelta(seconds=NONCE_MAX_AGE))
    except IntegrityError:
        raise Refusal("This launch has already been used. Open the link from the course again.", 403, back) from None


def unique_username(platform, sub, body):
    """A readable username from the platform's name for the person, made unique by a digest of
    who they are on the platform. Only the digest's platform user id ever signs anyone in."""
    name = body.get("name") or " ".join(str(body.get(k) or "") for k in ("given_name", "family_name"))
    base = slugify(str(name))[:24] or "lms-user"
    digest = hashlib.sha256(f"{platform.issuer}\n{platform.client_id}\n{sub}".encode()).hexdigest()
    User = get_user_model()
    for length in (6, 10, 16, 64):
        candidate = f"{base}-{digest[:length]}"
        if not User.objects.filter(username=candidate).exists():
            return candidate
    raise Refusal("No account name could be made for this person.", 409)


def account(platform, sub, body, instructor):
    linked = PlatformUser.objects.select_related("user").filter(platform=platform, sub=sub).first()
    if linked is None:
        try:
            with transaction.atomic():
                user = get_user_model()(username=unique_username(platform, sub, body))
                user.set_unusable_password()
                user.save()
                linked = PlatformUser.objects.create(platform=platform, sub=sub, user=user)
        except IntegrityError:
            # The same person's first launch in another tab got there first.
            linked = PlatformUser.objects.select_related("user").get(platform=platform, sub=sub)
    user = linked.user
    # Never used to find the person. The given name becomes the display name under the rule a
    # person's own choice meets (people.clean_display_name); one another account goes by, or
    # too long, leaves the stored name as it was.
    given, family = body.get("given_name"), body.get("family_name")
    if isinstance(given, str):
        try:
            user.first_name = clean_display_name(given, user)
        except ServiceError:
            pass
    if isinstance(family, str):
        user.last_name = family[:150]
    user.save(update_fields=["first_name", "last_name"])
    if instructor:
        user.groups.add(Group.objects.get_or_create(name=TEACHERS_GROUP)[0])
    return user


def course_for(platform, context_id, context, user, instructor, back):
    course = Course.objects.select_related("classroom").filter(platform=platform, context_id=context_id).first()
    if course is None:
        if not instructor:
            raise Refusal("Your teacher has not opened Annotator in this course yet. Try again once they have.",
                          403, back)
        title = context.get("title") or context.get("label") or "Course"
        name = str(title)[:Classroom._meta.get_field("name").max_length]
        try:
            with transaction.atomic():
                course = Course.objects.create(platform=platform, context_id=context_id,
                                               classroom=Classroom.objects.create(name=name, teacher=user))
        except IntegrityError:
            # Another instructor's first launch of the same course got there first.
            course = Course.objects.select_related("classroom").get(platform=platform, context_id=context_id)
    if instructor and course.classroom.teacher_id != user.pk:
        raise Refusal(f"This course's class in Annotator is taught by {course.classroom.teacher.get_username()}; "
                      "a class has one teacher.", 403, back)
    return course


def link_for(course, body, back):
    claim = body.get(RESOURCE_LINK)
    link_id = _text(claim.get("id") if isinstance(claim, dict) else None, "resource link id")
    link, _ = ResourceLink.objects.get_or_create(course=course, resource_link_id=link_id)
    link.title = str(claim.get("title") or "")[:255]
    custom = body.get(CUSTOM)
    wanted = custom.get("exercise") if isinstance(custom, dict) else None
    if wanted is not None:
        exercise = Exercise.objects.filter(pk=int(wanted) if str(wanted).isdigit() else None,
                                           classroom=course.classroom).first()
        if exercise is None:
            raise Refusal("This link points to an exercise that is not in this course's class.", 404, back)
        link.exercise = exercise
    ags = body.get(AGS)
    if isinstance(ags, dict):
        lineitem, scopes = ags.get("lineitem"), ags.get("scope")
        if isinstance(lineitem, str) and lineitem.startswith(("https://", "http://")) and len(lineitem) <= 500:
            link.lineitem_url = lineitem
        if isinstance(scopes, list):
            link.scopes = [s for s in scopes if isinstance(s, str)]
    link.save()
    return link


def landing(launched):
    """Where a launch lands."""
    if launched.message_type == DEEP_LINK_LAUNCH:
        return reverse("lti:deep_link")
    link, teaching = launched.link, launched.course.classroom.teacher_id == launched.user.pk
    if link.exercise is None:
        return reverse("lti:choose", args=[link.pk]) if teaching else reverse("lti:not_ready", args=[link.pk])
    return reverse("classroom:dashboard", args=[link.exercise_id]) if teaching else link.exercise.get_absolute_url()


# --- choosing an exercise --------------------------------------------------------------------------

def taught_exercise(user, classroom_obj, exercise_id):
    try:
        return Exercise.objects.get(pk=int(exercise_id), classroom=classroom_obj, classroom__teacher=user)
    except (TypeError, ValueError, Exercise.DoesNotExist):
        raise ServiceError("Choose one of this class's exercises.", "exercise") from None


def choose_for_link(user, link_id, exercise_id):
    """An instructor opened a link placed without deep linking: they pick its exercise here."""
    link = ResourceLink.objects.select_related("course__classroom").filter(
        pk=link_id, course__classroom__teacher=user).first()
    if link is None:
        raise ServiceError("No such link in a class you teach.", "link")
    link.exercise = taught_exercise(user, link.course.classroom, exercise_id)
    link.save(update_fields=["exercise"])
    return link


def deep_link_response(user, pending, exercise_id, launch_url):
    """The signed answer that puts `exercise_id` into the course, with a gradebook column."""
    course = Course.objects.select_related("classroom", "platform").filter(
        pk=pending["course"], platform_id=pending["platform"]).first()
    if course is None or pending["user"] != user.pk:
        raise ServiceError("This choice has expired. Start again from the course.", "exercise")
    exercise = taught_exercise(user, course.classroom, exercise_id)
    resource = (DeepLinkResource().set_url(launch_url).set_title(exercise.title)
                .set_custom_params({"exercise": str(exercise.pk)})
                .set_lineitem(LineItem().set_score_maximum(100).set_label(exercise.title)
                              .set_resource_id(f"exercise-{exercise.pk}")))
    deep_link = DeepLink(registration_for(course.platform), pending["deployment"],
                         {"deep_link_return_url": pending["return_url"], "data": pending["data"]})
    return exercise, deep_link.get_response_jwt([resource])


def platform_origin(url):
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def registered_platforms():
    return Platform.objects.prefetch_related("deployments").order_by("name")
