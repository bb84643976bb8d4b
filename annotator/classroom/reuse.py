"""Reusing a teacher's work: an exercise copied to another class or term, an earlier exercise's
key brought into a new one, and more time for one student (their own due date).

Copied key claims and their links go through annotations.services like any claim the teacher
tags, so they are checked and anchored as if written again; a key claim whose words are no
longer in the article (orphaned) is left behind and counted.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from annotator.annotations import services as annotations
from annotator.annotations.models import Anchor
from annotator.errors import Conflict, Duplicate, NotFound, ServiceError
from annotator.validation import as_integer, as_text, check_keys

from .models import Classroom, Exercise, Extension
from .review import student_of, taught_exercise

# What a copy takes from its exercise: the lesson, not its dates or what happened in it.
COPIED_FIELDS = ("instructions", "labels", "min_contradicting_links", "assist_allowed", "reveal_policy",
                 "peers_after_claims")


@dataclass
class KeyCopy:
    copied: int = 0
    already: int = 0  # the same claim is in the key already
    orphaned: int = 0  # its words are no longer in the article
    elsewhere: int = 0  # on an article the exercise does not use

    def message(self):
        parts = [f"{self.copied} key claim{'s' if self.copied != 1 else ''} copied"]
        for count, why in ((self.already, "already in the key"), (self.orphaned, "whose words left the article"),
                           (self.elsewhere, "on articles this exercise does not use")):
            if count:
                parts.append(f"{count} {why}")
        return "; ".join(parts) + "."

    def json(self):
        return {"copied": self.copied, "already": self.already, "orphaned": self.orphaned,
                "elsewhere": self.elsewhere}


def _taught_classroom(user, classroom_id):
    classroom_id = as_integer(classroom_id, "classroom")
    classroom = Classroom.objects.filter(pk=classroom_id, teacher=user).first()
    if classroom is None:
        raise NotFound(f"No class {classroom_id} of yours.", "classroom")
    return classroom


def copy_exercise(user, exercise_id, data):
    """A copy of `user`'s exercise in their class data["classroom"] (the same class for next term):
    its articles, instructions, settings and key; no dates, no students' work, not revealed.
    data: classroom (required), title (default: the same title)."""
    source = taught_exercise(user, exercise_id)
    check_keys(data, ("classroom", "title"), required=("classroom",))
    classroom = _taught_classroom(user, data["classroom"])
    title = as_text(data.get("title", ""), "title", 200).strip() or source.title
    with transaction.atomic():
        copy = Exercise.objects.create(classroom=classroom, title=title,
                                       **{name: getattr(source, name) for name in COPIED_FIELDS})
        copy.articles.set(source.articles.all())
        result = _copy_key(user, source, copy)
    return copy, result


def reuse_key(user, exercise_id, data):
    """Bring the key of `user`'s earlier exercise data["from"] into exercise `exercise_id`,
    for the articles both use. Claims already in the key are left as they are."""
    target = taught_exercise(user, exercise_id)
    check_keys(data, ("from",), required=("from",))
    source = taught_exercise(user, data["from"], "from")
    if source.pk == target.pk:
        raise ServiceError("Choose another exercise: this one's key is already here.", "from")
    with transaction.atomic():
        return _copy_key(user, source, target)


def _copy_key(user, source, target):
    result = KeyCopy()
    articles = set(target.articles.values_list("pk", flat=True))
    for claim in source.annotations.filter(is_key=True).select_related("article").prefetch_related("links__to_article"):
        if claim.article_id not in articles:
            result.elsewhere += 1
            continue
        if claim.anchor == Anchor.ORPHANED:
            result.orphaned += 1
            continue
        copied = copy_into_key(user, target, claim.article, claim, explanation=claim.explanation)
        if copied is None:
            result.already += 1
            continue
        result.copied += 1
        for link in claim.links.all():
            if link.to_anchor == Anchor.ORPHANED:
                continue
            annotations.create_link(user, {
                "from": copied.pk, "relation": link.relation, "note": link.note, "to_article": link.to_article.slug,
                "to_start": link.to_start, "to_end": link.to_end, "to_exact": link.to_exact})
    return result


def copy_into_key(user, exercise, article, span, explanation="", label=None):
    """Tag `span` (anything with start, end, exact, label, source) in `exercise`'s key; None if
    the key has it already. The one way a claim enters a key from elsewhere (a copied
    exercise, a reused key, the class's suggestion, a promoted student claim)."""
    data = {"start": span.start, "end": span.end, "exact": span.exact, "label": label or span.label,
            "source": getattr(span, "source", ""), "exercise": exercise.pk, "explanation": explanation}
    try:
        with transaction.atomic():
            return annotations.create_annotation(user, article, data, key=True)
    except Duplicate:
        return None


def other_exercises(user, exercise):
    """`user`'s other exercises sharing an article with `exercise` and having a key: what it may reuse."""
    return (Exercise.objects.filter(classroom__teacher=user, articles__in=exercise.articles.all(),
                                    annotations__is_key=True)
            .exclude(pk=exercise.pk).select_related("classroom").distinct().order_by("-created"))


def panel(user, exercise):
    """What the dashboard's reuse panel offers: the classes to copy to, the keys to reuse, who has more time."""
    return {"my_classes": Classroom.objects.filter(teacher=user), "reusable": other_exercises(user, exercise),
            "extensions": exercise.extensions.select_related("student").order_by("due")}


# More time for one student


def _when(value, field):
    if isinstance(value, str):
        parsed = parse_datetime(value.strip())
        if parsed is not None:
            return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)
    raise ServiceError(f"{field} must be a date and time such as 2026-05-04T15:30.", field)


def give_more_time(user, exercise_id, student_id, data):
    """The student's own due date `{"due": ISO date-time}`, later than the exercise's."""
    exercise = taught_exercise(user, exercise_id)
    student = student_of(exercise, student_id)
    check_keys(data, ("due",), required=("due",))
    due = _when(data["due"], "due")
    if exercise.due is not None and due <= exercise.due:
        raise ServiceError("More time means a due date after the exercise's own.", "due")
    if exercise.opens is not None and due <= exercise.opens:
        raise ServiceError("The due date must come after the opening date.", "due")
    extension, _ = Extension.objects.update_or_create(exercise=exercise, student=student, defaults={"due": due})
    return extension


def take_back_time(user, exercise_id, student_id):
    exercise = taught_exercise(user, exercise_id)
    student = student_of(exercise, student_id)
    deleted, _ = Extension.objects.filter(exercise=exercise, student=student).delete()
    if not deleted:
        raise Conflict("This student has no due date of their own.", "student")


def extension_json(exercise, student, extension):
    return {"exercise": exercise.pk, "student": student.pk,
            "due": (extension.due if extension else exercise.due).isoformat() if (extension or exercise.due) else None,
            "own": extension is not None}
