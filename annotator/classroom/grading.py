"""An exercise's key and its students' work, read once and graded (see matching.py)."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch

from annotator.annotations.models import Link

from .agreement import class_alpha
from .matching import confusion_matrix, grade


@dataclass
class ExerciseWork:
    exercise: object
    key: list
    key_links: list
    by_student: dict = field(default_factory=lambda: defaultdict(list))
    links_by_student: dict = field(default_factory=lambda: defaultdict(list))

    def feedback(self, student_id):
        return grade(self.key, self.by_student.get(student_id, []), self.key_links,
                     self.links_by_student.get(student_id, []))

    def spans_on(self, article, student_ids):
        """{student id: their claims on `article`} for every student in `student_ids`."""
        return {sid: [c for c in self.by_student.get(sid, []) if c.article_id == article.pk] for sid in student_ids}

    def alpha(self, article, student_ids):
        spans = self.spans_on(article, student_ids)
        return class_alpha(article.body, spans) if len(spans) >= 2 else None

    def confusion(self, student_ids):
        return confusion_matrix([self.feedback(sid) for sid in student_ids])


def exercise_work(exercise):
    """Every claim and link of the exercise in three queries."""
    claims = list(
        exercise.annotations.defer("note").select_related("author")
        .prefetch_related(Prefetch("links", queryset=Link.objects.select_related("to_article")))
        .order_by("article_id", "start", "end", "id")
    )
    work = ExerciseWork(exercise, key=[c for c in claims if c.is_key],
                        key_links=[link for c in claims if c.is_key for link in c.links.all()])
    for claim in claims:
        if not claim.is_key:
            work.by_student[claim.author_id].append(claim)
            work.links_by_student[claim.author_id].extend(claim.links.all())
    return work
