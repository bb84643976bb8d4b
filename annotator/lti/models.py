"""Annotator as an LTI 1.3 tool: its own keys, the platforms (LMSs) that launch it, and what a
launch maps onto (people, classes, exercises), the nonces already used and the grades sent back.

Rows here are written only by staff (keys, platforms, deployments) or after a launch token's
signature has been checked: an unauthenticated request never adds a row.
"""

from django.conf import settings
from django.db import models

from annotator.classroom.models import Classroom, Exercise


class ToolKey(models.Model):
    """A key pair the tool signs with (deep-linking answers, grade service tokens). The newest
    unretired key signs; every unretired key is published in the JWKS so a platform that cached
    an older one can still check what it signed."""

    kid = models.CharField(max_length=100, unique=True)
    private_pem = models.TextField()
    public_pem = models.TextField()
    created = models.DateTimeField(auto_now_add=True)
    retired = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]

    def __str__(self):
        return self.kid


class Platform(models.Model):
    """A registration of the tool in one LMS, with what the LMS's administrator gave us."""

    name = models.CharField(max_length=120, help_text="For your own reference, e.g. “District Canvas”.")
    issuer = models.CharField(max_length=255, help_text="The platform's issuer (iss), e.g. https://canvas.instructure.com.")
    client_id = models.CharField(max_length=255, help_text="The client id the platform gave this tool.")
    auth_url = models.URLField(max_length=500, help_text="The platform's OIDC authorization URL.")
    token_url = models.URLField(max_length=500, help_text="The platform's OAuth2 access token URL.")
    keyset_url = models.URLField(max_length=500, help_text="The platform's public keys (JWKS URL).")
    token_audience = models.CharField(
        max_length=255, blank=True,
        help_text="The audience of access token requests, when it is not the token URL (Moodle: leave empty).")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["issuer", "client_id"], name="lti_platform_unique")]

    def __str__(self):
        return self.name


class Deployment(models.Model):
    """A deployment id the platform sends; launches with any other id are refused."""

    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="deployments")
    deployment_id = models.CharField(max_length=255)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["platform", "deployment_id"], name="lti_deployment_unique")]

    def __str__(self):
        return f"{self.platform}: {self.deployment_id}"


class PlatformUser(models.Model):
    """The account a platform's user id (sub) signs into. Names from the platform are shown,
    never matched on."""

    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="users")
    sub = models.CharField(max_length=255)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lti_accounts")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["platform", "sub"], name="lti_user_unique")]


class Course(models.Model):
    """A platform's context (a course or section), and the class it became on first launch."""

    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="courses")
    context_id = models.CharField(max_length=255)
    classroom = models.OneToOneField(Classroom, on_delete=models.CASCADE, related_name="lti_course")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["platform", "context_id"], name="lti_course_unique")]


class ResourceLink(models.Model):
    """A link placed in the course; it opens `exercise`, and its gradebook column is `lineitem_url`."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="links")
    resource_link_id = models.CharField(max_length=255)
    title = models.CharField(max_length=255, blank=True)
    exercise = models.ForeignKey(Exercise, null=True, blank=True, on_delete=models.SET_NULL, related_name="lti_links")
    lineitem_url = models.URLField(max_length=500, blank=True)
    scopes = models.JSONField(default=list, help_text="The grade service scopes the platform granted.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["course", "resource_link_id"], name="lti_link_unique")]


class UsedNonce(models.Model):
    """A launch token's nonce, kept until the token would have expired anyway."""

    platform = models.ForeignKey(Platform, on_delete=models.CASCADE)
    nonce = models.CharField(max_length=255)
    expires = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["platform", "nonce"], name="lti_nonce_unique")]


class GradeStatus(models.TextChoices):
    PENDING = "pending", "waiting to be sent"
    SENT = "sent", "in the gradebook"
    FAILED = "failed", "not accepted — will be retried"


class GradeSync(models.Model):
    """The latest score of one student on one link, and whether the platform has it."""

    link = models.ForeignKey(ResourceLink, on_delete=models.CASCADE, related_name="grades")
    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField(null=True, blank=True, help_text="Out of 100; empty until the key is revealed.")
    comment = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=GradeStatus.choices, default=GradeStatus.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    updated = models.DateTimeField(auto_now=True)
    sent = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["link", "student"], name="lti_grade_unique")]
        ordering = ["student__username"]
