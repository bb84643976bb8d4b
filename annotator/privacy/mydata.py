"""Everything the site holds about one person, as one JSON document or a zip of CSV files.

"About them" means what they wrote or did: their profile, the classes they joined or teach,
their claims (exercise work and answer keys included), links, replies, flags, submissions
with the scores they may see (and the teacher's own score and reason), what their teacher wrote
to them privately, the accounts of an LMS they sign in from, the articles they added and the
suggestions they dismissed.
Other people's words are left out, even on their own claims: a reply by a classmate is the
classmate's data. A score appears once the exercise's key is revealed to the student, as on
their feedback page; before that it would tell them about a key they may not see yet.
"""

import io
import zipfile

from django.db.models import Count

from annotator import csvstream
from annotator.annotations.models import Annotation, Link
from annotator.assist.models import Dismissal
from annotator.classroom import grading
from annotator.classroom.models import (
    Classroom,
    Exercise,
    Membership,
    Submission,
    TeacherComment,
)
from annotator.classroom.review import override_of
from annotator.corpus.models import Article
from annotator.discussion.models import Flag, Reply
from annotator.lti.models import PlatformUser
from annotator.roles import is_teacher

FORMAT_VERSION = 1


def _when(value):
    return value.isoformat() if value else None


def _score(value):
    return None if value is None else round(value, 4)


def profile(user):
    return {
        "id": user.pk, "username": user.get_username(), "first_name": user.first_name,
        "last_name": user.last_name, "email": user.email, "teacher": is_teacher(user), "staff": user.is_staff,
        "date_joined": _when(user.date_joined), "last_login": _when(user.last_login),
    }


def classes_joined(user):
    return [{"class_id": m.classroom_id, "class": m.classroom.name, "teacher": m.classroom.teacher.get_username(),
             "joined": _when(m.joined), "archived": _when(m.classroom.archived)}
            for m in Membership.objects.filter(student=user).select_related("classroom__teacher").order_by("joined")]


def classes_taught(user):
    # Students' names are theirs: a teacher's export counts them and no more.
    taught = Classroom.objects.filter(teacher=user).annotate(
        n_students=Count("memberships", distinct=True), n_exercises=Count("exercises", distinct=True))
    return [{"class_id": c.pk, "class": c.name, "join_code": c.join_code, "created": _when(c.created),
             "archived": _when(c.archived), "students": c.n_students, "exercises": c.n_exercises}
            for c in taught.order_by("created", "pk")]


def claims(user):
    rows = Annotation.objects.filter(author=user).select_related("article").order_by("created", "pk")
    return [{"id": c.pk, "article": c.article.slug, "article_title": c.article.title, "start": c.start, "end": c.end,
             "exact": c.exact, "prefix": c.prefix, "suffix": c.suffix, "label": c.label, "source": c.source,
             "note": c.note, "visibility": c.visibility, "anchor": c.anchor, "exercise": c.exercise_id,
             "answer_key": c.is_key, "explanation": c.explanation, "created": _when(c.created),
             "modified": _when(c.modified)} for c in rows.iterator()]


def links(user):
    rows = Link.objects.filter(author=user).select_related("to_article").order_by("created", "pk")
    return [{"id": k.pk, "from": k.source_annotation_id, "relation": k.relation, "to_article": k.to_article.slug,
             "to_start": k.to_start, "to_end": k.to_end, "to_exact": k.to_exact, "note": k.note,
             "created": _when(k.created)} for k in rows.iterator()]


def replies(user):
    rows = Reply.objects.filter(author=user).select_related("to_article").order_by("created", "pk")
    return [{"id": r.pk, "claim": r.claim_id, "parent": r.parent_id, "text": r.text,
             "to_article": r.to_article.slug if r.to_article_id else None, "to_start": r.to_start,
             "to_end": r.to_end, "to_exact": r.to_exact, "removed": r.removed, "hidden": r.hidden_at is not None,
             "created": _when(r.created), "edited": _when(r.edited)} for r in rows.iterator()]


def flags(user):
    return [{"reply": f.reply_id, "created": _when(f.created)}
            for f in Flag.objects.filter(user=user).order_by("created", "pk")]


def submissions(user):
    """Each exercise the person worked in or submitted, with the score they may see."""
    submitted = {s.exercise_id: s for s in Submission.objects.filter(student=user)}
    worked = set(Annotation.objects.filter(author=user, exercise__isnull=False, is_key=False)
                 .values_list("exercise_id", flat=True))
    rows = []
    for exercise in Exercise.objects.filter(pk__in=worked | set(submitted)).select_related("classroom")\
            .order_by("created", "pk"):
        submission = submitted.get(exercise.pk)
        due = exercise.due_for(user)
        row = {"exercise": exercise.pk, "title": exercise.title, "class": exercise.classroom.name,
               "due": _when(due), "submitted": _when(submission.submitted) if submission else None,
               "precision": None, "recall": None, "f1": None, "teacher_score": None, "score_reason": None,
               "feedback": "not yet revealed"}
        if exercise.key_revealed_to(submission, due):
            overall = grading.exercise_work(exercise, user).feedback(user.pk).overall
            override = override_of(exercise, user.pk)
            row.update(precision=_score(overall.precision), recall=_score(overall.recall), f1=_score(overall.f1),
                       teacher_score=override.score if override else None,
                       score_reason=override.reason if override else None, feedback="revealed")
        rows.append(row)
    return rows


def teacher_comments(user):
    """What a teacher wrote to this person, privately, on their claims: written for them alone."""
    rows = TeacherComment.objects.filter(claim__author=user).select_related("author").order_by("created", "pk")
    return [{"claim": c.claim_id, "teacher": c.author.get_username(), "text": c.text, "created": _when(c.created),
             "read": _when(c.read)} for c in rows]


def lms_accounts(user):
    return [{"platform": p.platform.name, "issuer": p.platform.issuer, "user_id": p.sub}
            for p in PlatformUser.objects.filter(user=user).select_related("platform").order_by("pk")]


def articles_added(user):
    return [{"slug": a.slug, "title": a.title, "source_file": a.source_file, "url": a.url}
            for a in Article.objects.filter(owner=user).only("slug", "title", "source_file", "url").order_by("pk")]


def dismissed_suggestions(user):
    return [{"article": d.article.slug, "start": d.start, "end": d.end, "label": d.label}
            for d in Dismissal.objects.filter(user=user).select_related("article").order_by("pk")]


# The sections of the export, in order: name -> reader. Every list section is also a CSV file.
SECTIONS = {
    "classes_joined": classes_joined, "classes_taught": classes_taught, "claims": claims, "links": links,
    "replies": replies, "flags": flags, "submissions": submissions, "teacher_comments": teacher_comments,
    "articles_added": articles_added, "dismissed_suggestions": dismissed_suggestions, "lms_accounts": lms_accounts,
}


def collect(user):
    """The whole export as one JSON-ready dict."""
    return {"format": "annotator-my-data", "version": FORMAT_VERSION, "profile": profile(user),
            **{name: read(user) for name, read in SECTIONS.items()}}


def _csv_text(header, rows):
    def cell(value):
        return csvstream.escape_cell(value) if isinstance(value, str) else ("" if value is None else value)

    return "".join(csvstream.chunks(header, ([cell(row[name]) for name in header] for row in rows)))


def csv_bundle(data):
    """A zip holding profile.csv (field, value) and one CSV per section of `data` (collect's dict)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bundle:
        bundle.writestr("profile.csv", _csv_text(["field", "value"],
                                                 [{"field": k, "value": v} for k, v in data["profile"].items()]))
        for name in SECTIONS:
            bundle.writestr(f"{name}.csv", _csv_text(COLUMNS[name], data[name]))
    return buffer.getvalue()


# Each section's fields, in order: the CSV's columns (an empty file still says what it would hold).
COLUMNS = {
    "classes_joined": ["class_id", "class", "teacher", "joined", "archived"],
    "classes_taught": ["class_id", "class", "join_code", "created", "archived", "students", "exercises"],
    "claims": ["id", "article", "article_title", "start", "end", "exact", "prefix", "suffix", "label", "source",
               "note", "visibility", "anchor", "exercise", "answer_key", "explanation", "created", "modified"],
    "links": ["id", "from", "relation", "to_article", "to_start", "to_end", "to_exact", "note", "created"],
    "replies": ["id", "claim", "parent", "text", "to_article", "to_start", "to_end", "to_exact", "removed", "hidden",
                "created", "edited"],
    "flags": ["reply", "created"],
    "submissions": ["exercise", "title", "class", "due", "submitted", "precision", "recall", "f1", "teacher_score",
                    "score_reason", "feedback"],
    "teacher_comments": ["claim", "teacher", "text", "created", "read"],
    "lms_accounts": ["platform", "issuer", "user_id"],
    "articles_added": ["slug", "title", "source_file", "url"],
    "dismissed_suggestions": ["article", "start", "end", "label"],
}
