"""End of term: the teacher archives a class, is warned on the class page, and `purge_expired`
deletes the students' work once the retention days have passed (dry run first)."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from annotator.annotations.models import Annotation, Link
from annotator.classroom.models import Classroom, Membership, Submission
from annotator.classroom.services import submit
from annotator.discussion import services as discussion
from annotator.discussion.models import Reply

from .factories import client_for, make_link, make_teacher

pytestmark = pytest.mark.django_db


def purge(*args):
    out = StringIO()
    call_command("purge_expired", *args, stdout=out, stderr=out)
    return out.getvalue()


def archived_days_ago(classroom, days):
    Classroom.objects.filter(pk=classroom.pk).update(archived=timezone.now() - timedelta(days=days))
    classroom.refresh_from_db()


@pytest.fixture
def term(lesson):
    """The lesson with sam's link and submission and kim's reply on sam's claim."""
    make_link(lesson["sam"], lesson["sams"], lesson["b"], "PressTV claimed")
    submit(lesson["sam"], lesson["exercise"])
    lesson["exercise"].discussion = True
    lesson["exercise"].save(update_fields=["discussion"])
    discussion.create_reply(lesson["kim"], lesson["sams"].pk, {"text": "Which readout?"})
    return lesson


def student_rows(classroom):
    return (Annotation.objects.filter(exercise__classroom=classroom, is_key=False).count(),
            Submission.objects.filter(exercise__classroom=classroom).count(),
            Membership.objects.filter(classroom=classroom).count())


def test_archiving_warns_the_teacher_on_the_class_page_with_the_date(term, settings):
    settings.RETENTION_DAYS = 45
    client = client_for(term["teacher"])
    url = f"/classes/{term['classroom'].pk}/"
    assert "45 days later its students' work is deleted" in client.get(url).content.decode()
    response = client.post(f"/classes/{term['classroom'].pk}/archive/", {"archived": "1"}, follow=True)
    due = (timezone.now() + timedelta(days=45)).strftime("%-d %B %Y")
    page = response.content.decode()
    assert "This class is archived." in page and f"On {due}" in page and "Bring the class back" in page


def test_bringing_a_class_back_cancels_the_purge(term, settings):
    settings.RETENTION_DAYS = 0
    client = client_for(term["teacher"])
    client.post(f"/classes/{term['classroom'].pk}/archive/", {"archived": "1"})
    client.post(f"/classes/{term['classroom'].pk}/archive/", {"archived": "0"})
    term["classroom"].refresh_from_db()
    assert term["classroom"].archived is None
    assert "nothing" in purge() and student_rows(term["classroom"]) == (2, 1, 3)


def test_an_archive_request_without_a_choice_changes_nothing(term):
    client = client_for(term["teacher"])
    response = client.post(f"/classes/{term['classroom'].pk}/archive/", {"archived": "yes"}, follow=True)
    assert "Choose to archive the class or to bring it back." in response.content.decode()
    term["classroom"].refresh_from_db()
    assert term["classroom"].archived is None


def test_another_teacher_cannot_archive_the_class(term):
    other = make_teacher("other")
    assert client_for(other).post(f"/classes/{term['classroom'].pk}/archive/", {"archived": "1"}).status_code == 404
    term["classroom"].refresh_from_db()
    assert term["classroom"].archived is None


def test_an_archived_class_takes_no_new_students(term):
    client = client_for(term["teacher"])
    client.post(f"/classes/{term['classroom'].pk}/archive/", {"archived": "1"})
    response = client_for(term["outsider"]).post("/classes/join/", {"code": "maple-otter-42"}, follow=True)
    assert "is archived for the end of term" in response.content.decode()
    assert not Membership.objects.filter(student=term["outsider"]).exists()


def test_a_dry_run_says_what_would_go_and_deletes_nothing(term, settings):
    settings.RETENTION_DAYS = 30
    archived_days_ago(term["classroom"], 31)
    out = purge("--dry-run")
    assert "Would delete from class" in out and "2 claims, 1 links, 1 submissions, 3 memberships, 1 replies on them" in out
    assert "Nothing was deleted (dry run)." in out
    assert student_rows(term["classroom"]) == (2, 1, 3) and Reply.objects.count() == 1


def test_purge_deletes_expired_student_work_and_keeps_the_exercises_and_key(term, settings):
    settings.RETENTION_DAYS = 30
    archived_days_ago(term["classroom"], 31)
    out = purge()
    assert "Deleted 2 claims, 1 links, 1 submissions, 3 memberships, 1 replies on them in 1 class(es)." in out
    assert student_rows(term["classroom"]) == (0, 0, 0)
    assert not Link.objects.exists() and not Reply.objects.exists()
    assert Annotation.objects.filter(pk=term["key"].pk).exists() and term["exercise"].__class__.objects.exists()
    term["classroom"].refresh_from_db()
    assert term["classroom"].purged is not None
    # The class page says it is done, and a second run finds nothing.
    page = client_for(term["teacher"]).get(f"/classes/{term['classroom'].pk}/").content.decode()
    assert "The students' work was deleted on" in page
    assert "Deleted nothing in 0 class(es)." in purge()


def test_the_retention_days_are_a_setting(term, settings):
    archived_days_ago(term["classroom"], 10)
    settings.RETENTION_DAYS = 11
    assert "nothing" in purge("--dry-run")
    settings.RETENTION_DAYS = 9
    assert "Would delete from class" in purge("--dry-run")


def test_purging_a_class_that_is_not_archived_is_refused_and_deletes_nothing(term):
    for args in (["--class", str(term["classroom"].pk)], ["--class", str(term["classroom"].pk), "--dry-run"]):
        with pytest.raises(CommandError, match="is not archived; nothing was deleted"):
            purge(*args)
    with pytest.raises(CommandError, match="No class has id 999"):
        purge("--class", "999")
    assert student_rows(term["classroom"]) == (2, 1, 3)


def test_a_named_archived_class_is_purged_before_its_time_and_only_once(term):
    archived_days_ago(term["classroom"], 1)
    assert "Deleted 2 claims" in purge("--class", str(term["classroom"].pk))
    with pytest.raises(CommandError, match="was already purged"):
        purge("--class", str(term["classroom"].pk))


def test_a_purged_class_cannot_be_brought_back(term):
    archived_days_ago(term["classroom"], 1)
    purge("--class", str(term["classroom"].pk))
    response = client_for(term["teacher"]).post(f"/classes/{term['classroom'].pk}/archive/", {"archived": "0"},
                                                 follow=True)
    assert "was already deleted; it cannot come back" in response.content.decode()
