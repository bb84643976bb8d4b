"""Deleting an account, and what happens to what others depend on.

Who may: the person, the teacher of a class the person is a student in (not another
teacher's account), and staff (not a superuser's account, which only a superuser removes).
Nobody may delete an account that teaches a class still holding students or their work:
that work is the students', and it goes only by the retention rule (archive, then
`purge_expired`) or when the students delete their own accounts.

What goes, in one transaction: everything the person wrote — claims (exercise work and
answer keys), their links, replies, flags, dismissed suggestions, submissions, memberships,
the classes they teach (empty of students by the rule above, so only their own exercises and
keys go with them) — the sign-in records that name them (django-axes, join-code throttle) and
their sessions on every device.

What others depended on, and why it is handled so:
- Replies by others on the person's claims go with the claims. A claim kept under "deleted
  account" would keep the person's words and the span they chose, which is what a family asks
  to have erased; a thread without its claim would answer nothing.
- Others' answers to the person's replies (on anyone's claim) are kept and become top-level
  replies of the same thread: the words are theirs, and the thread still has its claim.
- In each class the person was a student of, a Departure row records that a student left (with
  no name): their work leaves the roster, scores, charts and downloads, and the dashboard says
  why the numbers changed.
- Articles the person added stay (the corpus is shared reading) with no owner; staff may
  delete them as before.
"""

from dataclasses import dataclass, field

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from annotator.annotations.models import Annotation, Link
from annotator.assist.models import Dismissal
from annotator.classroom import throttle
from annotator.classroom.models import (
    Classroom,
    Departure,
    JoinAttempt,
    Membership,
    Submission,
)
from annotator.corpus.models import Article
from annotator.discussion.models import Flag, Reply
from annotator.errors import Conflict, NotFound, ServiceError


@dataclass
class Plan:
    """What deleting `account` would do: counts by kind of what goes and what stays, and why it
    may not happen yet (`blockers`, each a sentence)."""

    account: object
    removed: dict = field(default_factory=dict)
    kept: dict = field(default_factory=dict)
    blockers: list = field(default_factory=list)


def may_delete(actor, account):
    """Whether `actor` may delete `account` (see the module's docstring)."""
    if not actor.is_authenticated:
        return False
    if actor.pk == account.pk:
        return True
    if account.is_superuser:
        return actor.is_superuser
    if actor.is_staff:
        return True
    return (not account.is_staff and not Classroom.objects.filter(teacher=account).exists()
            and Membership.objects.filter(student=account, classroom__teacher=actor).exists())


def account_for(actor, account_id):
    """The account `actor` may delete; NotFound otherwise, so ids tell a stranger nothing."""
    account = get_user_model().objects.filter(pk=account_id).first()
    if account is None or not may_delete(actor, account):
        raise NotFound("There is no account here that you may delete.")
    return account


def plan(account):
    taught = Classroom.objects.filter(teacher=account)
    others_work = Annotation.objects.filter(exercise__classroom__in=taught, is_key=False).exclude(author=account)
    blockers = []
    busy = taught.filter(Q(memberships__isnull=False) | Q(exercises__annotations__in=others_work)
                         | Q(exercises__submissions__isnull=False)).distinct()
    for classroom in busy:
        blockers.append(f"This account teaches {classroom.name}, which still has students or their work. Archive the "
                        "class at the end of term; once its students' work is deleted (or every student has left), "
                        "the account can be deleted.")
    claims = Annotation.objects.filter(author=account)
    removed = {
        "claims": claims.count(),
        "of them exercise work": claims.filter(exercise__isnull=False, is_key=False).count(),
        "of them answer-key claims": claims.filter(is_key=True).count(),
        "links": Link.objects.filter(Q(author=account) | Q(source_annotation__author=account)).count(),
        "replies": Reply.objects.filter(author=account).count(),
        "replies by others on these claims": Reply.objects.filter(claim__author=account).exclude(author=account).count(),
        "submissions": Submission.objects.filter(student=account).count(),
        "class memberships": Membership.objects.filter(student=account).count(),
        "classes taught (with their exercises and keys)": taught.count(),
        "flags": Flag.objects.filter(user=account).count(),
        "dismissed suggestions": Dismissal.objects.filter(user=account).count(),
    }
    kept = {
        "answers by others to these replies (moved to the top of their thread)":
            Reply.objects.filter(parent__author=account).exclude(author=account).exclude(claim__author=account).count(),
        "articles added (kept, with no owner)": Article.objects.filter(owner=account).count(),
    }
    return Plan(account, removed, kept, blockers)


def _end_sessions(account):
    """Delete the account's sessions on every device: a session only names its user inside its
    encoded data, so each live one is read (a school's site holds a few thousand at most)."""
    signed_in = [session.pk for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
                 if session.get_decoded().get(SESSION_KEY) == str(account.pk)]
    Session.objects.filter(pk__in=signed_in).delete()


def delete_account(actor, account_id, confirm):
    """Delete the account `account_id` for `actor`, who typed `confirm` (the account's username).

    Everything is checked before anything is written; the whole deletion is one transaction,
    so a crash leaves the account either whole or gone. Returns the Plan it carried out.
    """
    if not isinstance(confirm, str):
        raise ServiceError("confirm must be the account's username, as text.", "confirm")
    with transaction.atomic():
        account = account_for(actor, account_id)
        # Locked first: two deletions of one account, or a deletion racing a new claim, queue here.
        get_user_model().objects.select_for_update().filter(pk=account.pk).first()
        if confirm != account.get_username():
            raise ServiceError(f"Type the username {account.get_username()} exactly to confirm.", "confirm")
        carried_out = plan(account)
        if carried_out.blockers:
            raise Conflict(" ".join(carried_out.blockers))
        Departure.objects.bulk_create(
            [Departure(classroom_id=pk) for pk in
             Membership.objects.filter(student=account).values_list("classroom_id", flat=True)])
        Reply.objects.filter(parent__author=account).exclude(author=account).update(parent=None)
        JoinAttempt.objects.filter(key=throttle.keys_for(account)["account"]).delete()
        for record in (AccessAttempt, AccessFailureLog, AccessLog):
            record.objects.filter(username=account.get_username()).delete()
        _end_sessions(account)
        account.delete()
    return carried_out
