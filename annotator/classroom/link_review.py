"""Each student's links in an exercise, beside what the key says of them and the teacher's
judgement of each (sound or not).

The key can only credit the links it foresaw (matching.py); a student may meet a link
requirement with any passage. So the dashboard and the feedback page list every link with
the key's view of it, and the teacher marks each one sound or not: the student sees that mark.
"""

from dataclasses import dataclass

from django.db import transaction

from annotator.annotations.models import Link
from annotator.errors import NotFound, ServiceError

from .models import Exercise, LinkReview

AGREES, ELSEWHERE, NO_KEY_LINK, NOT_IN_KEY = "agrees", "elsewhere", "no_key_link", "not_in_key"
AGREEMENT_TEXT = {
    AGREES: "the key links the same passage",
    ELSEWHERE: "the key links this claim to another passage",
    NO_KEY_LINK: "the key has no link for this claim",
    NOT_IN_KEY: "this claim is not in the key",
}
VERDICTS = {"sound": True, "unsound": False, "clear": None}


@dataclass
class StudentLink:
    link: Link
    claim: object
    agreement: str
    review: LinkReview | None

    @property
    def agreement_text(self):
        return AGREEMENT_TEXT[self.agreement]


def student_links(feedback, claims, links, reviews):
    """StudentLink for each of a student's `links` (from their `claims`), in claim order.

    feedback: their graded Feedback; reviews: {link id: LinkReview}.
    """
    credited = {r.student_link.pk for r in feedback.link_results if r.credited}
    paired = {item.student.pk: item for item in feedback.items if item.student is not None}
    by_claim = {c.pk: c for c in claims}
    rows = []
    for link in links:
        claim = by_claim[link.source_annotation_id]
        if link.pk in credited:
            agreement = AGREES
        elif claim.pk in paired:
            agreement = ELSEWHERE if paired[claim.pk].links else NO_KEY_LINK
        else:
            agreement = NOT_IN_KEY
        rows.append(StudentLink(link, claim, agreement, reviews.get(link.pk)))
    order = {c.pk: n for n, c in enumerate(claims)}
    rows.sort(key=lambda r: (order[r.claim.pk], r.link.pk))
    return rows


def reviews_of(exercise):
    """{link id: LinkReview} for every reviewed link of the exercise's students."""
    return {r.link_id: r for r in LinkReview.objects.filter(link__source_annotation__exercise=exercise)}


def review_link(user, exercise_id, link_id, verdict):
    """Mark a student's link in an exercise `user` teaches as sound or not ("clear" forgets the
    mark); return the link with its review (None once cleared)."""
    exercise = Exercise.objects.filter(pk=exercise_id, classroom__teacher_id=getattr(user, "pk", None)).first()
    if exercise is None:
        raise NotFound("No exercise of yours here.", "exercise")
    link = (Link.objects.select_related("to_article", "source_annotation")
            .filter(pk=link_id, source_annotation__exercise=exercise, source_annotation__is_key=False).first())
    if link is None:
        raise NotFound("No student's link of this exercise here.", "link")
    if verdict not in VERDICTS:
        raise ServiceError("Mark the link sound or not sound.", "verdict")
    with transaction.atomic():
        if VERDICTS[verdict] is None:
            LinkReview.objects.filter(link=link).delete()
            link.reviewed = None
        else:
            link.reviewed, _ = LinkReview.objects.update_or_create(
                link=link, defaults={"sound": VERDICTS[verdict], "reviewer": user})
    return link
