"""Replies out of the database, beside the annotations export (annotator.annotations.exports).

CSV, one row per reply, columns in this order:

    id, claim, parent, article, author, text, to_article, to_start, to_end, to_quote,
    to_anchor, hidden, deleted, created, modified

`claim` is the id of the claim replied to (the `id` of the annotations CSV), `parent` the
reply answered, empty for a top-level reply; `to_*` the optional "see this" passage of
another article, with `to_anchor` "orphaned" once a change to that article's text lost it
(the quote is kept). `hidden` is 1 for a reply the teacher hid (only its author and the teacher
export it), `deleted` 1 for the empty placeholder of a reply deleted after others answered it.
Text cells are spreadsheet-safe with csvstream.escape_cell(), as in every CSV of the site.

JSON-LD: an AnnotationCollection of W3C Web Annotations with motivation "replying", whose
target is the claim (`urn:annotator:annotation:<id>`, as in the annotations export) or, for
an answer, the reply it answers (`urn:annotator:reply:<id>`); the "see this" passage is a
second body, a SpecificResource made as a link's target is (annotations.exports.passage_to):
the same selectors, its article's language and, when the article names its outlet, the
article described with its `schema:publisher`.

Names follow classroom.visibility.AuthorNames, as in the annotations export: inside an
exercise replies are anonymised ("Student B", "Teacher") for everyone but their own author,
the exercise's teacher and staff, who export usernames.
"""

from itertools import chain

from annotator import csvstream
from annotator.annotations.exports import (
    batches_with_rosters,
    collection,
    creator,
    named_rows,
    outlet_profiles,
    passage_to,
    textual,
    urn,
)
from annotator.annotations.validation import as_integer
from annotator.classroom.visibility import AuthorNames
from annotator.corpus.models import Article
from annotator.csvstream import escape_cell
from annotator.errors import NotFound

from . import services

REPLY_COLUMNS = (
    "id", "claim", "parent", "article", "author", "text", "to_article", "to_start", "to_end", "to_quote",
    "to_anchor", "hidden", "deleted", "created", "modified",
)
_FIELDS = (
    "id", "claim_id", "parent_id", "claim__article__slug", "claim__exercise_id", "author_id", "author__username",
    "text", "to_article__slug", "to_start", "to_end", "to_exact", "to_prefix", "to_suffix", "to_anchor",
    "hidden_at", "removed", "to_article__language", "to_article__outlet",
)


def export_queryset(user, article=None, exercise=None):
    """The replies `user` may read, narrowed to one article (a slug) or one exercise (an id)."""
    replies = services.visible_replies(user)
    if article is not None:
        if not Article.objects.filter(slug=article).exists():
            raise NotFound(f"No article with slug '{article}'.", "article")
        replies = replies.filter(claim__article__slug=article)
    if exercise is not None:
        replies = replies.filter(claim__exercise_id=as_integer(exercise, "exercise"))
    return replies


def _rows(replies, names):
    """The named rows of `replies`, with the rosters `names` needs to name their authors."""
    rows = named_rows(replies, _FIELDS).iterator(chunk_size=csvstream.BATCH)
    return chain.from_iterable(batches_with_rosters(rows, names, "claim__exercise_id"))


def _has_passage(row):
    return row.to_article__slug is not None and row.to_start is not None


def replies_csv(user, replies, bom=False):
    names = AuthorNames(user)
    return csvstream.chunks(REPLY_COLUMNS, (_cells(row, names) for row in _rows(replies, names)), bom)


def _cells(row, names):
    e = escape_cell
    author = names(row.author_id, row.author__username, row.claim__exercise_id)
    passage = ([e(row.to_article__slug), row.to_start, row.to_end, e(row.to_exact), row.to_anchor]
               if _has_passage(row) else ["", "", "", "", ""])
    return [row.id, row.claim_id, "" if row.parent_id is None else row.parent_id, e(row.claim__article__slug),
            e(author), e(row.text), *passage, int(row.hidden_at is not None), int(row.removed), row.created_iso,
            row.modified_iso]


def replies_jsonld(user, replies):
    names, profiles = AuthorNames(user), outlet_profiles()
    items = (_item(row, names, profiles) for row in _rows(replies, names))
    return collection("urn:annotator:export:replies", "Annotator replies", items)


def _item(row, names, profiles):
    body = []
    if not row.removed:
        body.append(textual("replying", row.text))
    if _has_passage(row):
        body.append({**passage_to(row, profiles, purpose="linking"), "schema:creativeWorkStatus": row.to_anchor})
    item = {
        "id": urn("reply", row.id),
        "type": "Annotation",
        "motivation": "replying",
        "created": row.created_iso,
        "modified": row.modified_iso,
        "creator": creator(*names.named(row.author_id, row.author__username, row.claim__exercise_id)),
        "body": body,
        "target": urn("reply", row.parent_id) if row.parent_id else urn("annotation", row.claim_id),
    }
    if row.hidden_at is not None or row.removed:
        item["schema:creativeWorkStatus"] = "deleted" if row.removed else "hidden"
    return item
