"""Every annotation action, once: the JSON API and the htmx pages are thin skins over these.

Each function checks everything before it writes, writes inside one transaction, and
raises an annotator.errors.ServiceError subclass naming the offending field rather than
write part of a change. `data` arguments are plain mappings of field name to value: JSON
values, or strings from a form (offsets given as digit strings are accepted).
"""

from typing import NamedTuple

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Prefetch

from annotator.corpus.models import TEXT_FIELDS, Article
from annotator.errors import Conflict, Duplicate, Forbidden, NotAuthenticated, NotFound, ServiceError, StaleVersion

from .access import visibility_q
from .anchoring import quote_selector
from .contexts import exercise_rules
from .models import Annotation, Link, Relation, Visibility
from .validation import (
    ANNOTATION_CHECKS, KEY_CHECKS, as_choice, as_integer, as_text, check_keys, checked, shown, validate_span,
)

# What a client may send. create_annotation takes the article as its own argument.
ANNOTATION_FIELDS = ("start", "end", "exact", "label", "source", "note", "visibility", "exercise")
EDITABLE_FIELDS = ("label", "source", "note", "visibility")
KEY_FIELDS = ("explanation",)
LINK_FIELDS = ("from", "to_article", "to_start", "to_end", "to_exact", "relation", "note")


# Who may read what (the rule itself is in access.py)


def visible_annotations(user, article=None):
    """The annotations `user` may read, optionally on one `article` (an Article or its slug).

    Loaded so that annotation_json() on any number of them costs the same few queries.
    Raises NotFound (field "article") for an unknown slug.
    """
    annotations = annotation_rows(Annotation.objects.filter(visibility_q(user)))
    if article is not None:
        annotations = annotations.filter(article=_article(article, "article"))
    return annotations


def annotation_rows(annotations):
    """`annotations` with what showing them needs (article, author, links) in a few queries."""
    links = Link.objects.select_related("to_article", "author").defer(*_article_text("to_article"))
    return (
        annotations.select_related("article", "author")
        .defer(*_article_text("article"))
        .prefetch_related(Prefetch("links", queryset=links))
    )


def visible_links(user, to_article=None):
    """Links from claims `user` may read, optionally only those into `to_article` (its backlinks)."""
    links = (
        Link.objects.filter(visibility_q(user, "source_annotation__"))
        .select_related("source_annotation__article", "source_annotation__author", "to_article", "author")
        .defer(*_article_text("source_annotation__article"), *_article_text("to_article"))
    )
    if to_article is not None:
        links = links.filter(to_article=to_article)
    return links


def _article_text(relation):
    # Every row of a list would otherwise carry a copy of its article's full text.
    return [f"{relation}__{name}" for name in TEXT_FIELDS]


def get_annotation(user, annotation_id):
    """One annotation `user` may read, ready to serialize; NotFound otherwise."""
    try:
        return visible_annotations(user).get(pk=as_integer(annotation_id, "id"))
    except Annotation.DoesNotExist:
        raise NotFound(f"Annotation {annotation_id} does not exist or is not visible to you.", "id") from None


# Annotations

def _exercise_fields(user, exercise_id, article, fields, key):
    exercise = exercise_rules().exercise_for_writing(user, exercise_id, article, key)
    exercise_rules().check_label_in_play(exercise, fields["label"])
    # Exercise work stays private; the exercise's reveal rules decide who else sees it.
    return {"exercise": exercise, "is_key": key, "visibility": Visibility.PRIVATE}


def create_annotation(user, article, data, key=False):
    """Save `user`'s claim on `article` (an Article or its slug) and return it.

    data: start, end, exact, label (required); source, note, visibility (default private);
    exercise (an id: the claim is work inside that exercise, private until reveal). With
    `key`, the claim belongs to the exercise's answer key and may carry an explanation.
    An archived article takes claims only inside the exercises that use it (NotFound
    otherwise); the same words with the same label twice, in the same exercise or key, are
    a Duplicate naming the claim that exists.
    """
    _require_signed_in(user)
    check_keys(data, ANNOTATION_FIELDS + (KEY_FIELDS if key else ()), required=("start", "end", "exact", "label"))
    fields = checked(data, ANNOTATION_CHECKS | (KEY_CHECKS if key else {}))
    with transaction.atomic():
        # Locked so that a re-import cannot change the text between this check and the save,
        # and so that a concurrent twin of this claim waits here and then finds this one.
        article = _article(article, "article", lock=True)
        if data.get("exercise") not in (None, "") or key:
            fields.update(_exercise_fields(user, data.get("exercise"), article, fields, key))
        else:
            _check_listed(article, "article")
        start, end = validate_span(article, data["start"], data["end"], data["exact"])
        context = {"exercise": fields.get("exercise"), "is_key": fields.get("is_key", False)}
        twin = Annotation.objects.filter(
            article=article, author=user, start=start, end=end, label=fields["label"], **context
        ).first()
        if twin is not None:
            raise Duplicate(
                f"You already tagged these words as {twin.get_label_display().lower()} (claim {twin.pk}): "
                "edit that claim instead of adding a second one.", None, twin,
            )
        exact, prefix, suffix = quote_selector(article.body, start, end)
        return Annotation.objects.create(
            article=article, start=start, end=end, exact=exact, prefix=prefix, suffix=suffix, author=user, **fields
        )


def update_annotation(user, annotation_id, data, version=None):
    """Change label, source, note or visibility of `user`'s own annotation (PATCH: only the keys given).

    `version` is the claim's version the editor read. When it is given and no longer current,
    nothing is written and StaleVersion carries the claim as it is now: a stale form or client
    cannot undo a newer change. Without it the change is unconditional. A change raises the
    version by one; a save that changes no value leaves the version (and `modified`) alone.
    The span itself cannot be edited: delete the claim and make a new one.
    """
    _require_signed_in(user)
    with transaction.atomic():
        annotation = _own_annotation(user, annotation_id, "id")
        check_keys(data, EDITABLE_FIELDS + KEY_FIELDS)
        changes = checked(data, ANNOTATION_CHECKS | KEY_CHECKS)
        _check_version(annotation, version)
        if annotation.exercise_id:
            if "explanation" in changes and not annotation.is_key:
                raise ServiceError("Only answer-key claims have an explanation.", "explanation")
            if "label" in changes:
                exercise_rules().check_label_in_play(annotation.exercise, changes["label"])
            changes.pop("visibility", None)
        elif "explanation" in changes:
            raise ServiceError("Only answer-key claims have an explanation.", "explanation")
        changes = {name: value for name, value in changes.items() if getattr(annotation, name) != value}
        if changes:
            for name, value in changes.items():
                setattr(annotation, name, value)
            # The row is locked: no other change can read the same version and raise it too.
            annotation.version += 1
            annotation.save(update_fields=[*changes, "version", "modified"])
    return annotation


def delete_annotation(user, annotation_id, version=None):
    """Delete `user`'s own annotation and, with it, its links; return it (its article and
    exercise say which reader to redraw).

    With `version` (the one the deleter read), a claim changed since is not deleted: StaleVersion.
    """
    _require_signed_in(user)
    with transaction.atomic():
        annotation = _own_annotation(user, annotation_id, "id")
        _check_version(annotation, version)
        annotation.delete()
    return annotation


# Links


def create_link(user, data):
    """Link `user`'s own claim data["from"] to a span of another article; return the Link.

    data: from (annotation id), to_article (slug), to_start, to_end, to_exact, relation
    (required); note. The same claim, target span and relation twice is a Conflict. Neither
    end may be an archived article, except a claim's own article inside an exercise.
    """
    _require_signed_in(user)
    check_keys(data, LINK_FIELDS, required=("from",))
    with transaction.atomic():
        claim = _own_annotation(user, data["from"], "from")
        check_keys(data, LINK_FIELDS, required=("from", "to_article", "to_start", "to_end", "to_exact", "relation"))
        relation = as_choice(data["relation"], "relation", Relation)
        note = as_text(data.get("note", ""), "note", settings.NOTE_MAX_LENGTH)
        if not claim.exercise_id:
            _check_listed(Article.objects.only("slug", "archived").get(pk=claim.article_id), "from")
        target = resolve_passage(data, claim, what="A link", lock=True)
        key = {"source_annotation": claim, "to_article": target.article, "to_start": target.start,
               "to_end": target.end, "relation": relation}
        duplicate = Conflict(f"This claim already {relation} that passage.")
        if Link.objects.filter(**key).exists():
            raise duplicate
        try:
            # A concurrent twin may commit between the check and the insert.
            with transaction.atomic():
                return Link.objects.create(**target.fields(), source_annotation=claim, relation=relation, note=note,
                                           author=user)
        except IntegrityError:
            raise duplicate from None


def delete_link(user, link_id):
    """Delete one of `user`'s own links; return it (its claim says which reader to redraw)."""
    _require_signed_in(user)
    with transaction.atomic():
        link = visible_links(user).filter(pk=as_integer(link_id, "id")).first()
        if link is None:
            raise NotFound(f"Link {link_id} does not exist or is not visible to you.", "id")
        if link.author_id != user.pk:
            raise Forbidden("Only the link's author can delete it.", "id")
        link.delete()
    return link


# A passage of another article: a link's target, a reply's "see this"


class Passage(NamedTuple):
    """A checked span of another article, with its quote selector."""

    article: Article
    start: int
    end: int
    exact: str
    prefix: str
    suffix: str

    def fields(self, field_prefix="to_"):
        """The passage as a model's fields: to_article, to_start, to_end, to_exact, to_prefix, to_suffix."""
        return {f"{field_prefix}{name}": value for name, value in self._asdict().items()}


def resolve_passage(data, claim, field_prefix="to_", what="A passage", lock=False):
    """The passage of another article than `claim`'s that `data` names, checked; ServiceError otherwise.

    data: <prefix>article (a slug), <prefix>start, <prefix>end, <prefix>exact, each error
    naming its field. The article must be listed (an archived one takes no new links: the
    NotFound its reader page gives), and not the claim's own: `what` names the thing in
    that message. With `lock` (inside a transaction) the article is locked, so that a
    re-import cannot change its text between this check and the save.
    """
    field = f"{field_prefix}article"
    for name in ("start", "end", "exact"):
        if f"{field_prefix}{name}" not in data:
            raise ServiceError(f"{field_prefix}{name} is required with {field}.", f"{field_prefix}{name}")
    article = _article(data.get(field), field, lock=lock)
    _check_listed(article, field)
    if article.pk == claim.article_id:
        raise ServiceError(f"{what} must point to a different article than its claim's.", field)
    start, end = validate_span(article, data[f"{field_prefix}start"], data[f"{field_prefix}end"],
                               data[f"{field_prefix}exact"], field_prefix)
    return Passage(article, start, end, *quote_selector(article.body, start, end))


# Reading back


def annotation_json(annotation, names):
    """The API's shape of an annotation, its links included (see DESIGN.md), authors named by
    `names` (the classroom's author names, from annotations.contexts: in an exercise,
    anonymised for classmates). One `names` for a whole list reads each exercise's roster once."""
    return {
        "id": annotation.pk,
        "article": annotation.article.slug,
        "start": annotation.start,
        "end": annotation.end,
        "exact": annotation.exact,
        "prefix": annotation.prefix,
        "suffix": annotation.suffix,
        "label": annotation.label,
        "source": annotation.source,
        "note": annotation.note,
        "visibility": annotation.visibility,
        "version": annotation.version,
        "author": names(annotation.author_id, annotation.author.username, annotation.exercise_id),
        "created": annotation.created.isoformat(),
        "modified": annotation.modified.isoformat(),
        "anchor": annotation.anchor,
        "links": [link_json(link, names) for link in annotation.links.all()],
    }


def link_json(link, names):
    """The API's shape of a link, its author named by `names` as in its claim's exercise."""
    return {
        "id": link.pk,
        "from": link.source_annotation_id,
        "relation": link.relation,
        "to_article": link.to_article.slug,
        "to_start": link.to_start,
        "to_end": link.to_end,
        "to_exact": link.to_exact,
        "note": link.note,
        "author": names(link.author_id, link.author.username, link.source_annotation.exercise_id),
        "created": link.created.isoformat(),
        "anchor": link.to_anchor,
    }


# Checks shared by the actions above


def _require_signed_in(user):
    if not user.is_authenticated:
        raise NotAuthenticated("Sign in to change annotations.")


def _own_annotation(user, annotation_id, field):
    """`user`'s annotation, locked for the rest of the transaction (so a link cannot be added
    to it while it is being deleted); NotFound if they cannot see it, Forbidden if not theirs.

    The actions on a claim call this before they look at anything else in the request: to
    someone who may not change the claim, that is the answer, whatever the rest says."""
    annotation_id = as_integer(annotation_id, field)
    try:
        # Only the claim's own row is locked: PostgreSQL refuses FOR UPDATE on the nullable
        # side of the outer joins that the visibility filter brings in.
        annotation = Annotation.objects.select_for_update(of=("self",)).filter(visibility_q(user)).get(pk=annotation_id)
    except Annotation.DoesNotExist:
        raise NotFound(f"Annotation {annotation_id} does not exist or is not visible to you.", field) from None
    if annotation.author_id != user.pk:
        raise Forbidden(f"Annotation {annotation_id} is someone else's; only its author can change or link it.", field)
    if annotation.exercise_id:
        exercise_rules().check_unlocked(user, annotation)
    return annotation


def _check_version(annotation, version):
    """StaleVersion unless `version`, the one the editor read, is `annotation`'s; None is no condition.

    A blank version comes from a form drawn before claims had versions.
    """
    if version is None:
        return
    if version == "":
        raise ServiceError("This form is out of date: reload the page, then edit the claim again.", "version")
    version = as_integer(version, "version")
    if version != annotation.version:
        raise StaleVersion(
            f"This claim was changed elsewhere after you read it: you had version {version}, "
            f"it is now version {annotation.version}. Nothing was saved.", "version", annotation,
        )


def _check_listed(article, field):
    """Refuse new claims and links on an archived article, with the 404 its reader page gives.

    Exercise pages keep showing an article archived under a running exercise, so work inside
    that exercise goes on (see create_annotation); everywhere else it is gone from the lists.
    """
    if article.archived:
        raise NotFound(f"Article {shown(article.slug)} is archived: it takes no new claims or links.", field)


def _article(article, field, lock=False):
    """An Article given as itself or as its slug; read afresh and locked when `lock`."""
    if article is None:
        raise ServiceError(f"{field} is required.", field)
    if isinstance(article, Article):
        if not lock:
            return article
        slug, lookup = article.slug, {"pk": article.pk}
    elif isinstance(article, str):
        slug = as_text(article, field)
        lookup = {"slug": slug}
    else:
        raise ServiceError(f"{field} must be an article's slug.", field)
    articles = Article.objects.defer("raw", "removed")
    try:
        return (articles.select_for_update() if lock else articles).get(**lookup)
    except Article.DoesNotExist:
        raise NotFound(f"No article with slug {shown(slug)}.", field) from None


