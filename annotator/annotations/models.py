from django.conf import settings
from django.db import models
from django.urls import reverse

from annotator.corpus.models import Article


class Label(models.TextChoices):
    ATTRIBUTED = "attributed", "Attributed"
    EDITORIALIZED = "editorialized", "Editorialized"
    DISPUTED = "disputed", "Disputed"


class Visibility(models.TextChoices):
    PRIVATE = "private", "Only me"
    CLASS = "class", "My class"
    PUBLIC = "public", "Everyone signed in"


class Relation(models.TextChoices):
    CORROBORATES = "corroborates", "Corroborates"
    CONTRADICTS = "contradicts", "Contradicts"


class Anchor(models.TextChoices):
    ANCHORED = "anchored", "Anchored"
    ORPHANED = "orphaned", "Could not re-anchor"


class Annotation(models.Model):
    """A tagged claim: the span [start, end) of an article's body, in code points.

    `exact`, `prefix` and `suffix` are the W3C TextQuoteSelector that lets the span
    find its text again when the article's body changes.
    """

    # Deleting an article never takes its claims with it silently: the article's delete
    # action removes what its owner may lose first, and the database refuses the rest.
    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="annotations")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    exact = models.TextField()
    prefix = models.CharField(max_length=32, blank=True)
    suffix = models.CharField(max_length=32, blank=True)
    label = models.CharField(max_length=20, choices=Label.choices)
    source = models.CharField(max_length=200, blank=True)
    note = models.TextField(blank=True)
    visibility = models.CharField(max_length=10, choices=Visibility.choices, default=Visibility.PRIVATE)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="annotations")
    anchor = models.CharField(max_length=10, choices=Anchor.choices, default=Anchor.ANCHORED)
    # Work inside a classroom exercise: a student's answer, or (is_key) the teacher's key,
    # whose `explanation` students read in their feedback.
    exercise = models.ForeignKey(
        "classroom.Exercise", on_delete=models.CASCADE, null=True, blank=True, related_name="annotations"
    )
    is_key = models.BooleanField(default=False)
    explanation = models.TextField(blank=True)
    # Raised by one on every change: an edit names the version it was made from, so a stale
    # form or client cannot silently undo a newer change.
    version = models.PositiveIntegerField(default=1)
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["article_id", "start", "end", "id"]
        indexes = [models.Index(fields=["article", "start"]), models.Index(fields=["author", "article"])]
        constraints = [models.CheckConstraint(condition=models.Q(end__gt=models.F("start")), name="annotation_span_not_empty")]

    def __str__(self):
        return f"{self.label}: {self.exact[:60]}"


class Link(models.Model):
    """A claim corroborated or contradicted by a span of a different article."""

    source_annotation = models.ForeignKey(Annotation, on_delete=models.CASCADE, related_name="links")
    relation = models.CharField(max_length=20, choices=Relation.choices)
    to_article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="backlinks")
    to_start = models.PositiveIntegerField()
    to_end = models.PositiveIntegerField()
    to_exact = models.TextField()
    to_prefix = models.CharField(max_length=32, blank=True)
    to_suffix = models.CharField(max_length=32, blank=True)
    to_anchor = models.CharField(max_length=10, choices=Anchor.choices, default=Anchor.ANCHORED)
    note = models.TextField(blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="links")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["source_annotation_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source_annotation", "to_article", "to_start", "to_end", "relation"], name="link_unique"
            ),
            models.CheckConstraint(condition=models.Q(to_end__gt=models.F("to_start")), name="link_span_not_empty"),
        ]

    def __str__(self):
        return f"{self.source_annotation_id} {self.relation} {self.to_article_id}:{self.to_start}-{self.to_end}"


class SourceKind(models.TextChoices):
    PERSON = "person", "Person"
    OFFICE = "office", "Office"
    OUTLET = "outlet", "Outlet"
    GOVERNMENT = "government", "Government"


class Source(models.Model):
    """Who a claim is attributed to, across every article: "the Kremlin", "PressTV", "Raisi".

    An attributed claim's free-text `source` is matched to a Source through its aliases
    (sources.py), never stored on the claim: when a teacher adds an alias, every claim
    already written with it joins the source.
    """

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    kind = models.CharField(max_length=20, choices=SourceKind.choices)
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("annotations:source", args=[self.slug])


class SourceAlias(models.Model):
    """One way a source is written in claims; `key` (sources.alias_key) is unique across sources."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="aliases")
    alias = models.CharField(max_length=200)
    key = models.CharField(max_length=200, unique=True)

    class Meta:
        ordering = ["alias"]

    def __str__(self):
        return self.alias


class ClaimStamp(models.Model):
    """A number that changes, in the same transaction, with every write to an article's claims.

    Database triggers keep it (migration 0005_claim_stamps), never Python: an insert, edit or
    delete of a claim row through any path (services, bulk imports, the admin, cascades from a
    deleted user or exercise, raw SQL, a restore) sets a new random value, and so does a
    renamed author. Apps whose part of the reading rule reads another table add their own
    triggers (discussion: claim moderation). The reader keys its drawings on it.

    Random rather than counted: a rolled-back transaction or a restored backup goes back to an
    earlier value together with the claims it stood for, and a counter would then hand out
    the same number again for different claims.
    """

    # Not a foreign key: triggers write it while a deleted article's claims go in a cascade,
    # and a row left behind for a deleted article is never read.
    article_id = models.BigIntegerField(primary_key=True)
    stamp = models.BigIntegerField()

    def __str__(self):
        return f"article {self.article_id}: {self.stamp}"
