"""A key built from the class: spans many students tagged with one label that the key lacks,
offered to the teacher; an offered span or one student's claim copied into the key.

A span counts as in the key when any key claim matches it (matching.spans_match), whatever
its label: a different label there is a disagreement for the discussion, not a gap in the key.
"""

import math
from bisect import bisect_left
from dataclasses import dataclass
from operator import attrgetter
from types import SimpleNamespace

from django.db import transaction

from annotator.annotations.models import Label
from annotator.corpus.models import Article
from annotator.errors import Conflict, NotFound
from annotator.validation import as_choice, as_text, check_keys

from . import grading
from .matching import spans_match
from .reuse import copy_into_key
from .review import student_claim, taught_exercise
from .signals import announce, grade_changed

MAX_EXPLANATION = 10_000
# Offered when at least this share of the graded students (and never fewer than two) agree.
SHARE = 0.5


@dataclass
class Suggestion:
    article: object
    start: int
    end: int
    exact: str
    label: str
    count: int
    of: int

    def json(self):
        return {"article": self.article.slug, "start": self.start, "end": self.end, "exact": self.exact,
                "label": self.label, "students": self.count, "of": self.of}


def needed(n_students):
    return max(2, math.ceil(n_students * SHARE))


def class_suggestions(work, articles, student_ids):
    """Spans that at least half of `student_ids` tagged with one label and no key claim covers,
    most agreed first. `work` is grading.exercise_work's reading of the exercise."""
    student_ids = list(student_ids)
    least = needed(len(student_ids))
    if len(student_ids) < least:
        return []
    found = []
    for article in articles:
        key = [k for k in work.key if k.article_id == article.pk]
        by_label = {}
        for sid in student_ids:
            for claim in work.by_student.get(sid, []):
                if claim.article_id == article.pk and not any(spans_match(claim, k) for k in key):
                    by_label.setdefault(claim.label, []).append(claim)
        for label, claims in by_label.items():
            found.extend(_agreed(article, label, claims, least, len(student_ids)))
    found.sort(key=lambda s: (-s.count, s.article.pk, s.start))
    return found


def suggestions_for(exercise):
    """class_suggestions over the students the dashboard counts: those who submitted, or all until someone has."""
    members = list(exercise.classroom.memberships.values_list("student_id", flat=True))
    submitted = set(exercise.submissions.filter(submitted__isnull=False).values_list("student_id", flat=True))
    counted = [sid for sid in members if sid in submitted] or members
    return class_suggestions(grading.exercise_work(exercise), exercise.articles.all(), counted)


def _agreed(article, label, claims, least, of):
    """The spans of `claims` (one label, one article) that `least` students share, without two alike."""
    # In start order, so that only the claims that can overlap a candidate are compared with it:
    # a dashboard of 200 students would otherwise compare every claim with every other.
    claims = sorted(claims, key=attrgetter("start"))
    starts = [c.start for c in claims]
    longest = max(c.end - c.start for c in claims)
    candidates = {(c.start, c.end): c for c in claims}.values()
    counted = []
    for candidate in candidates:
        near = claims[bisect_left(starts, candidate.start - longest):bisect_left(starts, candidate.end)]
        students = {c.author_id for c in near if spans_match(candidate, c)}
        if len(students) >= least:
            counted.append((len(students), candidate))
    counted.sort(key=lambda pair: (-pair[0], pair[1].end - pair[1].start, pair[1].start))
    chosen = []
    for count, candidate in counted:
        if not any(spans_match(candidate, c) for c in chosen):
            chosen.append(candidate)
            yield Suggestion(article, candidate.start, candidate.end, candidate.exact, label, count, of)


def _explanation(data):
    return as_text(data.get("explanation", ""), "explanation", MAX_EXPLANATION).strip()


def _into_key(user, exercise, article, span, explanation, label=None):
    with transaction.atomic():
        claim = copy_into_key(user, exercise, article, span, explanation=explanation, label=label)
        if claim is None:
            raise Conflict("The key already has these words with this label.", "start")
        announce(grade_changed, exercise, student=None)
    return claim


def accept_suggestion(user, exercise_id, data):
    """Copy the span `{"article", "start", "end", "exact", "label", "explanation"?}` into the key."""
    exercise = taught_exercise(user, exercise_id)
    check_keys(data, ("article", "start", "end", "exact", "label", "explanation"),
               required=("article", "start", "end", "exact", "label"))
    slug = as_text(data["article"], "article", 200)
    article = exercise.articles.filter(slug=slug).first()
    if article is None:
        raise NotFound(f"This exercise has no article {slug!r}.", "article")
    span = SimpleNamespace(**{name: data[name] for name in ("start", "end", "exact", "label")})
    return _into_key(user, exercise, article, span, _explanation(data))


def promote_claim(user, claim_id, data):
    """Copy one student's claim into its exercise's key `{"explanation"?, "label"?}` (its own label by default)."""
    claim = student_claim(user, claim_id)
    check_keys(data, ("explanation", "label"))
    label = as_choice(data["label"], "label", Label) if "label" in data else None
    article = Article.objects.get(pk=claim.article_id)
    return _into_key(user, claim.exercise, article, claim, _explanation(data), label)


def key_claim_json(claim):
    return {"id": claim.pk, "article": claim.article.slug, "start": claim.start, "end": claim.end,
            "exact": claim.exact, "label": claim.label, "source": claim.source, "explanation": claim.explanation,
            "exercise": claim.exercise_id}
