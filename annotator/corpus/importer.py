"""Importing article files in two steps: `analyse` (decode, clean, find metadata), then `save`.

The steps are separate so that an upload form can show a teacher the analysis (title,
date, every line kept or removed and why) before anything is saved, and let the teacher
overrule single lines (`Analysis.choose`); `import_bytes` runs both, exactly as the
`import_articles` command does.

An article is identified by its `source_file`: the file's path relative to the folder named
to the importer, with `/` separators (`business/001.txt`), or its base name when the file
itself was named. Importing the same path again updates that article in place, keeping its
id and slug, and re-anchors its annotations when the body changed. Identical bytes change
nothing.
"""

import hashlib
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify

from . import cleaning
from .languages import LANGUAGES, detect_language
from .models import TEXT_FIELDS, Article
from .signals import article_text_changed

HTML_SUFFIXES = {".html", ".htm"}
IMPORTABLE_SUFFIXES = {".txt"} | HTML_SUFFIXES
OVERRIDABLE = ("title", "published", "byline", "outlet", "url", "language")
KINDS = ("text", "html")
# /articles/add/ is a page, so no article may have the slug "add".
RESERVED_SLUGS = {"add"}


class ImportFailure(Exception):
    """A file that cannot become an article; the message says why, for the person importing it."""


@dataclass
class Analysis:
    source_file: str
    raw: str
    raw_sha256: str
    cleaned: cleaning.Cleaned
    notices: list = field(default_factory=list)

    def article_fields(self, overrides=None):
        """The Article fields this analysis gives, with a teacher's corrections applied."""
        cleaned = self.cleaned
        values = {
            "title": cleaned.title,
            "title_derived": cleaned.title_derived,
            "body": cleaned.body,
            "raw": self.raw,
            "removed": cleaned.removed,
            "raw_sha256": self.raw_sha256,
            "published": cleaned.published,
            "byline": cleaned.byline,
            "outlet": cleaned.outlet,
            "url": cleaned.url,
            "language": detect_language(cleaned.body),
        }
        for name, value in (overrides or {}).items():
            if name not in OVERRIDABLE:
                raise ImportFailure(f"{name!r} cannot be set by hand (only {', '.join(OVERRIDABLE)})")
            values[name] = _override_value(name, value)
        if overrides and "title" in overrides:
            values["title_derived"] = title_is_derived(values["body"], values["title"])
        return _fit_lengths(values)

    def choose(self, removed):
        """This analysis with a person's decision on every line: the indexes in `removed` go."""
        try:
            cleaned = cleaning.choose(self.cleaned, removed)
        except cleaning.NotArticleText as error:
            raise ImportFailure(str(error)) from None
        return replace(self, cleaned=cleaned)


def title_is_derived(body, title):
    # The contract: a title is "derived" exactly when it is not the body's first paragraph.
    return body.split("\n", 1)[0] != title


@dataclass
class ImportResult:
    status: str  # "imported", "updated" or "unchanged"
    article: Article
    notices: list = field(default_factory=list)
    body_changed: bool = False
    anchor_counts: dict | None = None


def analyse(name, data, kind=None):
    """Decode and clean one file's bytes; raises ImportFailure for what is not an article.

    `kind` ("text" or "html") says how to read the bytes when the name's suffix does not,
    as for text pasted to replace an article that came from an HTML page.
    """
    source_file = check_source_name(name)
    try:
        decoded = cleaning.decode_bytes(data)
        if (kind or kind_of(source_file)) == "html":
            cleaned = cleaning.clean_html(decoded.text)
        else:
            cleaned = cleaning.clean_text(decoded.text)
    except cleaning.NotArticleText as error:
        raise ImportFailure(str(error)) from None
    notices = [decoded.notice] if decoded.notice else []
    return Analysis(source_file, decoded.text, hashlib.sha256(data).hexdigest(), cleaned, notices)


def check_source_name(name):
    """`name` as a source_file: a relative path with `/` separators, or ImportFailure."""
    max_name = Article._meta.get_field("source_file").max_length
    parts = name.split("/")
    if not name or not parts[-1]:
        raise ImportFailure("the file has no name")
    if name.startswith("/") or any(part in ("", ".", "..") for part in parts):
        raise ImportFailure(f"{name!r} is not a path inside the imported folder")
    if len(name) > max_name:
        raise ImportFailure(f"file path is longer than {max_name} characters")
    return name


def source_name(path, root=None):
    """The source_file of `path`: relative to the folder `root` it was found in, else its base name."""
    path = Path(path)
    return path.relative_to(root).as_posix() if root is not None else path.name


def kind_of(name):
    return "html" if Path(name).suffix.lower() in HTML_SUFFIXES else "text"


def save(analysis, overrides=None, force=False, owner=None):
    """Create or update the article for `analysis`, atomically. `force` re-cleans unchanged bytes.

    `owner`, the person adding it, is recorded on a new article only: they may delete it later.
    """
    with transaction.atomic():
        article = Article.objects.select_for_update().filter(source_file=analysis.source_file).first()
        if article is None:
            article = _stored_under_base_name(analysis)
            if article is not None:
                return _adopt(article, analysis)
            return _create(analysis, overrides, owner)
        if article.raw_sha256 == analysis.raw_sha256 and not (force or overrides):
            return ImportResult("unchanged", article, analysis.notices)
        return _update(article, analysis, overrides)


def import_bytes(name, data, overrides=None, force=False):
    if not (force or overrides):
        # Re-importing a large tree is mostly files already in: skip cleaning what cannot change.
        same = Article.objects.filter(source_file=check_source_name(name), raw_sha256=hashlib.sha256(data).hexdigest())
        if article := same.defer(*TEXT_FIELDS).first():
            return ImportResult("unchanged", article)
    return save(analyse(name, data), overrides, force)


def import_file(path, force=False, root=None, overrides=None):
    """Import the file at `path`, found in the folder `root` (None when the file was named itself)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ImportFailure(f"cannot read the file ({error.strerror or error})") from None
    return import_bytes(source_name(path, root), data, overrides, force)


def _create(analysis, overrides, owner):
    values = analysis.article_fields(overrides)
    slug = unique_slug(values["title"], analysis.source_file)
    article = Article.objects.create(source_file=analysis.source_file, slug=slug, owner=owner, **values)
    return ImportResult("imported", article, analysis.notices)


def _stored_under_base_name(analysis):
    """The article this file's identical bytes were imported as when articles were known by base name.

    Before source_file kept the path inside the imported folder, `business/001.txt` was
    stored as `001.txt`; re-importing the tree takes that article over instead of adding a
    second copy. Only the same bytes are taken as proof: a changed file under a common
    name may be another article altogether.
    """
    base = analysis.source_file.rsplit("/", 1)[-1]
    if base == analysis.source_file:
        return None
    return (
        Article.objects.select_for_update()
        .filter(source_file=base, raw_sha256=analysis.raw_sha256)
        .first()
    )


def _adopt(article, analysis):
    old_name = article.source_file
    article.source_file = analysis.source_file
    article.save(update_fields=["source_file", "modified"])
    notice = f"the article stored as {old_name} (before paths inside folders were kept) is now {article.source_file}"
    return ImportResult("updated", article, [*analysis.notices, notice])


def _update(article, analysis, overrides):
    changed = {
        name: value for name, value in analysis.article_fields(overrides).items() if getattr(article, name) != value
    }
    if article.language and "language" not in (overrides or {}):
        # A language once given (or corrected) by a person outlives a re-import of the text.
        changed.pop("language", None)
    if not changed:
        return ImportResult("unchanged", article, analysis.notices)
    old_body = article.body
    for name, value in changed.items():
        setattr(article, name, value)
    article.save(update_fields=[*changed, "modified"])
    result = ImportResult("updated", article, analysis.notices, body_changed="body" in changed)
    if result.body_changed:
        counts = Counter()
        for _, placed in article_text_changed.send(sender=Article, article=article, old_body=old_body):
            counts.update(placed)
        result.anchor_counts = {outcome: counts[outcome] for outcome in ("anchored", "moved", "orphaned")}
    return result


def unique_slug(title, source_file):
    """A slug for a new article: from its title, else its file name; -2, -3... when taken."""
    limit = Article._meta.get_field("slug").max_length
    # A title in another script slugifies to nothing; the file's path ("world-001") then
    # tells the article apart from the other folders' 001.txt.
    path = str(Path(source_file).with_suffix("")).replace("/", " ")
    base = (slugify(title) or slugify(path) or "article")[:limit].strip("-")
    slug, number = base, 1
    while slug in RESERVED_SLUGS or Article.objects.filter(slug=slug).exists():
        number += 1
        suffix = f"-{number}"
        slug = base[: limit - len(suffix)].rstrip("-") + suffix
    return slug


def _override_value(name, value):
    if name == "published":
        if value in (None, ""):
            return None
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            raise ImportFailure(f"published must be a date written YYYY-MM-DD, not {value!r}") from None
    value = " ".join(str(value or "").split())
    if name == "language":
        return check_language(value)
    if name == "title" and not value:
        raise ImportFailure("the title cannot be empty")
    return value


def check_language(tag):
    """`tag` if it is one of the languages offered (or blank, for "not known"), else ImportFailure."""
    if tag and tag not in LANGUAGES:
        known = ", ".join(LANGUAGES)
        raise ImportFailure(f"language must be one of {known} (BCP 47 tags), or blank; not {tag!r}")
    return tag


def _fit_lengths(values):
    """Metadata found in a page can exceed the columns; shorten it rather than fail the import."""
    for name in ("title", "byline", "outlet"):
        values[name] = cleaning.shorten(values[name], Article._meta.get_field(name).max_length)
    if len(values["url"]) > Article._meta.get_field("url").max_length:
        values["url"] = ""
    return values
