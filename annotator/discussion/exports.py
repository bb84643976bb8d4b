"""Replies out of the database, beside the annotations export (annotator.annotations.exports).

CSV, one row per reply, columns in this order:

    id, claim, parent, article, author, text, to_article, to_start, to_end, to_quote,
    to_anchor, hidden, deleted, created, modified

`claim` is the id of the claim replied to (the `id` of the annotations CSV), `parent` the
reply answered, empty for a top-level reply; `to_*` the optional "see this" passage of
another article, with `to_anchor` "orphaned" once a change to that article's text lost it
(the quote is kept). `hidden` is 1 for a reply the teacher hid (only its author and the teacher
export it), `deleted` 1 for the empty placeholder of a reply deleted after others answered it.
Text cells are spreadsheet-safe with the same escape_cell() as the annotations CSV.

JSON-LD: an AnnotationCollection of W3C Web Annotations with motivation "replying", whose
target is the claim (`urn:annotator:annotation:<id>`, as in the annotations export) or, for
an answer, the reply it answers (`urn:annotator:reply:<id>`); the "see this" passage is a
second body, a SpecificResource with the same selectors as a link's target.

Names follow classroom.visibility.AuthorNames, as in the annotations export: inside an
exercise replies are anonymised ("Student B", "Teacher") for everyone but their own author,
the exercise's teacher and staff, who export usernames.
"""

import csv
import datetime
import io
import json
from itertools import islice

from annotator.annotations.exports import ANNO_CONTEXT, escape_cell, urn
from annotator.annotations.validation import as_integer
from annotator.classroom.visibility import AuthorNames

from . import services

REPLY_COLUMNS = (
    "id", "claim", "parent", "article", "author", "text", "to_article", "to_start", "to_end", "to_quote",
    "to_anchor", "hidden", "deleted", "created", "modified",
)
BATCH = 2000
BOM = "\ufeff"
_FIELDS = (
    "id", "claim_id", "parent_id", "claim__article__slug", "author_id", "author__username", "text",
    "to_article__slug", "to_start", "to_end", "to_exact", "to_prefix", "to_suffix", "to_anchor", "hidden_at",
    "removed",
    "created", "modified", "claim__exercise_id",
)
EXERCISE = _FIELDS.index("claim__exercise_id")


def export_queryset(user, article=None, exercise=None):
    """The replies `user` may read, narrowed to one article (a slug) or one exercise (an id)."""
    from annotator.corpus.models import Article
    from annotator.errors import NotFound

    replies = services.visible_replies(user)
    if article is not None:
        if not Article.objects.filter(slug=article).exists():
            raise NotFound(f"No article with slug '{article}'.", "article")
        replies = replies.filter(claim__article__slug=article)
    if exercise is not None:
        replies = replies.filter(claim__exercise_id=as_integer(exercise, "exercise"))
    return replies


def _rows(user, replies):
    names = AuthorNames(user)
    rows = replies.order_by("id").values_list(*_FIELDS).iterator(chunk_size=BATCH)
    while batch := list(islice(rows, BATCH)):
        names.load({row[EXERCISE] for row in batch})
        for row in batch:
            (pk, claim, parent, slug, author_id, username, text, to_slug, to_start, to_end, to_exact, to_prefix,
             to_suffix, to_anchor, hidden_at, removed, created, modified, exercise_id) = row
            name, real = names.named(author_id, username, exercise_id)
            yield {"id": pk, "claim": claim, "parent": parent, "article": slug, "author": name, "real": real,
                   "text": text, "to_article": to_slug, "to_start": to_start, "to_end": to_end,
                   "to_exact": to_exact, "to_prefix": to_prefix, "to_suffix": to_suffix, "to_anchor": to_anchor,
                   "hidden": hidden_at is not None, "removed": removed, "created": timestamp(created),
                   "modified": timestamp(modified)}


def timestamp(value):
    """UTC, ISO 8601 with microseconds, as the annotations export writes times."""
    return value.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def replies_csv(user, replies, bom=False):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(REPLY_COLUMNS)
    yield (BOM if bom else "") + _drain(buffer)
    rows = _rows(user, replies)
    e = escape_cell
    while batch := list(islice(rows, BATCH)):
        for r in batch:
            has_passage = r["to_article"] is not None and r["to_start"] is not None
            writer.writerow([
                r["id"], r["claim"], "" if r["parent"] is None else r["parent"], e(r["article"]), e(r["author"]),
                e(r["text"]), e(r["to_article"] or "") if has_passage else "",
                r["to_start"] if has_passage else "", r["to_end"] if has_passage else "",
                e(r["to_exact"]) if has_passage else "", r["to_anchor"] if has_passage else "",
                int(r["hidden"]), int(r["removed"]), r["created"],
                r["modified"],
            ])
        yield _drain(buffer)


def _drain(buffer):
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def replies_jsonld(user, replies):
    head = json.dumps({
        "@context": ANNO_CONTEXT,
        "id": "urn:annotator:export:replies",
        "type": "AnnotationCollection",
        "label": "Annotator replies",
        "first": {"id": "urn:annotator:export:replies:page-1", "type": "AnnotationPage", "startIndex": 0,
                  "items": []},
    }, indent=2)
    yield head[: head.rindex("[]") + 1]
    total = 0
    rows = _rows(user, replies)
    while batch := list(islice(rows, BATCH)):
        items = [json.dumps(_item(r), ensure_ascii=False) for r in batch]
        yield ("," if total else "") + ",".join("\n      " + item for item in items)
        total += len(items)
    yield f'\n    ]\n  }},\n  "total": {total}\n}}\n'


def _item(r):
    creator = {"type": "Person", "nickname": r["author"]}
    if r["real"]:
        creator = {"id": urn("user", r["author"]), **creator}
    body = []
    if not r["removed"]:
        body.append({"type": "TextualBody", "purpose": "replying", "value": r["text"], "format": "text/plain"})
    if r["to_article"] is not None and r["to_start"] is not None:
        body.append({
            "type": "SpecificResource",
            "purpose": "linking",
            "source": urn("article", r["to_article"]),
            "selector": [
                {"type": "TextPositionSelector", "start": r["to_start"], "end": r["to_end"]},
                {"type": "TextQuoteSelector", "exact": r["to_exact"], "prefix": r["to_prefix"],
                 "suffix": r["to_suffix"]},
            ],
            "schema:creativeWorkStatus": r["to_anchor"],
        })
    item = {
        "id": urn("reply", r["id"]),
        "type": "Annotation",
        "motivation": "replying",
        "created": r["created"],
        "modified": r["modified"],
        "creator": creator,
        "body": body,
        "target": urn("reply", r["parent"]) if r["parent"] else urn("annotation", r["claim"]),
    }
    if r["hidden"] or r["removed"]:
        item["schema:creativeWorkStatus"] = "deleted" if r["removed"] else "hidden"
    return item
