import secrets
from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils import dateformat, timezone

from annotator.annotations.models import Annotation, Label, Link
from annotator.corpus.models import Article

# Join codes are read aloud in a classroom: short common words and digits, nothing that
# sounds or looks alike (no 0/O, 1/l).
CODE_WORDS = (
    "amber apple arrow badge basil beach berry birch bison brave bread brick cedar chalk cloud clover comet coral "
    "crane daisy delta dune eagle ember fable fern field flint forest frost garden ginger glade grape harbor hazel "
    "heron honey iris ivory jade kettle kite lake lemon lilac lotus maple meadow melon mint moss north oak olive "
    "orbit otter panda peach pearl pepper pine plum pond quartz quill raven reed river robin rose sage salmon sand "
    "shell silver spruce stone storm sun swan thistle tiger topaz tulip violet walnut willow wind wren"
).split()


# Four words and a two-digit number: 90**4 * 90 = 5,904,900,000 codes, e.g. maple-otter-river-heron-42.
# The join throttle (classroom.throttle) lets one address try at most 200 wrong codes a day.
# With 10,000 classes on the site a guess hits one with odds of 10,000 in 5.9 billion, so one
# address needs 590,490 guesses on average: 2,952 days, about 8 years (80 with 1,000 classes).
# Codes made before this had two words (729,000 codes) and keep working until the teacher
# asks for a new one.
CODE_WORD_COUNT = 4


def new_join_code():
    words = [secrets.choice(CODE_WORDS) for _ in range(CODE_WORD_COUNT)]
    return "-".join([*words, str(secrets.randbelow(90) + 10)])


class Classroom(models.Model):
    name = models.CharField(max_length=120)
    teacher = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="classrooms_taught")
    join_code = models.CharField(max_length=40, unique=True, default=new_join_code)
    created = models.DateTimeField(auto_now_add=True)
    # End of term (classroom/retention.py): an archived class's student work is deleted once
    # settings.RETENTION_DAYS have passed, and `purged` says when that was done.
    archived = models.DateTimeField(null=True, blank=True)
    purged = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("classroom:class", args=[self.pk])

    @property
    def retention_days(self):
        return settings.RETENTION_DAYS

    @property
    def purge_due(self):
        """When the class's student work will be deleted, or None while it is not archived."""
        if self.archived is None:
            return None
        return self.archived + timedelta(days=self.retention_days)


class Membership(models.Model):
    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="memberships")
    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    joined = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["student__username"]
        constraints = [models.UniqueConstraint(fields=["classroom", "student"], name="membership_unique")]


class Departure(models.Model):
    """A student whose account was deleted left this class: the teacher's dashboard says so,
    with no name, because nothing of theirs is kept."""

    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="departures")
    left = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["left", "id"]


class Reveal(models.TextChoices):
    ON_SUBMIT = "on_submit", "to each student as soon as they submit"
    AFTER_DUE = "after_due", "to everyone after the due date"
    MANUAL = "manual", "when I say so"


class RequiredRelation(models.TextChoices):
    CONTRADICTS = "contradicts", "a passage that contradicts it"
    CORROBORATES = "corroborates", "a passage that corroborates it"
    ANY = "any", "a passage that contradicts or corroborates it"


# More required links than any lesson asks for would lock every student out of submitting.
MAX_REQUIRED_LINKS = 20
# A threshold above any lesson's claim count would mean "never": say so by leaving it empty.
MAX_PEER_CLAIMS = 100


def all_labels():
    return list(Label.values)


class Exercise(models.Model):
    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="exercises")
    title = models.CharField(max_length=200)
    instructions = models.TextField(blank=True)
    articles = models.ManyToManyField(Article, through="ExerciseArticle", related_name="exercises")
    labels = models.JSONField(default=all_labels, help_text="The labels in play.")
    min_contradicting_links = models.PositiveSmallIntegerField(
        default=0, validators=[MaxValueValidator(MAX_REQUIRED_LINKS)], help_text="How many claims each student must link to a passage in another article (of the required relation)."
    )
    required_link_relation = models.CharField(
        max_length=12, choices=RequiredRelation.choices, default=RequiredRelation.CONTRADICTS,
        help_text="What the required links must do: contradict, corroborate, or either.")
    assist_allowed = models.BooleanField(default=False, help_text="Students may see cue-based suggestions.")
    opens = models.DateTimeField(null=True, blank=True)
    due = models.DateTimeField(null=True, blank=True)
    reveal_policy = models.CharField(max_length=12, choices=Reveal.choices, default=Reveal.ON_SUBMIT)
    revealed = models.BooleanField(default=False, help_text="The teacher revealed the key to everyone.")
    discussion = models.BooleanField(default=False, help_text="Every student's work is shown to the class, anonymised.")
    # Null: classmates' work stays closed until discussion mode. A number: each student sees
    # it (anonymised, the key still hidden) once they have made that many claims or submitted.
    peers_after_claims = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(MAX_PEER_CLAIMS)],
        help_text="Open classmates' claims and replies to a student after this many claims of their own "
                  "(or once they submit). Leave empty to keep them closed until discussion mode.")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created", "id"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("classroom:exercise", args=[self.pk])

    def is_open(self, now=None):
        now = now or timezone.now()
        return self.opens is None or self.opens <= now

    def feedback_timing(self):
        """When a student gets the key and their feedback, said to the student."""
        if self.revealed or self.discussion:
            return "The key and your feedback are open now."
        if self.reveal_policy == Reveal.ON_SUBMIT:
            return "You see the key and your feedback as soon as you submit."
        if self.reveal_policy == Reveal.AFTER_DUE:
            due = dateformat.format(timezone.localtime(self.due), "j F Y, H:i T") if self.due else "not set"
            return f"You see the key and your feedback after the due date ({due})."
        return "Your teacher reveals the key and your feedback, usually in class: this page will show a link then."

    def due_for(self, student):
        """The student's due date: their own when the teacher gave them more time, else the exercise's."""
        own = self.extensions.filter(student=student).values_list("due", flat=True).first()
        return own or self.due

    def key_revealed_to(self, submission, due=None):
        """Whether the student whose `submission` (or None) this is may see the key and feedback.
        `due`: that student's due date (due_for), when it may differ from the exercise's."""
        if self.revealed or self.discussion:
            return True
        if self.reveal_policy == Reveal.AFTER_DUE:
            due = due or self.due
            return due is not None and due <= timezone.now()
        if self.reveal_policy == Reveal.ON_SUBMIT:
            return submission is not None and submission.is_submitted
        return False


class ExerciseArticle(models.Model):
    """An article an exercise is read on. The article cannot be deleted while an exercise uses it."""

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE)
    article = models.ForeignKey(Article, on_delete=models.PROTECT)

    class Meta:
        db_table = "classroom_exercise_articles"
        unique_together = [("exercise", "article")]


class Submission(models.Model):
    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="submissions")
    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="submissions")
    submitted = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["exercise", "student"], name="submission_unique")]

    @property
    def is_submitted(self):
        return self.submitted is not None


class LinkReview(models.Model):
    """The teacher's judgement of a student's link in an exercise: whether the passage really
    bears on the claim, whatever the key says (a lesson's key cannot foresee every good link)."""

    link = models.OneToOneField(Link, on_delete=models.CASCADE, related_name="review")
    sound = models.BooleanField()
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    modified = models.DateTimeField(auto_now=True)


class JoinAttempt(models.Model):
    """A wrong join code, kept briefly to slow guessing (per account and per address)."""

    key = models.CharField(max_length=200)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["key", "created"])]


class Extension(models.Model):
    """More time for one student: their own due date, which replaces the exercise's for them."""

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="extensions")
    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="extensions")
    due = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["exercise", "student"], name="extension_unique")]


class TeacherComment(models.Model):
    """The teacher's private word on one student's claim: only that student and the teacher see it."""

    claim = models.ForeignKey(Annotation, on_delete=models.CASCADE, related_name="teacher_comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.TextField()
    created = models.DateTimeField(auto_now_add=True)
    # When the student first opened it (What's new counts the ones they have not).
    read = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created", "id"]
        indexes = [models.Index(fields=["claim", "created"])]


class ScoreOverride(models.Model):
    """The teacher's grade for a student's work, replacing the key's F1 (kept beside it) with a reason."""

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="score_overrides")
    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField(validators=[MaxValueValidator(100)], help_text="Percent, 0 to 100.")
    reason = models.TextField()
    # Raised on every change: a form drawn from an older override is refused, not applied over a newer one.
    version = models.PositiveIntegerField(default=1)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["exercise", "student"], name="score_override_unique")]
