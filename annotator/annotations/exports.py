"""Annotations out of the database: CSV for spreadsheets and W3C Web Annotation JSON-LD.

Every writer is a generator of text chunks over a queryset read with `.iterator()` in
batches, so memory stays flat however many claims there are; the HTTP views and
`manage.py export_annotations` stream the same generators. Rows come in id order.

Annotations CSV, one row per claim, columns in this order:

    id, article, article_title, author, label, source, quote, start, end, prefix, suffix,
    note, visibility, exercise, is_key, explanation, anchor, created, modified, links

`article` is the slug, `quote`/`prefix`/`suffix` the TextQuoteSelector and `start`/`end` the
span in code points. `exercise` is the id of the classroom exercise the claim was made in,
empty when none; `is_key` is 1 for a claim of the exercise's answer key (0 otherwise) and
`explanation` the key's explanation for students.
`author` is the username; exercise work shows the class's anonymous name instead ("Student
B", "Teacher") to whoever may not see usernames (the classroom's author names, through
annotations.contexts).
`created`/`modified` are UTC, ISO 8601 with microseconds (2026-11-03T09:15:02.123456Z).
`links` is for people only (import ignores it): one line per link, as
`contradicts: <other article's title> — “<linked passage>”`.

Links CSV, one row per link, columns in this order:

    id, from, relation, to_article, to_start, to_end, to_quote, to_prefix, to_suffix,
    to_anchor, note, author, created

`from` is the claim's id; `to_anchor` says whether the linked passage is still found
("anchored") or was lost when its article's text changed ("orphaned").

Both are UTF-8 with CRLF row ends (RFC 4180), optionally after a byte order mark, which
Excel needs to read accents and curly quotes. Text cells are spreadsheet-safe: see
escape_cell(). Numbers are written as plain digits.

JSON-LD: one AnnotationCollection whose embedded first page holds every claim (motivation
"tagging") followed by its links (motivation "linking"); docs/export.md has the mapping.
"""

import csv
import io
import json
from itertools import islice

from django.db.models import CharField, Func

from annotator.corpus.models import Article
from annotator.errors import Forbidden, NotAuthenticated, NotFound

from .access import visibility_q
from .contexts import exercise_rules
from .models import Annotation, Link

ANNOTATION_COLUMNS = (
    "id", "article", "article_title", "author", "label", "source", "quote", "start", "end", "prefix",
    "suffix", "note", "visibility", "exercise", "is_key", "explanation", "anchor", "created", "modified", "links",
)
LINK_COLUMNS = (
    "id", "from", "relation", "to_article", "to_start", "to_end", "to_quote", "to_prefix", "to_suffix",
    "to_anchor", "note", "author", "created",
)
BATCH = 2000
BOM = "\ufeff"
ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
JSONLD_CONTENT_TYPE = f'application/ld+json; profile="{ANNO_CONTEXT}"'

# Spreadsheet safety (OWASP, "CSV Injection"): Excel, LibreOffice and Google Sheets run a cell
# as a formula when it starts with one of these, leading white space aside. The full-width
# forms count too: spreadsheets in East Asian locales take them for their ASCII twins.
FORMULA_STARTS = frozenset("=+-@＝＋－＠")
# OWASP's list also has a tab or carriage return first, whatever follows; a line feed is the
# same kind of start.
BREAK_STARTS = frozenset("\t\r\n")
# A leading apostrophe makes a cell text. Cells already starting with one get one more, so
# that dropping exactly one leading apostrophe on import gives back every string unchanged.
ESCAPE = "'"
_ESCAPED_STARTS = FORMULA_STARTS | BREAK_STARTS | {ESCAPE}


def escape_cell(text):
    """`text` made inert for a spreadsheet; unescape_cell() undoes it for every string.

    Every text cell of every CSV the site writes (claims, links, replies, exercise results)
    goes through here.
    """
    first = text[:1]
    if first in _ESCAPED_STARTS or (first.isspace() and text.lstrip()[:1] in FORMULA_STARTS):
        return ESCAPE + text
    return text


def unescape_cell(text):
    return text[1:] if text[:1] == ESCAPE else text


# What is exported


def export_queryset(user, article=None, mine=False, everything=False, exercise=None):
    """The claims an export covers: those `user` may read, narrowed to `article` (a slug)
    and/or to `user`'s own (`mine`) or to one `exercise` (an id: all its work and its key,
    for its teacher); `everything` is every claim, for staff only.

    user=None is the operator of `manage.py export_annotations`, who may export everything.
    Raises NotAuthenticated, Forbidden or NotFound (field "article").
    """
    annotations = Annotation.objects.all()
    if everything:
        if user is not None and not user.is_staff:
            refused = Forbidden if user.is_authenticated else NotAuthenticated
            raise refused("Only staff can export everyone's annotations.", "all")
    elif user is not None:
        annotations = annotations.filter(visibility_q(user))
    if exercise is not None:
        annotations = annotations.filter(exercise=exercise_rules().exercise_for_export(user, exercise))
    if mine:
        if user is None or not user.is_authenticated:
            raise NotAuthenticated("Sign in to export your own annotations.", "mine")
        annotations = annotations.filter(author=user)
    if article is not None:
        if not Article.objects.filter(slug=article).exists():
            raise NotFound(f"No article with slug '{article}'.", "article")
        annotations = annotations.filter(article__slug=article)
    return annotations


def links_of(annotations):
    """The links whose claim is one of `annotations`."""
    return Link.objects.filter(source_annotation__in=annotations.values("pk"))


# Reading rows: plain tuples, not model instances, which would cost most of the time.


class Timestamp(Func):
    """A datetime as exports write it, formatted by the database rather than converted to a
    Python datetime and back for every row: UTC, ISO 8601 with all six digits of microseconds
    (2026-11-03T09:15:02.123456Z), so that text and value map one to one."""

    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra):
        # Django keeps SQLite datetimes as UTC text, "YYYY-MM-DD HH:MM:SS" and ".ffffff" unless zero.
        template = ("substr(%(expressions)s, 1, 10) || 'T' || substr(%(expressions)s, 12, 8) || '.' || "
                    "substr(%(expressions)s || '.000000', 21, 6) || 'Z'")
        return super().as_sql(compiler, connection, template=template, **extra)

    def as_postgresql(self, compiler, connection, **extra):
        template = "to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"
        return super().as_sql(compiler, connection, template=template, **extra)


_CLAIM_FIELDS = (
    "id", "article__slug", "article__title", "author__username", "label", "source", "exact", "start", "end",
    "prefix", "suffix", "note", "visibility", "exercise_id", "is_key", "explanation", "anchor",
    Timestamp("created"), Timestamp("modified"), "author_id",
)
_LINK_FIELDS = (
    "id", "source_annotation_id", "relation", "to_article__slug", "to_start", "to_end", "to_exact", "to_prefix",
    "to_suffix", "to_anchor", "note", "author__username", Timestamp("created"), "to_article__title", "author_id",
    "source_annotation__exercise_id",
)
_CLAIM_EXERCISE = _CLAIM_FIELDS.index("exercise_id")
_LINK_EXERCISE = _LINK_FIELDS.index("source_annotation__exercise_id")


def _claim_rows(annotations):
    return annotations.order_by("id").values_list(*_CLAIM_FIELDS).iterator(chunk_size=BATCH)


def _link_rows(links):
    return links.order_by("id").values_list(*_LINK_FIELDS)


def _claims_with_links(annotations, names):
    """(claim row, [its link rows]) for each claim: one query for the links of each batch,
    and one for the rosters `names` needs of exercises no earlier batch had."""
    rows = _claim_rows(annotations)
    while batch := list(islice(rows, BATCH)):
        links = {}
        for link in _link_rows(Link.objects.filter(source_annotation_id__in=[row[0] for row in batch])):
            links.setdefault(link[1], []).append(link)
        names.load({row[_CLAIM_EXERCISE] for row in batch})
        for row in batch:
            yield row, links.get(row[0], ())


def _links_of_rows(annotations, names):
    """The link rows of `annotations`' links, read in batches, with the rosters `names` needs."""
    rows = _link_rows(links_of(annotations)).iterator(chunk_size=BATCH)
    while batch := list(islice(rows, BATCH)):
        names.load({row[_LINK_EXERCISE] for row in batch})
        yield from batch


# CSV. Each cell of free text, a name or a slug is escaped; labels and other choices,
# timestamps, numbers and the links summary (which starts with a relation) cannot start
# like a formula.


def annotations_csv(annotations, names, bom=False):
    rows = _claims_with_links(annotations, names)
    return _csv(ANNOTATION_COLUMNS, (_claim_cells(row, links, names) for row, links in rows), bom)


def links_csv(annotations, names, bom=False):
    return _csv(LINK_COLUMNS, (_link_cells(row, names) for row in _links_of_rows(annotations, names)), bom)


def _claim_cells(row, links, names):
    (pk, slug, title, author, label, source, exact, start, end, prefix, suffix, note, visibility, exercise, is_key,
     explanation, anchor, created, modified, author_id) = row
    e = escape_cell
    summary = "\n".join(_link_summary(link) for link in links)
    return [pk, e(slug), e(title), e(names(author_id, author, exercise)), label, e(source), e(exact), start, end,
            e(prefix), e(suffix), e(note), visibility, "" if exercise is None else exercise, int(is_key),
            e(explanation), anchor, created, modified, summary]


def _link_summary(link):
    _pk, _claim, relation, _slug, _start, _end, exact, *_, title, _author_id, _exercise = link
    # One line per link: a passage across paragraphs is joined into one line.
    return f"{relation}: {title} — “{' '.join(exact.split())}”"


def _link_cells(row, names):
    (pk, claim, relation, slug, start, end, exact, prefix, suffix, anchor, note, author, created, _title, author_id,
     exercise) = row
    e = escape_cell
    return [pk, claim, relation, e(slug), start, end, e(exact), e(prefix), e(suffix), anchor, e(note),
            e(names(author_id, author, exercise)), created]


def _csv(header, rows, bom):
    """CSV text in chunks of BATCH rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    yield (BOM if bom else "") + _drain(buffer)
    while batch := list(islice(rows, BATCH)):
        writer.writerows(batch)
        yield _drain(buffer)


def _drain(buffer):
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


# W3C Web Annotation JSON-LD


def _collection_head():
    """The collection up to the opening bracket of its page's items."""
    collection = {
        "@context": ANNO_CONTEXT,
        "id": "urn:annotator:export",
        "type": "AnnotationCollection",
        "label": "Annotator annotations",
        "first": {"id": "urn:annotator:export:page-1", "type": "AnnotationPage", "startIndex": 0, "items": []},
    }
    text = json.dumps(collection, indent=2)
    return text[: text.rindex("[]") + 1]


_ITEM_INDENT = "\n      "
ANSWER_KEY = "answer key"


def urn(kind, key):
    return f"urn:annotator:{kind}:{key}"


def annotations_jsonld(annotations, names):
    """An AnnotationCollection of the claims, each followed by its links; "total" comes last
    because it is only known once everything has been streamed."""
    yield _collection_head()
    total = 0
    claims = _claims_with_links(annotations, names)
    while batch := list(islice(claims, BATCH)):
        items = [_compact(item) for row, links in batch
                 for item in (_claim_item(row, names), *(_link_item(link, names) for link in links))]
        yield ("," if total else "") + ",".join(_ITEM_INDENT + item for item in items)
        total += len(items)
    yield f'\n    ]\n  }},\n  "total": {total}\n}}\n'


def _compact(item):
    return json.dumps(item, ensure_ascii=False)


def _claim_item(row, names):
    (pk, slug, _title, author, label, source, exact, start, end, prefix, suffix, note, visibility, exercise, is_key,
     explanation, anchor, created, modified, author_id) = row
    item = {
        "id": urn("annotation", pk),
        "type": "Annotation",
        "motivation": "tagging",
        "created": created,
        "modified": modified,
        "creator": _creator(*names.named(author_id, author, exercise)),
        "audience": {"type": "schema:Audience", "schema:audienceType": visibility},
        "schema:creativeWorkStatus": anchor,
    }
    if exercise is not None:
        item["schema:isPartOf"] = urn("exercise", exercise)
    if is_key:
        item["schema:educationalUse"] = ANSWER_KEY
    item["body"] = [
        _textual("tagging", label),
        *([_textual("identifying", source)] if source else []),
        *([_textual("commenting", note)] if note else []),
        *([_textual("describing", explanation)] if explanation else []),
    ]
    item["target"] = _span(slug, start, end, exact, prefix, suffix)
    return item


def _link_item(row, names):
    (pk, claim, relation, slug, start, end, exact, prefix, suffix, anchor, note, author, created, _title, author_id,
     exercise) = row
    return {
        "id": urn("link", pk),
        "type": "Annotation",
        "motivation": "linking",
        "created": created,
        "creator": _creator(*names.named(author_id, author, exercise)),
        "schema:creativeWorkStatus": anchor,
        "body": [
            _textual("classifying", relation),
            *([_textual("commenting", note)] if note else []),
            _span(slug, start, end, exact, prefix, suffix),
        ],
        "target": urn("annotation", claim),
    }


def _creator(name, real):
    """A Person; only a username is an account's id, an anonymous name ("Student B") is not."""
    if not real:
        return {"type": "Person", "nickname": name}
    return {"id": urn("user", name), "type": "Person", "nickname": name}


def _textual(purpose, value):
    return {"type": "TextualBody", "purpose": purpose, "value": value, "format": "text/plain"}


def _span(slug, start, end, exact, prefix, suffix):
    return {
        "type": "SpecificResource",
        "source": urn("article", slug),
        "selector": [
            {"type": "TextPositionSelector", "start": start, "end": end},
            {"type": "TextQuoteSelector", "exact": exact, "prefix": prefix, "suffix": suffix},
        ],
    }


def export(annotations, fmt="csv", what="annotations", bom=False, viewer=None):
    """The chunks of one export file of `annotations`: fmt "csv" or "jsonld", what
    "annotations" or "links" (CSV only: JSON-LD carries the links beside their claims).

    Authors are named as `viewer` may see them (the classroom's author names: exercise
    work is anonymised for classmates); viewer None is the operator of `manage.py
    export_annotations`, as for export_queryset(), who gets usernames.
    """
    names = exercise_rules().author_names(viewer)
    if fmt == "jsonld":
        if what != "annotations":
            raise ValueError("JSON-LD puts links in the annotations file; there is no links-only JSON-LD.")
        return annotations_jsonld(annotations, names)
    return {"annotations": annotations_csv, "links": links_csv}[what](annotations, names, bom)
