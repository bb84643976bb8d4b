"""End of term: a teacher archives a class; once settings.RETENTION_DAYS have passed, its
students' work is deleted by `manage.py purge_expired` (run from cron).

What a purge removes is the students' part of the class: their claims in its exercises (with
their links, and the replies and read markers on those claims), their submissions and their
memberships. The class, its exercises and the teacher's key stay, so the lesson can be run
again next term. Nothing else of a student's account is touched.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from annotator.annotations.models import Annotation, Link
from annotator.errors import Conflict

from .models import Classroom, Membership, Submission


def archive(classroom):
    """Archive the class: nobody joins it any more and the retention clock starts."""
    with transaction.atomic():
        locked = Classroom.objects.select_for_update().get(pk=classroom.pk)
        if locked.archived is not None:
            raise Conflict(f"{locked.name} is already archived.")
        locked.archived = timezone.now()
        locked.save(update_fields=["archived"])
    classroom.archived = locked.archived
    return classroom


def unarchive(classroom):
    """Bring the class back before its work is purged; after a purge there is nothing to bring back."""
    with transaction.atomic():
        locked = Classroom.objects.select_for_update().get(pk=classroom.pk)
        if locked.archived is None:
            raise Conflict(f"{locked.name} is not archived.")
        if locked.purged is not None:
            raise Conflict(f"The students' work in {locked.name} was already deleted; it cannot come back.")
        locked.archived = None
        locked.save(update_fields=["archived"])
    classroom.archived = None
    return classroom


def expired_classes(now=None):
    """Archived classes whose retention has run out and whose work is not yet deleted."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.RETENTION_DAYS)
    return Classroom.objects.filter(archived__isnull=False, archived__lte=cutoff, purged__isnull=True)


def student_work(classroom):
    """What a purge of `classroom` deletes, as querysets by kind (links and replies go with their claims)."""
    claims = Annotation.objects.filter(exercise__classroom=classroom, is_key=False)
    return {
        "claims": claims,
        "links": Link.objects.filter(source_annotation__in=claims),
        "submissions": Submission.objects.filter(exercise__classroom=classroom),
        "memberships": Membership.objects.filter(classroom=classroom),
    }


def count_work(classroom):
    work = student_work(classroom)
    counts = {kind: queryset.count() for kind, queryset in work.items()}
    # Replies live in a higher app (discussion); counted through the claims' reverse relation.
    counts["replies on them"] = work["claims"].aggregate(n=Count("replies"))["n"]
    return counts


def purge(classroom):
    """Delete `classroom`'s student work in one transaction; return {kind: rows deleted}.

    Refused for a class that is not archived: a purge never reaches a class in use.
    """
    with transaction.atomic():
        locked = Classroom.objects.select_for_update().get(pk=classroom.pk)
        if locked.archived is None:
            raise Conflict(f"{locked.name} is not archived; only an archived class's work can be deleted.")
        work = student_work(locked)
        removed = count_work(locked)
        for kind in ("claims", "submissions", "memberships"):
            work[kind].delete()
        locked.purged = timezone.now()
        locked.save(update_fields=["purged"])
    classroom.purged = locked.purged
    return removed
