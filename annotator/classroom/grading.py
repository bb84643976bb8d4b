"""An exercise's key and its students' work, read once and graded (see matching.py)."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q

from annotator.annotations.models import Label, Link
from annotator.annotations.services import _article_text
from annotator.corpus.models import TEXT_FIELDS, Article

from .agreement import class_alpha
from .link_review import reviews_of, student_links
from .matching import confusion_matrix, grade


@dataclass
class ExerciseWork:
    exercise: object
    key: list
    key_links: list
    by_student: dict = field(default_factory=lambda: defaultdict(list))
    links_by_student: dict = field(default_factory=lambda: defaultdict(list))
    # The dashboard asks for each student's feedback twice (roster and confusion matrix).
    graded: dict = field(default_factory=dict)
    reviews: dict | None = None  # {link id: LinkReview}, read when first asked for

    def feedback(self, student_id):
        if student_id not in self.graded:
            self.graded[student_id] = grade(self.key, self.by_student.get(student_id, []), self.key_links,
                                            self.links_by_student.get(student_id, []))
        return self.graded[student_id]

    def links_of(self, student_id):
        """The student's links, each with what the key says of it and the teacher's mark."""
        if self.reviews is None:
            self.reviews = reviews_of(self.exercise)
        return student_links(self.feedback(student_id), self.by_student.get(student_id, []),
                             self.links_by_student.get(student_id, []), self.reviews)

    def unsourced(self, student_id):
        """The student's attributed claims that name no source: the guide's first question unanswered."""
        return [c for c in self.by_student.get(student_id, []) if c.label == Label.ATTRIBUTED and not c.source.strip()]

    def spans_on(self, article, student_ids):
        """{student id: their claims on `article`} for every student in `student_ids`."""
        return {sid: [c for c in self.by_student.get(sid, []) if c.article_id == article.pk] for sid in student_ids}

    def alpha(self, article, student_ids):
        spans = self.spans_on(article, student_ids)
        return class_alpha(article.body, spans) if len(spans) >= 2 else None

    def confusion(self, student_ids):
        return confusion_matrix([self.feedback(sid) for sid in student_ids])


def exercise_work(exercise, student=None):
    """Every claim (with its article) and link of the exercise in three queries: the key and
    every student's work, or with `student` the key and that student's work alone.

    Links are read in one query and sorted out here: a class's thousands of claims would
    make Django's per-claim prefetch the slowest part of the dashboard.
    """
    claims, links_of = exercise.annotations.all(), Link.objects.filter(source_annotation__exercise=exercise)
    if student is not None:
        claims = claims.filter(Q(is_key=True) | Q(author=student))
        links_of = links_of.filter(Q(source_annotation__is_key=True) | Q(source_annotation__author=student))
    claims = list(claims.defer("note").select_related("author").order_by("article_id", "start", "end", "id"))
    # A few articles shared by thousands of claims: read once, not joined onto every row.
    articles = Article.objects.defer(*TEXT_FIELDS).in_bulk({c.article_id for c in claims})
    for claim in claims:
        claim.article = articles[claim.article_id]
    links = defaultdict(list)
    for link in (links_of.select_related("to_article")
                 .defer(*_article_text("to_article")).order_by("id")):
        links[link.source_annotation_id].append(link)
    work = ExerciseWork(exercise, key=[c for c in claims if c.is_key],
                        key_links=[link for c in claims if c.is_key for link in links[c.pk]])
    for claim in claims:
        if not claim.is_key:
            work.by_student[claim.author_id].append(claim)
            work.links_by_student[claim.author_id].extend(links[claim.pk])
    return work
