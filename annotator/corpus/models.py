from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse

from .cleaning import derive_title
from .languages import LANGUAGES, direction


# An article's whole text, in three forms: lists of articles, or of rows that carry their
# article, defer these.
TEXT_FIELDS = ("body", "raw", "removed")


def one_line(text):
    """A name as it is stored and compared: runs of white space made one space, none at the ends.

    Bylines and outlet names are matched to each other and to what a reader follows
    (/bylines/?name=), so a name pasted with a doubled space or a line break is still the same name.
    A NUL, which no name has and PostgreSQL cannot compare, becomes U+FFFD and matches nothing.
    """
    return " ".join((text or "").replace("\x00", "\ufffd").split())


MAX_SEARCH = 200


def search_words(typed):
    """What a reader typed into an article search, on one line and cut to MAX_SEARCH."""
    return one_line(typed)[:MAX_SEARCH]


class ArticleQuerySet(models.QuerySet):
    def listed(self):
        return self.filter(archived=False)

    def newest_first(self):
        """Newest first, undated last on both databases, then by title: a stable order to page by."""
        return self.order_by(models.F("published").desc(nulls_last=True), "title", "pk")

    def matching(self, words):
        """Articles whose title, outlet or byline holds `words` (ignoring case)."""
        return self.filter(models.Q(title__icontains=words) | models.Q(outlet__icontains=words)
                           | models.Q(byline__icontains=words))


class Article(models.Model):
    """One news article: the cleaned `body` that spans point into, and the untouched `raw`.

    Offsets into `body` are Unicode code points (Python string indices); see DESIGN.md.
    """

    slug = models.SlugField(max_length=120, unique=True)
    title = models.CharField(max_length=300)
    # True when the source had no headline and the title was made from the first sentence;
    # such a title is not part of `body`.
    title_derived = models.BooleanField(default=False)
    body = models.TextField()
    raw = models.TextField(help_text="The original file, decoded, exactly as imported.")
    # What the importer took out of `raw`, in order: [{"line": ..., "reason": ...}].
    removed = models.JSONField(default=list, blank=True)
    # The file's path inside the folder it was imported from, `/`-separated (DESIGN.md).
    source_file = models.CharField(max_length=500, unique=True)
    raw_sha256 = models.CharField(max_length=64)
    published = models.DateField(null=True, blank=True)
    byline = models.CharField(max_length=300, blank=True)
    outlet = models.CharField(max_length=200, blank=True)
    url = models.URLField(max_length=1000, blank=True)
    # BCP 47 tag of the text's language ("en", "ru", "ar", "he", "fa"), detected on import
    # unless given; blank when nothing could tell.
    language = models.CharField(max_length=35, blank=True)
    archived = models.BooleanField(default=False)
    # Who brought the article in: only they (or staff) may delete it. Articles imported by
    # a command, and those added before owners were kept, have none: staff look after them.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="articles_added"
    )
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published", "title"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # Every way in (import, preview, edit form, admin) saves through here.
        self.byline, self.outlet = one_line(self.byline), one_line(self.outlet)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("annotations:reader", args=[self.slug])

    @property
    def title_from_first_sentence(self):
        """Whether a derived title is still the one made from the first sentence (not retyped by hand)."""
        return self.title_derived and self.title == derive_title(self.body.split("\n", 1)[0])

    @property
    def language_name(self):
        return LANGUAGES.get(self.language, self.language)

    @property
    def direction(self):
        return direction(self.language)

    @property
    def word_count(self):
        return len(self.body.split())

    def paragraphs(self):
        """Yield (start, text) for each paragraph; start is a code-point offset into body."""
        offset = 0
        for line in self.body.split("\n"):
            yield offset, line
            offset += len(line) + 1


class Passage(models.Model):
    """A sentence-sized piece of an article's body, the unit related-passage search ranks.

    Derived data: annotator.corpus.search rebuilds an article's passages whenever its body
    changes. The full-text index over `folded` and `context` lives outside Django's schema (an
    FTS5 table on SQLite, a generated tsvector column on PostgreSQL); see migrations
    0002_passages, 0006_passage_search_on_folded_text and 0007_passage_context.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="passages")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.TextField()
    # `text` in the form search compares (annotator.corpus.folding), which the index is built on.
    folded = models.TextField(default="", editable=False)
    # Who speaks in the passage and the sentence it leans on (passages.passage_contexts):
    # indexed beside the text, weighted lower, never shown, so stored folded.
    context = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["article", "start"]

    def __str__(self):
        return self.text[:80]


class OutletKind(models.TextChoices):
    WIRE = "wire", "Wire service"
    STATE = "state", "State broadcaster or state media"
    NEWSPAPER = "newspaper", "Newspaper or news site"
    NEWSLETTER = "newsletter", "Personal newsletter or blog"
    AGGREGATOR = "aggregator", "Aggregator"
    OTHER = "other", "Other"


class Outlet(models.Model):
    """Who is behind an article: the profile of the outlet its `outlet` field names.

    Written by teachers from what they know, never filled in by the site; staff may lock a
    profile so only staff can change it. Matched to articles by name, ignoring case, so the
    database refuses two profiles whose names differ only in case: two teachers writing
    "Reuters" and "reuters" at the same moment both pass the service's check.
    """

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    kind = models.CharField(max_length=20, choices=OutletKind.choices)
    owner = models.CharField("owned or funded by", max_length=300, blank=True)
    country = models.CharField(max_length=100, blank=True)
    notes = models.TextField(blank=True)
    locked = models.BooleanField(default=False)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"), name="outlet_name_unique_ignoring_case",
                violation_error_message="Another outlet has this name, written in other letter case.",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        # Checked (by the admin's form) as it will be stored, so that a name differing from
        # another only in spacing is refused by the form rather than by the database.
        self.name = one_line(self.name)

    def save(self, *args, **kwargs):
        self.name = one_line(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("corpus:outlet", args=[self.slug])
