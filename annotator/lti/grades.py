"""Scores back to the platform's gradebook through Assignment and Grade Services.

On a student's submission, and again for the whole class when the teacher reveals the key, each
link to the exercise gets the student's latest score in a `GradeSync` row, which is then sent.
A score the student may not see yet (the key is still hidden from them) goes as "submitted,
grading pending", without a number. A send that fails is kept as failed with the platform's
answer, shown to the teacher, and tried again on the next event for that link or by
`manage.py lti_send_grades`.
"""

import logging

import requests
from django.contrib.auth import get_user_model
from django.utils import timezone
from pylti1p3.assignments_grades import AssignmentsGradesService
from pylti1p3.exception import LtiException
from pylti1p3.grade import Grade
from pylti1p3.service_connector import ServiceConnector

from annotator.classroom.grading import exercise_work
from annotator.classroom.matching import percent
from annotator.classroom.models import Submission
from annotator.classroom.review import override_of

from .models import GradeStatus, GradeSync, PlatformUser, ResourceLink
from .tool import TimeoutSession, registration_for

log = logging.getLogger(__name__)
SCORE_MAXIMUM = 100
# A platform's first failure in a batch stops its sends: one that is down would otherwise hold
# the teacher's reveal for every student's timeout in turn. The rest wait for the retry.
SEND_ERRORS = (LtiException, requests.RequestException, ValueError, KeyError)


def score_for(exercise, student):
    """(score out of 100 or None, comment, submitted)."""
    submission = Submission.objects.filter(exercise=exercise, student=student).first()
    submitted = submission is not None and submission.is_submitted
    if not exercise.key_revealed_to(submission, exercise.due_for(student)):
        return None, "Submitted; the score follows when the key is revealed." if submitted else "Not submitted yet.", \
            submitted
    feedback = exercise_work(exercise, student).feedback(student.pk)
    counts, f1 = feedback.counts, feedback.overall.f1
    comment = (f"Found {counts['found']} of {len(feedback.items)} key claims"
               + (f" ({counts['other_label']} more with another label)" if counts["other_label"] else "")
               + f"; {counts['extra']} not in the key. F1 {percent(f1 or 0)}.")
    override = override_of(exercise, student.pk)
    if override is not None:
        # The teacher's word is the grade; the key's figure stays beside it, as on the feedback page.
        return float(override.score), f"Score set by your teacher: {override.reason} ({comment})", submitted
    return round(100 * (f1 or 0), 1), comment, submitted


def record(link, student):
    score, comment, submitted = score_for(link.exercise, student)
    grade, _ = GradeSync.objects.update_or_create(
        link=link, student=student,
        defaults={"score": score, "comment": comment, "status": GradeStatus.PENDING, "error": ""})
    grade.submitted = submitted
    return grade


def send(grades):
    """Send each grade in turn. Returns how many went."""
    connectors, down, sent = {}, set(), 0
    for grade in grades:
        link = grade.link
        platform = link.course.platform
        if platform.pk in down:
            continue
        account = PlatformUser.objects.filter(platform=platform, user=grade.student).first()
        grade.attempts += 1
        if account is None or not link.lineitem_url:
            fail(grade, "The student has never opened Annotator from this platform." if account is None
                 else "The platform gave this link no gradebook column.")
            continue
        try:
            if platform.pk not in connectors:
                connectors[platform.pk] = ServiceConnector(registration_for(platform), TimeoutSession())
            service = AssignmentsGradesService(connectors[platform.pk],
                                               {"scope": link.scopes, "lineitem": link.lineitem_url})
            submitted = getattr(grade, "submitted", None)
            if submitted is None:
                submitted = Submission.objects.filter(exercise=link.exercise, student=grade.student,
                                                      submitted__isnull=False).exists()
            value = (Grade().set_user_id(account.sub).set_timestamp(timezone.now().isoformat())
                     .set_activity_progress("Submitted" if submitted else "InProgress")
                     .set_comment(grade.comment))
            if grade.score is None:
                value.set_grading_progress("Pending")
            else:
                value.set_score_given(grade.score).set_score_maximum(SCORE_MAXIMUM).set_grading_progress("FullyGraded")
            service.put_grade(value)
        except SEND_ERRORS as exc:
            fail(grade, str(exc) or exc.__class__.__name__)
            down.add(platform.pk)
            continue
        grade.status, grade.error, grade.sent = GradeStatus.SENT, "", timezone.now()
        grade.save(update_fields=["status", "error", "attempts", "sent", "updated"])
        sent += 1
    return sent


def fail(grade, error):
    grade.status, grade.error = GradeStatus.FAILED, error[:2000]
    grade.save(update_fields=["status", "error", "attempts", "updated"])
    log.warning("Grade for %s on LTI link %s not sent: %s", grade.student, grade.link_id, grade.error)


def waiting(links):
    """Grades of `links` not yet in the gradebook, oldest first."""
    return list(GradeSync.objects.filter(link__in=links).exclude(status=GradeStatus.SENT)
                .select_related("link__course__platform", "link__exercise", "student").order_by("updated", "pk"))


def graded_links(exercise):
    """The exercise's links that have a gradebook column (a link without one gets no scores)."""
    return (ResourceLink.objects.filter(exercise=exercise).exclude(lineitem_url="")
            .select_related("course__platform", "exercise"))


def on_work_submitted(sender, exercise, student, **kwargs):
    links = [link for link in graded_links(exercise)
             if PlatformUser.objects.filter(platform=link.course.platform, user=student).exists()]
    fresh = [record(link, student) for link in links]
    send(fresh + [g for g in waiting(links) if g.pk not in {f.pk for f in fresh}])


def on_grade_changed(sender, exercise, student=None, **kwargs):
    # One student's score changed by the teacher's hand; changes for the whole class come with
    # key_revealed (a key added to from the class is sent on the next event or by the command).
    if student is not None:
        on_work_submitted(sender, exercise, student)


def on_key_revealed(sender, exercise, **kwargs):
    links = list(graded_links(exercise))
    students = get_user_model().objects.filter(memberships__classroom=exercise.classroom).order_by("pk")
    fresh = []
    for link in links:
        on_platform = set(PlatformUser.objects.filter(platform=link.course.platform, user__in=students)
                          .values_list("user_id", flat=True))
        fresh += [record(link, student) for student in students if student.pk in on_platform]
    send(fresh + [g for g in waiting(links) if g.pk not in {f.pk for f in fresh}])


def revealed_since(links):
    """Scores held back while the key was hidden, recorded again once it is not: a due date
    that passed reveals the key with no event to say so."""
    for grade in GradeSync.objects.filter(link__in=links, score__isnull=True).select_related("link__exercise", "student"):
        submission = Submission.objects.filter(exercise=grade.link.exercise, student=grade.student).first()
        if grade.link.exercise.key_revealed_to(submission):
            record(grade.link, grade.student)


def retry(exercise=None):
    """Send every grade not yet in the gradebook (of one exercise, or all), and the scores a
    passed due date revealed. Returns (sent, left)."""
    links = graded_links(exercise) if exercise is not None else ResourceLink.objects.exclude(lineitem_url="")
    revealed_since(links)
    pending = waiting(links)
    sent = send(pending)
    return sent, len(pending) - sent
