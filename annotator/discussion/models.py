"""Replies on claims, the teacher's moderation of them, and what each reader has seen.

A claim's thread is its replies: top-level replies and, one level down, answers to them.
Who may read or write a thread is decided in services.py; visibility.py holds the one
rule that hidden claims add to the annotations' own visibility filter.
"""

from django.conf import settings
from django.db import models

from annotator.annotations.models import Anchor, Annotation
from annotator.corpus.models import Article

REPLY_MAX_LENGTH = 5_000


class Reply(models.Model):
    """A reader's reply to a claim, or (`parent`) to a top-level reply in its thread.

    Plain text, stored exactly as typed and rendered with annotator.sanitize. It may point
    to a passage of another article ("see this"): the span [to_start, to_end) of
    `to_article.body` in code points, with its quote, context and anchoring like a link's target.
    """

    claim = models.ForeignKey(Annotation, on_delete=models.CASCADE, related_name="replies")
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="answers")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="replies")
    text = models.TextField(blank=True)
    to_article = models.ForeignKey(
        Article, on_delete=models.PROTECT, null=True, blank=True, related_name="evidence_replies"
    )
    to_start = models.PositiveIntegerField(null=True, blank=True)
    to_end = models.PositiveIntegerField(null=True, blank=True)
    to_exact = models.TextField(blank=True)
    to_prefix = models.CharField(max_length=32, blank=True)
    to_suffix = models.CharField(max_length=32, blank=True)
    # Re-anchored with the links when the passage's article changes (annotations.anchoring).
    to_anchor = models.CharField(max_length=10, choices=Anchor.choices, default=Anchor.ANCHORED)
    # Deleted by its author while others had answered it: kept, empty, so the answers keep
    # their place in the thread.
    removed = models.BooleanField(default=False)
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)
    edited = models.DateTimeField(null=True, blank=True, help_text="When its author last changed it.")
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    hidden_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["claim_id", "created", "id"]
        verbose_name_plural = "replies"
        indexes = [models.Index(fields=["claim", "created"]), models.Index(fields=["author", "claim"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(to_start__isnull=True) | models.Q(to_end__gt=models.F("to_start")),
                name="reply_evidence_not_empty",
            )
        ]

    def __str__(self):
        return f"reply {self.pk} on claim {self.claim_id}"

    @property
    def has_evidence(self):
        return self.to_article_id is not None and self.to_start is not None


class Flag(models.Model):
    """A reader asks the class's teacher to look at a reply."""

    reply = models.ForeignKey(Reply, on_delete=models.CASCADE, related_name="flags")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reply_flags")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created", "id"]
        constraints = [models.UniqueConstraint(fields=["reply", "user"], name="flag_unique")]


class ClaimModeration(models.Model):
    """A teacher's moderation of one claim: hidden from the class, and/or its thread locked."""

    claim = models.OneToOneField(Annotation, on_delete=models.CASCADE, related_name="moderation")
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    hidden_at = models.DateTimeField(null=True, blank=True)
    locked = models.BooleanField(default=False)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    locked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"moderation of claim {self.claim_id}"


class ExerciseDiscussion(models.Model):
    """An exercise's discussion settings; without a row, replies are on."""

    exercise = models.OneToOneField("classroom.Exercise", on_delete=models.CASCADE, related_name="discussion_settings")
    replies_off = models.BooleanField(default=False)
    changed = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"discussion settings of exercise {self.exercise_id}"


class ReadMarker(models.Model):
    """Up to when `user` has read the thread of `claim`: replies created later are new to them."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="read_markers")
    claim = models.ForeignKey(Annotation, on_delete=models.CASCADE, related_name="read_markers")
    seen = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "claim"], name="read_marker_unique")]
