"""Annotations out of the database: CSV for spreadsheets and W3C Web Annotation JSON-LD.

Every writer is a generator of text chunks over a queryset read with `.iterator()` in
batches, so memory stays flat however many claims there are; the HTTP views and
`manage.py export_annotations` stream the same generators. Rows come in id order.

Annotations CSV, one row per claim, columns in this order:

    id, article, article_title, author, label, source, quote, start, end, prefix, suffix,
    note, visibility, exercise, is_key, explanation, anchor, created, modified, links, source_slug

`article` is the slug, `quote`/`prefix`/`suffix` the TextQuoteSelector and `start`/`end` the
span in code points. `exercise` is the id of the classroom exercise the claim was made in,
empty when none; `is_key` is 1 for a claim of the exercise's answer key (0 otherwise) and
`explanation` the key's explanation for students.
`author` is the username; exercise work shows the class's anonymous name instead ("Student
B", "Teacher") to whoever may not see usernames (the classroom's author names, through
annotations.contexts).
`created`/`modified` are UTC, ISO 8601 with microseconds (2026-11-03T09:15:02.123456Z).
`links` is for people only (import ignores it): one line per link, as
`contradicts: <other article's title> — “<linked passage>”`. `source_slug` (import ignores it
too) is the slug of the Source one of whose aliases the `source` text is, matched when the
file is written; empty when none is.

Links CSV, one row per link, columns in this order:

    id, from, relation, to_article, to_start, to_end, to_quote, to_prefix, to_suffix,
    to_anchor, note, author, created

`from` is the claim's id; `to_anchor` says whether the linked passage is still found
("anchored") or was lost when its article's text changed ("orphaned").

Both are UTF-8 with CRLF row ends (RFC 4180), optionally after a byte order mark, which
Excel needs to read accents and curly quotes, written by annotator.csvstream. Text cells are
spreadsheet-safe: see csvstream.escape_cell() and its inverse unescape_cell(). Numbers are
written as plain digits.

Sources CSV, one row per Source in name order, columns in this order:

    slug, name, kind, aliases, claims, attributed, editorialized, disputed, corroborates, contradicts,
    articles

`aliases` one per line (the name among them); the counts are of the exported claims matched to
the source (by label), of their links (by relation) and of the articles those claims are in,
the same counts as the sources page shows.

JSON-LD: one AnnotationCollection whose embedded first page holds every claim (motivation
"tagging") followed by its links (motivation "linking"); docs/export.md has the mapping.
"""

import json
from collections import namedtuple
from itertools import chain, islice
from operator import attrgetter

from django.db.models import CharField, Count, Func
from django.db.models.sql.constants import MULTI

from annotator import csvstream
from annotator.corpus.models import Article, Outlet
from annotator.csvstream import BATCH, escape_cell
from annotator.errors import Forbidden, NotAuthenticated, NotFound

from .access import visibility_q
from .contexts import exercise_rules
from .models import Annotation, Label, Link, Relation, Source, SourceKind
from .sources import claim_counts, source_matcher

ANNOTATION_COLUMNS = (
    "id", "article", "article_title", "author", "label", "source", "quote", "start", "end", "prefix",
    "suffix", "note", "visibility", "exercise", "is_key", "explanation", "anchor", "created", "modified", "links",
    "source_slug",
)
LINK_COLUMNS = (
    "id", "from", "relation", "to_article", "to_start", "to_end", "to_quote", "to_prefix", "to_suffix",
    "to_anchor", "note", "author", "created",
)
SOURCE_COLUMNS = (
    "slug", "name", "kind", "aliases", "claims", *Label.values, *Relation.values, "articles",
)
ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
JSONLD_CONTENT_TYPE = f'application/ld+json; profile="{ANNO_CONTEXT}"'

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


# Reading rows: named tuples whose fields are the query's own (row.article__slug), not model
# instances, which would cost most of the time.


class Timestamp(Func):
    """A datetime as exports write it, formatted by the database rather than converted to a
    Python datetime and back for every row: UTC, ISO 8601 with all six digits of microseconds
    (2026-11-03T09:15:02.123456Z), so that text and value map one to one."""

    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra):
        # Django keeps SQLite datetimes as UTC text, "YYYY-MM-DD HH:MM:SS" and ".ffffff" unless zero.
        # Replacing the space is the cheapest form SQLite evaluates, a tenth of an export's reading.
        template = "replace(%(expressions)s, ' ', 'T') || iif(length(%(expressions)s) = 19, '.000000Z', 'Z')"
        return super().as_sql(compiler, connection, template=template, **extra)

    def as_postgresql(self, compiler, connection, **extra):
        template = "to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"
        return super().as_sql(compiler, connection, template=template, **extra)


def named_rows(queryset, fields, times=("created", "modified")):
    """`queryset` in id order as named rows of `fields`, plus each datetime field of `times` as
    Timestamp text under its name with "_iso" added (row.created_iso)."""
    # The times come last, after the plain fields, as Django orders annotations anyway:
    # rows then need no reordering.
    formatted = {f"{name}_iso": Timestamp(name) for name in times}
    return queryset.annotate(**formatted).order_by("id").values_list(*fields, *formatted, named=True)


def streamed(queryset):
    """The rows of `queryset` (from named_rows()) as named tuples, read BATCH at a time straight
    from the database driver (a server-side cursor where there is one), so memory stays flat.

    Django's per-row converters are skipped, most of an export's time otherwise: named_rows()
    reads integers, text and times already formatted as text. Only a boolean comes back as the
    driver has it (1 on SQLite, True on PostgreSQL); the writers pass it through int().
    """
    query = queryset.query
    # The order of the SELECT: the fields, then the annotations (see named_rows()).
    row = namedtuple("Row", [*query.values_select, *query.annotation_select])
    chunks = query.get_compiler(using=queryset.db).execute_sql(MULTI, chunked_fetch=True, chunk_size=BATCH)
    for chunk in chunks:
        yield from map(row._make, chunk)


def batches_with_rosters(rows, names, exercise_field):
    """`rows` in lists of BATCH, each given once the author names `names` hold the rosters of
    its rows' exercises (the `exercise_field` of each row), so that naming costs no query per row."""
    exercise_of = attrgetter(exercise_field)
    while batch := list(islice(rows, BATCH)):
        names.load({exercise_of(row) for row in batch})
        yield batch


_CLAIM_FIELDS = (
    "id", "article__slug", "article__title", "author_id", "author__username", "label", "source", "exact", "start",
    "end", "prefix", "suffix", "note", "visibility", "exercise_id", "is_key", "explanation", "anchor",
    "article__language", "article__outlet",
)
_LINK_FIELDS = (
    "id", "source_annotation_id", "source_annotation__exercise_id", "relation", "to_article__slug",
    "to_article__title", "to_start", "to_end", "to_exact", "to_prefix", "to_suffix", "to_anchor", "note", "author_id",
    "author__username", "to_article__language", "to_article__outlet",
)


def _link_rows(links):
    return named_rows(links, _LINK_FIELDS, times=("created",))


def _claims_with_links(annotations, names):
    """(claim row, [its link rows]) for each claim, and the rosters `names` needs of exercises
    no earlier batch had: the claims and their links are read side by side, both in the
    claims' id order, in two queries whatever the count."""
    rows = streamed(named_rows(annotations, _CLAIM_FIELDS))
    links = streamed(_link_rows(links_of(annotations)).order_by("source_annotation_id", "id"))
    link = next(links, None)
    for batch in batches_with_rosters(rows, names, "exercise_id"):
        for row in batch:
            # A tuple, not a list: most claims have no link, and an empty tuple is one shared
            # object, where a million empty lists keep the garbage collector busy.
            own = ()
            while link is not None and link.source_annotation_id <= row.id:
                if link.source_annotation_id == row.id:
                    own += (link,)
                link = next(links, None)
            yield row, own


def _links_of_rows(annotations, names):
    """The link rows of `annotations`' links, read in batches, with the rosters `names` needs."""
    rows = streamed(_link_rows(links_of(annotations)))
    return chain.from_iterable(batches_with_rosters(rows, names, "source_annotation__exercise_id"))


# CSV. Each cell of free text, a name or a slug is escaped; labels and other choices,
# timestamps, numbers and the links summary (which starts with a relation) cannot start
# like a formula.


def annotations_csv(annotations, names, bom=False):
    rows = _claims_with_links(annotations, names)
    matched = source_matcher()
    return csvstream.chunks(ANNOTATION_COLUMNS, (_claim_cells(row, links, names, matched) for row, links in rows), bom)


def links_csv(annotations, names, bom=False):
    rows = _links_of_rows(annotations, names)
    return csvstream.chunks(LINK_COLUMNS, (_link_cells(row, names) for row in rows), bom)


def _claim_cells(row, links, names, matched):
    e = escape_cell
    source = matched(row.source)
    exercise = row.exercise_id
    author = names(row.author_id, row.author__username, exercise)
    # A tuple of strings and numbers, which the garbage collector stops tracking (a list it never does).
    return (row.id, e(row.article__slug), e(row.article__title), e(author), row.label, e(row.source), e(row.exact),
            row.start, row.end, e(row.prefix), e(row.suffix), e(row.note), row.visibility,
            "" if exercise is None else exercise, int(row.is_key), e(row.explanation), row.anchor, row.created_iso,
            row.modified_iso, "\n".join(_link_summary(link) for link in links), e(source.slug) if source else "")


def sources_csv(annotations, bom=False):
    """Every Source with its aliases and how many of `annotations` (and their links) it is named by.

    The claims are counted as the sources page counts them (sources.claim_counts), their links
    by the claim's source text and relation, each text matched the same way: two grouped
    queries whatever the number of claims.
    """
    listed = list(Source.objects.prefetch_related("aliases").order_by("name", "pk"))
    counts = claim_counts(annotations, listed)
    matched = source_matcher(listed)
    links = (links_of(annotations).exclude(source_annotation__source="")
             .values_list("source_annotation__source", "relation").annotate(n=Count("pk")).order_by())
    for text, relation, n in links:
        source = matched(text)
        if source is not None:
            tally = counts.setdefault(source.pk, {})  # a claim may have been written since the first query
            tally[relation] = tally.get(relation, 0) + n
    rows = ([escape_cell(source.slug), escape_cell(source.name), source.kind,
             escape_cell("\n".join(alias.alias for alias in source.aliases.all())),
             *(counts.get(source.pk, {}).get(column, 0) for column in SOURCE_COLUMNS[4:])]
            for source in listed)
    return csvstream.chunks(SOURCE_COLUMNS, rows, bom)


def _link_summary(link):
    # One line per link: a passage across paragraphs is joined into one line.
    return f"{link.relation}: {link.to_article__title} — “{' '.join(link.to_exact.split())}”"


def _link_cells(row, names):
    e = escape_cell
    author = names(row.author_id, row.author__username, row.source_annotation__exercise_id)
    return [row.id, row.source_annotation_id, row.relation, e(row.to_article__slug), row.to_start, row.to_end,
            e(row.to_exact), e(row.to_prefix), e(row.to_suffix), row.to_anchor, e(row.note), e(author),
            row.created_iso]


# W3C Web Annotation JSON-LD


_ITEM_INDENT = "\n      "
ANSWER_KEY = "answer key"


def urn(kind, key):
    return f"urn:annotator:{kind}:{key}"


def collection(identifier, label, items):
    """The text, in chunks, of an AnnotationCollection `identifier` whose one embedded page holds
    `items` (dicts, written compact, one a line); "total" comes last because it is only known
    once everything has been streamed."""
    head = json.dumps({
        "@context": ANNO_CONTEXT,
        "id": identifier,
        "type": "AnnotationCollection",
        "label": label,
        "first": {"id": f"{identifier}:page-1", "type": "AnnotationPage", "startIndex": 0, "items": []},
    }, indent=2)
    yield head[: head.rindex("[]") + 1]
    total = 0
    while batch := [json.dumps(item, ensure_ascii=False) for item in islice(items, BATCH)]:
        yield ("," if total else "") + ",".join(_ITEM_INDENT + item for item in batch)
        total += len(batch)
    yield f'\n    ]\n  }},\n  "total": {total}\n}}\n'


def annotations_jsonld(annotations, names):
    """The claims, each followed by its links."""
    matched = source_matcher()
    profiles = outlet_profiles()
    items = (item for row, links in _claims_with_links(annotations, names)
             for item in (_claim_item(row, names, matched, profiles), *(_link_item(link, names, profiles)
                                                                       for link in links)))
    return collection("urn:annotator:export", "Annotator annotations", items)


def _claim_item(row, names, matched, profiles):
    exercise = row.exercise_id
    item = {
        "id": urn("annotation", row.id),
        "type": "Annotation",
        "motivation": "tagging",
        "created": row.created_iso,
        "modified": row.modified_iso,
        "creator": creator(*names.named(row.author_id, row.author__username, exercise)),
        "audience": {"type": "schema:Audience", "schema:audienceType": row.visibility},
        "schema:creativeWorkStatus": row.anchor,
    }
    if exercise is not None:
        item["schema:isPartOf"] = urn("exercise", exercise)
    if row.is_key:
        item["schema:educationalUse"] = ANSWER_KEY
    item["body"] = [
        textual("tagging", row.label),
        *([textual("identifying", row.source)] if row.source else []),
        *([source_body(matched(row.source))] if matched(row.source) else []),
        *([textual("commenting", row.note)] if row.note else []),
        *([textual("describing", row.explanation)] if row.explanation else []),
    ]
    item["target"] = span(row.article__slug, row.start, row.end, row.exact, row.prefix, row.suffix,
                          language=row.article__language, publisher=publisher(row.article__outlet, profiles))
    return item


def _link_item(row, names, profiles):
    return {
        "id": urn("link", row.id),
        "type": "Annotation",
        "motivation": "linking",
        "created": row.created_iso,
        "creator": creator(*names.named(row.author_id, row.author__username, row.source_annotation__exercise_id)),
        "schema:creativeWorkStatus": row.to_anchor,
        "body": [
            textual("classifying", row.relation),
            *([textual("commenting", row.note)] if row.note else []),
            passage_to(row, profiles),
        ],
        "target": urn("annotation", row.source_annotation_id),
    }


def source_body(source):
    """The Source a claim is attributed to, as a body identifying who made the claimed statement."""
    kind = "schema:Person" if source.kind == SourceKind.PERSON else "schema:Organization"
    return {"id": urn("source", source.slug), "type": kind, "purpose": "identifying", "schema:name": source.name}


def outlet_profiles():
    """{case-folded name: Outlet} of every profile, read once for a whole file (see publisher())."""
    return {outlet.name.casefold(): outlet for outlet in Outlet.objects.all()}


def passage_to(row, profiles, purpose=None):
    """The passage of another article a row points to (a link's target, a reply's "see this"),
    from its fields `to_article__slug`, `to_start`, `to_end`, `to_exact`, `to_prefix`,
    `to_suffix`, `to_article__language` and `to_article__outlet`: described as a claim's own
    article is, with its language and publisher."""
    return span(row.to_article__slug, row.to_start, row.to_end, row.to_exact, row.to_prefix, row.to_suffix,
                purpose=purpose, language=row.to_article__language,
                publisher=publisher(row.to_article__outlet, profiles))


def publisher(outlet, profiles):
    """The outlet an article names, as the schema:publisher of the article: its name as written,
    and, when teachers wrote its profile (`profiles`: {case-folded name: Outlet}), the profile."""
    if not outlet:
        return None
    profile = profiles.get(outlet.casefold())
    if profile is None:
        return {"type": "schema:Organization", "schema:name": outlet}
    facts = {"schema:additionalType": profile.get_kind_display(), "schema:ownershipFundingInfo": profile.owner,
             "schema:location": profile.country, "schema:description": profile.notes}
    return {"id": urn("outlet", profile.slug), "type": "schema:Organization", "schema:name": profile.name,
            **{name: value for name, value in facts.items() if value}}


def creator(name, real):
    """A Person; only a username is an account's id, an anonymous name ("Student B") is not."""
    if not real:
        return {"type": "Person", "nickname": name}
    return {"id": urn("user", name), "type": "Person", "nickname": name}


def textual(purpose, value):
    return {"type": "TextualBody", "purpose": purpose, "value": value, "format": "text/plain"}


def span(slug, start, end, exact, prefix, suffix, purpose=None, language="", publisher=None):
    """A passage of the article `slug`, by position and by quote; `purpose` says why a body
    points there; `language` is the article's BCP 47 tag (the Web Annotation `language`).
    With a `publisher` (see publisher()) the source is the article described, not its bare id."""
    article = urn("article", slug)
    return {
        "type": "SpecificResource",
        **({"purpose": purpose} if purpose else {}),
        "source": {"id": article, "type": "Text", "schema:publisher": publisher} if publisher else article,
        **({"language": language} if language else {}),
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
