"""Annotations into the database from the files exports.py writes.

plan_import() reads a whole file (an annotations CSV, a links CSV, told apart by the header,
or JSON-LD) and checks every row against the database without writing anything: the plan
lists every problem with its row, or everything the import would create. ImportPlan.apply()
writes it in one transaction. A row whose id already exists with the same content is
"unchanged", so importing a file twice creates nothing the second time; the same id with
other content is a problem. Ids and timestamps are kept, so export, import into an empty
database and export again gives the same bytes. Authors missing from the database become
inactive accounts without a usable password, under names that sign-up would accept.

A row to be written is held to the rules the API writes by: its fields are checked by
annotations.validation, and work inside an exercise by the exercise rules (annotations.contexts; the answer key is
the teacher's, other work a class member's, on the exercise's articles). Rules about when
live work may change (the exercise not open yet, work already submitted) do not apply to
restoring an export: see _Checker._exercise_rules.

A span whose offsets no longer fit its article is found again by its quote (see
anchoring.locate); an orphaned span is imported as it was exported.
"""

import csv
import io
import json
import re
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.db import connection, transaction

from annotator.corpus.models import Article
from annotator.csvstream import unescape_cell
from annotator.errors import ServiceError

from .anchoring import BodyDiff, locate, quote_selector
from .contexts import exercise_rules
from .exports import ANNOTATION_COLUMNS, ANSWER_KEY, LINK_COLUMNS, urn
from .models import Anchor, Annotation, Link, Relation, Visibility
from .validation import ANNOTATION_CHECKS, KEY_CHECKS, as_choice, as_integer, as_text, shown, validate_span

BATCH = 500
MAX_OFFSET = 2**31 - 1  # PositiveIntegerField on every database
MAX_ID = 10**18 - 1  # as many digits as as_integer reads; ids stay far below
# CSV columns written for people and ignored here, and those a file may leave out.
DERIVED_COLUMNS = {"article_title", "links", "source_slug"}
OPTIONAL_COLUMNS = {"exercise": "", "is_key": "0", "explanation": ""}  # and their values when left out
NUMBERS = {"id", "start", "end", "exercise", "is_key", "from", "to_start", "to_end"}
# A record's keys are the model's field names; these CSV columns are named otherwise.
CSV_NAMES = {"exact": "quote", "to_exact": "to_quote"}
CLAIM_KEYS = {CSV_NAMES.get(key, key): key for key in (
    "id", "article", "author", "label", "source", "exact", "start", "end", "prefix", "suffix", "note",
    "visibility", "exercise", "is_key", "explanation", "anchor", "created", "modified")}
LINK_KEYS = {CSV_NAMES.get(key, key): key for key in (
    "id", "from", "relation", "to_article", "to_start", "to_end", "to_exact", "to_prefix", "to_suffix",
    "to_anchor", "note", "author", "created")}
assert set(CLAIM_KEYS) == set(ANNOTATION_COLUMNS) - DERIVED_COLUMNS and set(LINK_KEYS) == set(LINK_COLUMNS)


@dataclass
class Problem:
    where: str
    message: str

    def __str__(self):
        return f"{self.where}: {self.message}"


@dataclass
class ImportPlan:
    """What importing one file would do. `claims` and `links` are (id, field values) to create."""

    kind: str = "file"
    problems: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    claims: list = field(default_factory=list)
    links: list = field(default_factory=list)
    accounts: list = field(default_factory=list)
    unchanged_claims: int = 0
    unchanged_links: int = 0

    def problem(self, where, message):
        self.problems.append(Problem(where, message))

    @property
    def created(self):
        return len(self.claims) + len(self.links)

    @property
    def unchanged(self):
        return self.unchanged_claims + self.unchanged_links

    def apply(self):
        """Write everything planned, all or nothing. Only for a plan without problems."""
        if self.problems:
            raise ValueError("A plan with problems cannot be applied.")
        with transaction.atomic():
            users = _accounts(self.accounts, {f["author__username"] for _, f in self.claims + self.links})
            _create(Annotation, self.claims, users, ("created", "modified"))
            _create(Link, self.links, users, ("created",))
            # Rows inserted with their own ids leave PostgreSQL's id sequences behind.
            with connection.cursor() as cursor:
                for statement in connection.ops.sequence_reset_sql(no_style(), [Annotation, Link]):
                    cursor.execute(statement)


def plan_import(data):
    """The ImportPlan for the bytes of an exported file; reads the database, writes nothing."""
    plan = ImportPlan()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        plan.problem(f"line {line}", f"the file is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset "
                                     f"{exc.start}); save it as UTF-8 and import it again")
        return plan
    if not text.strip():
        plan.problem("file", "the file is empty")
        return plan
    is_json = text.lstrip()[:1] in ("{", "[")
    claims, links = (_read_jsonld if is_json else _read_csv)(text, plan)
    # Rows that could be read are checked even when others could not, so that one run
    # reports every problem.
    _Checker(plan).check(claims, links)
    plan.problems.sort(key=_in_file_order)
    return plan


def _in_file_order(problem):
    """Problems of a row (or item, or line) together, in the file's order; the file's own first."""
    number = re.search(r"\d+", problem.where)
    return int(number.group()) if number else 0


# Reading: each format gives records, dicts of model field name to raw value plus "where".


def _read_csv(text, plan):
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
        is_links = "from" in header or "to_article" in header
        plan.kind = "links CSV" if is_links else "annotations CSV"
        keys = LINK_KEYS if is_links else CLAIM_KEYS
        missing = [column for column in keys if column not in header and column not in OPTIONAL_COLUMNS]
        repeated = sorted({column for column in header if header.count(column) > 1})
        if missing:
            plan.problem("row 1", f"missing column{'s' if len(missing) > 1 else ''}: {', '.join(missing)}")
        if repeated:
            plan.problem("row 1", f"repeated column{'s' if len(repeated) > 1 else ''}: {', '.join(repeated)}")
        if missing or repeated:
            return [], []
        records = [_csv_record(cells, header, keys, row, plan) for row, cells in enumerate(reader, start=2) if cells]
    except csv.Error as exc:
        plan.problem(f"line {reader.line_num}", f"not readable as CSV: {exc}")
        return [], []
    records = [record for record in records if record]
    return ([], records) if is_links else (records, [])


def _csv_record(cells, header, keys, row, plan):
    """One row's record (text cells unescaped), or None after noting its problem."""
    if len(cells) != len(header):
        plan.problem(f"row {row}", f"{len(cells)} cells where the header has {len(header)}")
        return None
    record = {"where": f"row {row}", **{key: value for key, value in OPTIONAL_COLUMNS.items() if key in keys}}
    for column, value in zip(header, cells):
        key = keys.get(column)
        if key is not None:
            record[key] = value if key in NUMBERS else unescape_cell(value)
    return record


class _Shape(Exception):
    """A JSON-LD item that is not shaped like what exports.py writes."""


def _read_jsonld(text, plan):
    plan.kind = "JSON-LD"
    try:
        document = json.loads(text)
    except ValueError as exc:
        where = f"line {exc.lineno}" if isinstance(exc, json.JSONDecodeError) else "file"
        plan.problem(where, f"not valid JSON: {exc}")
        return [], []
    except RecursionError:
        plan.problem("file", "nested too deeply to be an export (an export is a few levels deep)")
        return [], []
    try:
        items = _items(document)
    except _Shape as exc:
        plan.problem("file", str(exc))
        return [], []
    claims, links = [], []
    for number, item in enumerate(items, start=1):
        where = f"item {number}"
        try:
            if not isinstance(item, dict):
                raise _Shape("an annotation must be a JSON object")
            where += f" ({item.get('id')})" if isinstance(item.get("id"), str) else ""
            motivation = item.get("motivation")
            if motivation == "tagging":
                claims.append({"where": where, **_claim_from_jsonld(item)})
            elif motivation == "linking":
                links.append({"where": where, **_link_from_jsonld(item)})
            else:
                raise _Shape(f"motivation must be \"tagging\" (a claim) or \"linking\" (a link), not {motivation!r}")
        except _Shape as exc:
            plan.problem(where, str(exc))
    return claims, links


def _items(document):
    """The annotations of an AnnotationCollection with an embedded first page, a page, or a list."""
    if isinstance(document, list):
        return document
    if isinstance(document, dict) and document.get("type") == "AnnotationCollection":
        document = document.get("first")
        if not isinstance(document, dict):
            raise _Shape("the collection's first page must be embedded in the file")
    if isinstance(document, dict) and isinstance(document.get("items"), list):
        return document["items"]
    raise _Shape("expected an AnnotationCollection, an AnnotationPage or a list of annotations")


def _claim_from_jsonld(item):
    bodies = _bodies(item, "tagging", "identifying", "commenting", "describing")
    return {
        "id": _urn(item.get("id"), "annotation", "id"),
        "label": bodies.get("tagging"),
        "source": bodies.get("identifying", ""),
        "note": bodies.get("commenting", ""),
        "explanation": bodies.get("describing", ""),
        "visibility": _object(item.get("audience", {}), "audience").get("schema:audienceType"),
        "exercise": _urn(item["schema:isPartOf"], "exercise", "schema:isPartOf") if "schema:isPartOf" in item else "",
        "is_key": _answer_key(item.get("schema:educationalUse")),
        "anchor": item.get("schema:creativeWorkStatus"),
        "created": item.get("created"),
        "modified": item.get("modified"),
        "author": _author(item),
        **_selectors(item.get("target"), "target", ""),
    }


def _link_from_jsonld(item):
    bodies = _bodies(item, "classifying", "commenting")
    spans = [body for body in _as_list(item.get("body"))
             if isinstance(body, dict) and body.get("type") == "SpecificResource"]
    if len(spans) != 1:
        raise _Shape("a link needs exactly one SpecificResource body: the linked passage")
    return {
        "id": _urn(item.get("id"), "link", "id"),
        "from": _urn(item.get("target"), "annotation", "target"),
        "relation": bodies.get("classifying"),
        "note": bodies.get("commenting", ""),
        "to_anchor": item.get("schema:creativeWorkStatus"),
        "created": item.get("created"),
        "author": _author(item),
        **_selectors(spans[0], "body", "to_"),
    }


def _answer_key(use):
    if use not in (None, ANSWER_KEY):
        raise _Shape(f"schema:educationalUse must be {ANSWER_KEY!r} or absent, not {use!r}")
    return int(use == ANSWER_KEY)


def _as_list(value):
    return value if isinstance(value, list) else [] if value is None else [value]


def _object(value, name):
    if not isinstance(value, dict):
        raise _Shape(f"{name} must be a JSON object")
    return value


def _bodies(item, *purposes):
    """{purpose: value} of the item's TextualBody bodies."""
    found = {}
    for body in _as_list(item.get("body")):
        if _object(body, "each body").get("type") == "TextualBody":
            purpose = body.get("purpose")
            if purpose not in purposes:
                raise _Shape(f"a TextualBody's purpose must be one of {', '.join(purposes)}, not {purpose!r}")
            if purpose in found:
                raise _Shape(f"more than one body with purpose {purpose}")
            found[purpose] = body.get("value")
    return found


def _urn(value, kind, name):
    prefix = urn(kind, "")
    if not isinstance(value, str) or not value.startswith(prefix):
        raise _Shape(f"{name} must be {prefix}<id>, not {value!r}")
    return value[len(prefix):]


def _author(item):
    creator = _object(item.get("creator"), "creator")
    if "nickname" in creator:
        return creator["nickname"]
    return _urn(creator.get("id"), "user", "creator id")


def _resource_id(source):
    """A SpecificResource's source: its id, whether written bare or as a described resource."""
    return source.get("id") if isinstance(source, dict) else source


def _selectors(resource, name, prefix):
    resource = _object(resource, name)
    selectors = {s.get("type"): s for s in _as_list(resource.get("selector")) if isinstance(s, dict)}
    position, quote = selectors.get("TextPositionSelector"), selectors.get("TextQuoteSelector")
    if position is None or quote is None:
        raise _Shape(f"{name} needs a TextPositionSelector and a TextQuoteSelector")
    return {
        f"{prefix}article": _urn(_resource_id(resource.get("source")), "article", f"{name} source"),
        f"{prefix}start": position.get("start"),
        f"{prefix}end": position.get("end"),
        f"{prefix}exact": quote.get("exact"),
        f"{prefix}prefix": quote.get("prefix", ""),
        f"{prefix}suffix": quote.get("suffix", ""),
    }


# Checking records against the rules and the database. Fields are checked by
# annotations.validation and exercise work by the exercise rules, as the API checks them.


class _Row:
    """One record being checked: each getter returns a typed value, or None after noting a problem."""

    def __init__(self, plan, record):
        self.plan, self.record, self.where = plan, record, record["where"]
        self.names = CSV_NAMES if plan.kind.endswith("CSV") else {}

    def problem(self, message):
        self.plan.problem(self.where, message)

    def name(self, key):
        return self.names.get(key, key)

    def checked(self, key, check, *args):
        """check(value, column name, *args), one of annotations.validation's, or None after noting
        its refusal: every problem of a row is noted, not only its first."""
        value = self.record.get(key)
        if value is None:
            self.problem(f"{self.name(key)} is missing")
            return None
        try:
            return check(value, self.name(key), *args)
        except ServiceError as error:
            self.problem(_message(error))
            return None

    def number(self, key, limit=MAX_OFFSET, optional=False):
        value = self.record.get(key)
        if optional and value in (None, ""):
            return None
        number = _integer(value)
        if number is not None and 0 <= number <= limit:
            return number
        self.problem(f"{self.name(key)} must be a whole number from 0 to {limit}, not {shown(value)}")
        return None

    def flag(self, key):
        """A 0 or 1 column as a bool."""
        number = self.number(key, limit=1)
        return None if number is None else bool(number)

    def text(self, key, max_length=None, required=False):
        value = self.checked(key, as_text, max_length)
        if required and value == "":
            self.problem(f"{self.name(key)} is empty")
            return None
        return value

    def choice(self, key, choices):
        return self.checked(key, as_choice, choices)

    def moment(self, key):
        value = self.text(key, required=True)
        if value is None:
            return None
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            moment = None
        if moment is None or moment.tzinfo is None:
            self.problem(f"{self.name(key)} must be an ISO 8601 time with its time zone, not {shown(value)}")
            return None
        return moment


def _message(error):
    # Problems are listed one a line as "row 3: …", without a closing full stop.
    return error.message.removesuffix(".")


def _integer(value):
    """`value` read as as_integer reads it, or None."""
    try:
        return as_integer(value, "")
    except ServiceError:
        return None


def _id(value):
    """An id to look up, or None."""
    number = _integer(value)
    return number if number is not None and 0 <= number <= MAX_ID else None


def _texts(values):
    """The values that are text a database can be asked about (as_text's rule)."""
    found = set()
    for value in values:
        try:
            found.add(as_text(value, ""))
        except ServiceError:
            pass
    return found


def _unfit_account_name(name, twin):
    """Why sign-up would refuse `name` for a new account, or None; `twin` is the name the file
    gave first among those that differ from it only in case."""
    User = get_user_model()
    try:
        User._meta.get_field(User.USERNAME_FIELD).run_validators(name)
    except ValidationError as error:
        return " ".join(message.removesuffix(".") for message in error.messages)
    normal = User.normalize_username(name)
    if normal != name:
        return f"sign-up would make it {shown(normal)} (Unicode NFKC)"
    existing = User.objects.filter(**{f"{User.USERNAME_FIELD}__iexact": name}).first()
    if existing is not None:
        return f"it differs only in case from the account {shown(existing.get_username())}"
    if twin != name:
        return f"it differs only in case from {shown(twin)}, also new in this file"
    return None


def _max_length(model, name):
    return model._meta.get_field(name).max_length


class _Checker:
    """Checks every record of a file and fills the plan. Database reads are batched, but for
    the exercise rules, asked once for each exercise, author, article and role, and for the
    case of each new account's name."""

    def __init__(self, plan):
        self.plan = plan
        self.diffs = {}
        self.file_claims = {}  # id -> (article id, author); either None if it has problems of its own
        self.new_authors = {}  # a name no account has -> the rows that give it as an author
        self.exercise_rules = {}  # (exercise id, author, article id, is_key) -> the rule broken, or None

    def check(self, claims, links):
        User = get_user_model()
        self.articles = _by_key(Article.objects.only("id", "slug", "body"), "slug",
                                _texts([r.get("article") for r in claims] + [r.get("to_article") for r in links]))
        self.article_ids = {article.pk: article for article in self.articles.values()}
        self.exercises = _by_key(exercise_rules().exercises(), "pk",
                                 {_id(r.get("exercise")) for r in claims})
        self.users = _by_key(User.objects.all(), User.USERNAME_FIELD, _texts(r.get("author") for r in claims + links))
        new_claims = self._unless_unchanged(Annotation, [self._claim(r) for r in claims], "unchanged_claims")
        new_links = self._unless_unchanged(Link, self._links(links), "unchanged_links")
        self._check_new_accounts()
        # The rules below are for what an import would write: a row stored just as the file
        # has it was accepted when it was written, and importing it again writes nothing.
        self.plan.claims = [(pk, fields) for pk, fields, where in new_claims if self._claim_obeys(fields, where)]
        self.plan.links = [(pk, fields) for pk, fields, where in new_links if self._link_obeys(fields, where)]
        authors = {fields["author__username"] for _, fields in self.plan.claims + self.plan.links}
        self.plan.accounts = sorted(authors - set(self.users))

    def _claim(self, record):
        row = _Row(self.plan, record)
        pk = row.number("id", MAX_ID)
        article = self._article(row, "article")
        anchor = row.choice("anchor", Anchor)
        span = self._span(row, article, "", anchor)
        fields = {
            "article_id": article and article.pk,
            "author__username": self._author(row),
            **{name: row.checked(name, check) for name, check in (ANNOTATION_CHECKS | KEY_CHECKS).items()},
            "is_key": row.flag("is_key"),
            "anchor": anchor,
            "created": row.moment("created"),
            "modified": row.moment("modified"),
        }
        exercise = self._exercise(row)
        if pk is not None:
            if pk in self.file_claims:
                row.problem(f"annotation {pk} appears more than once in the file")
            self.file_claims[pk] = (fields["article_id"], fields["author__username"])
        if pk is None or span is None or None in fields.values() or exercise is _INVALID:
            return None
        fields["exercise_id"] = exercise
        return pk, {**fields, **_span_fields("", span)}, row.where

    def _author(self, row):
        name = row.text("author", required=True)
        if name is not None and name not in self.users:
            self.new_authors.setdefault(name, []).append(row.where)
        return name

    def _exercise(self, row):
        """The claim's exercise id, None for none, or _INVALID after noting a problem."""
        key = row.number("exercise", MAX_ID, optional=True)
        if key is None:
            return _INVALID if row.record.get("exercise") not in (None, "") else None
        if key not in self.exercises:
            row.problem(f"exercise: no exercise with id {key}")
            return _INVALID
        return key

    def _links(self, records):
        claims = {_id(r.get("from")) for r in records} - {None}
        stored_claims = claims - set(self.file_claims)
        # Each claim a link may come from -> (its article id, its author).
        self.claims = {**{pk: (article, author) for pk, article, author in _rows(
                           Annotation.objects.all(), "pk", stored_claims, ("id", "article_id", "author__username"))},
                       **self.file_claims}
        # The unique key of each stored link of these claims -> the link's id.
        stored = {tuple(key): pk for pk, *key in _rows(Link.objects.all(), "source_annotation_id", claims,
                                                         ("id", *LINK_UNIQUE))}
        planned, seen = [], {}
        for record in records:
            link = self._link(record)
            if link is None:
                continue
            pk, fields, where = link
            key = tuple(fields[name] for name in LINK_UNIQUE)
            twin = seen.get(key, stored.get(key, pk))
            if twin != pk:
                self.plan.problem(where, f"the same link (claim, passage and relation) is also link {twin}")
                continue
            seen[key] = pk
            planned.append(link)
        return planned

    def _link(self, record):
        row = _Row(self.plan, record)
        pk = row.number("id", MAX_ID)
        claim = row.number("from", MAX_ID)
        target = self._article(row, "to_article")
        if claim is not None and claim not in self.claims:
            row.problem(f"from: no annotation {claim} in the database, nor a readable one in this file")
            claim = None
        elif claim is not None and target is not None and self.claims[claim][0] == target.pk:
            row.problem("to_article: a link must point to a different article than its claim's")
        anchor = row.choice("to_anchor", Anchor)
        span = self._span(row, target, "to_", anchor)
        fields = {
            "source_annotation_id": claim,
            "relation": row.choice("relation", Relation),
            "to_article_id": target and target.pk,
            "to_anchor": anchor,
            "note": row.text("note", settings.NOTE_MAX_LENGTH),
            "author__username": self._author(row),
            "created": row.moment("created"),
        }
        if pk is None or span is None or None in fields.values():
            return None
        return pk, {**fields, **_span_fields("to_", span)}, row.where

    def _article(self, row, key):
        slug = row.text(key, required=True)
        if slug is None:
            return None
        article = self.articles.get(slug)
        if article is None:
            row.problem(f"{key}: no article with slug {shown(slug)}")
        return article

    def _span(self, row, article, prefix, anchor):
        """(start, end, exact, prefix, suffix) in `article`, found again by quote if need be."""
        start, end = row.number(f"{prefix}start"), row.number(f"{prefix}end")
        exact = row.text(f"{prefix}exact", required=True)
        context = [row.text(f"{prefix}{name}", _max_length(Annotation, name)) for name in ("prefix", "suffix")]
        span = (start, end, exact, *context)
        if None in span or article is None or anchor is None:
            return None
        if start >= end:
            row.problem(f"{row.name(prefix + 'start')} ({start}) must be less than {row.name(prefix + 'end')} ({end})")
            return None
        body = article.body
        if anchor == Anchor.ORPHANED:
            # An orphan's quote is the text it lost; only its offsets must still fit.
            if end > len(body):
                row.problem(f"orphaned span [{start}, {end}) is past the end of '{article.slug}' ({len(body)})")
                return None
            return span
        try:
            validate_span(article, start, end, exact, prefix)
            return span
        except ServiceError:
            # Not at its offsets: the article's text may have changed since the export.
            found = locate(self._diff(article), start, end, exact, *context)
        if found is None:
            row.problem(f"{row.name(prefix + 'exact')} {shown(exact)} does not match '{article.slug}' at "
                        f"[{start}, {end}) and is not found elsewhere in it")
            return None
        self.plan.notes.append(
            Problem(row.where, f"re-anchored by quote from [{start}, {end}) to [{found[0]}, {found[1]})"))
        return (*found, *quote_selector(body, *found))

    def _diff(self, article):
        # The file's offsets are checked against the current text; a diff of the text with
        # itself makes locate() search by quote, nearest the given offsets first.
        if article.pk not in self.diffs:
            self.diffs[article.pk] = BodyDiff(article.body, article.body)
        return self.diffs[article.pk]

    def _unless_unchanged(self, model, planned, counter):
        """The planned rows less those already stored with the same content, which are counted."""
        planned = [item for item in planned if item is not None]
        if not planned:
            return []
        names = list(planned[0][1])
        stored = {pk: dict(zip(names, values)) for pk, *values in _rows(model.objects.all(), "pk",
                                                                      [pk for pk, _, _ in planned], ("id", *names))}
        new = []
        for pk, fields, where in planned:
            existing = stored.get(pk)
            if existing is None:
                new.append((pk, fields, where))
            elif existing == fields:
                setattr(self.plan, counter, getattr(self.plan, counter) + 1)
            else:
                differs = ", ".join(_COMPARED_NAMES.get(name, name) for name in names if existing[name] != fields[name])
                self.plan.problem(where, f"{model._meta.verbose_name} {pk} already exists with a different {differs}; "
                                         f"nothing is overwritten")
        return new

    def _check_new_accounts(self):
        """An author with no account gets an inactive one, but only under a name sign-up takes."""
        first = {}  # casefolded -> the first new name the file gives
        for name, rows in self.new_authors.items():
            reason = _unfit_account_name(name, first.setdefault(name.casefold(), name))
            if reason:
                more = f" (and {len(rows) - 1} more row{'s' if len(rows) > 2 else ''})" if len(rows) > 1 else ""
                self.plan.problem(rows[0], f"author {shown(name)} has no account here, and none can be made with "
                                           f"that name: {reason}{more}")

    def _claim_obeys(self, fields, where):
        """Whether a claim to be written keeps the rules a claim is written by; notes each it breaks."""
        exercise = self.exercises.get(fields["exercise_id"])
        broken = []
        if fields["is_key"] and exercise is None:
            broken.append("is_key: an answer-key claim belongs to an exercise, and this one's exercise is empty")
        if fields["explanation"] and not fields["is_key"]:
            broken.append("explanation: only answer-key claims have an explanation")
        if exercise is not None:
            if fields["visibility"] != Visibility.PRIVATE:
                broken.append(f"visibility: work in an exercise is private (the exercise decides who else sees it), "
                              f"not {shown(fields['visibility'])}")
            broken += self._exercise_rules(exercise, fields)
        for message in broken:
            self.plan.problem(where, message)
        return not broken

    def _exercise_rules(self, exercise, fields):
        """What the claim breaks of the rules of writing in `exercise` that hold at any time.

        Who writes what, where, and with which labels is checked as the API checks it. Whether
        the exercise was open and whether the student had submitted are not: they say when
        live work may change, and an export is usually made after both, so checking them
        would refuse to restore any finished exercise.
        """
        name, key = fields["author__username"], fields["is_key"]
        about = f"exercise {exercise.pk}, author {shown(name)}: "
        broken = []
        asked = (exercise.pk, name, fields["article_id"], key)
        if asked not in self.exercise_rules:
            User = get_user_model()
            user = self.users.get(name) or User(**{User.USERNAME_FIELD: name})
            try:
                exercise_rules().check_exercise_author(exercise, user, self.article_ids[fields["article_id"]], key)
                self.exercise_rules[asked] = None
            except ServiceError as error:
                self.exercise_rules[asked] = _message(error)
        if self.exercise_rules[asked]:
            broken.append(about + self.exercise_rules[asked])
        try:
            exercise_rules().check_label_in_play(exercise, fields["label"])
        except ServiceError as error:
            broken.append(about + _message(error))
        return broken

    def _link_obeys(self, fields, where):
        """Whether a link to be written is its claim's author's, as the API has it; notes it if not."""
        claim = fields["source_annotation_id"]
        _, claim_author = self.claims[claim]
        if claim_author is None or claim_author == fields["author__username"]:
            return True
        self.plan.problem(where, f"author: only the author of annotation {claim}, {shown(claim_author)}, links it; "
                                 f"not {shown(fields['author__username'])}")
        return False


_INVALID = object()
SPAN = ("start", "end", "exact", "prefix", "suffix")
LINK_UNIQUE = ("source_annotation_id", "to_article_id", "to_start", "to_end", "relation")  # as Link's constraint


def _span_fields(prefix, span):
    return {f"{prefix}{name}": value for name, value in zip(SPAN, span)}
_COMPARED_NAMES = {"article_id": "article", "author__username": "author", "source_annotation_id": "from",
                   "to_article_id": "to_article", "exercise_id": "exercise"}


def _by_key(queryset, key, values):
    """{value of `key`: object} for the objects whose `key` is one of `values`, queried in batches."""
    values = [value for value in values if value is not None]
    found = {}
    for begin in range(0, len(values), BATCH):
        for obj in queryset.filter(**{f"{key}__in": values[begin : begin + BATCH]}):
            found[getattr(obj, key)] = obj
    return found


def _rows(queryset, key, values, fields):
    """values_list rows of `fields` for the objects whose `key` is one of `values`, queried in batches."""
    values = list(values)
    for begin in range(0, len(values), BATCH):
        yield from queryset.filter(**{f"{key}__in": values[begin : begin + BATCH]}).order_by().values_list(*fields)


# Writing


def _accounts(usernames, authors):
    """{username: user id} for every author, creating `usernames` as inactive accounts first."""
    User = get_user_model()
    for username in usernames:
        user = User(**{User.USERNAME_FIELD: username}, is_active=False)
        user.set_unusable_password()
        user.save()
    return {name: user.pk for name, user in _by_key(User.objects.all(), User.USERNAME_FIELD, authors).items()}


def _create(model, planned, users, stamps):
    model.objects.bulk_create(
        [model(pk=pk, author_id=users[fields["author__username"]],
               **{name: value for name, value in fields.items() if name != "author__username"})
         for pk, fields in planned],
        batch_size=BATCH,
    )
    _restore_stamps(model, planned, stamps)


def _restore_stamps(model, planned, stamps):
    """Put the file's timestamps back: bulk_create gives auto_now and auto_now_add fields the
    current time. One statement run for every row, which bulk_update's CASE per batch is many
    times slower than."""
    quote = connection.ops.quote_name
    fields = [model._meta.get_field(name) for name in stamps]
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in fields)
    statement = f"UPDATE {quote(model._meta.db_table)} SET {assignments} WHERE {quote(model._meta.pk.column)} = %s"
    rows = [[*(field.get_db_prep_value(values[field.name], connection) for field in fields), pk]
            for pk, values in planned]
    with connection.cursor() as cursor:
        cursor.executemany(statement, rows)
