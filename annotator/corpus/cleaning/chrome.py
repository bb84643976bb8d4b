"""Chrome: the site's furniture around an article (menus, sharing, adverts), found line by line, and `clean_text`."""

import re
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date

from .lines import ENDS_SENTENCE, NotArticleText, is_all_caps, is_prose, looks_like_headline, split_lines
from .metadata import as_written_in, byline_from, date_line, derive_title, outlet_from, split_date_prefix

# Each pattern only ever sees lines that are not prose (see `is_prose`).
_CHROME_PATTERNS = [
    (
        re.compile(
            r"""^(?:sponsor(?:ed)?|advertisement|advertising|paid\s+content|promoted)
                (?:\s*:|\s*$|\s+(?:by|content)\b)""",
            re.I | re.X,
        ),
        "site chrome: sponsor line",
    ),
    (
        re.compile(
            r"""\b(?:log(?:ged)?|sign(?:ed)?)\s+in\b.*\bcomment
              | \bregister(?:ed)?\b.*\bto\s+comment
              | \bleave\s+a\s+(?:comment|reply)\b
              | \bcomments?\s+(?:are|is)\s+closed\b
              | \bpost\s+a\s+comment\b
              | \bjoin\s+the\s+(?:conversation|discussion)\b
              | ^\d*\s*comments?\s*:?$""",
            re.I | re.X,
        ),
        "comment-form footer",
    ),
    (
        re.compile(
            r"""^(?:subscribe|sign\s+up|join)\b.*\b(?:newsletter|updates|inbox|alerts|free|today|now)\b
              | ^subscribe\s*:?$
              | ^(?:share|follow\s+us|like\s+us)\b.*\b(?:on|via)\s+
                (?:facebook|twitter|x|linkedin|whatsapp|telegram|email|instagram)\b
              | ^follow\s+us\b""",
            re.I | re.X,
        ),
        "site chrome: subscribe/share prompt",
    ),
    (
        re.compile(
            r"""^(?:back|next|previous|prev|home|menu|topics?|tags?|more|top|back\s+to\s+top
                 |skip\s+to\s+(?:main\s+)?content|share(?:\s+this(?:\s+\w+)?)?|tweet|email|print)\s*:?$""",
            re.I | re.X,
        ),
        "site chrome: navigation",
    ),
    (re.compile(r"^[\d.,]+\s*[kKmM]?$"), "site chrome: lone number (a counter)"),
]
_READ_MORE = re.compile(
    r"\b(?:click|tap)\s+here\b|^(?:read|see)\s+(?:more|also|next)\b|^continue\s+reading\b|^related\b", re.I
)
# A copyright line is never article text, however sentence-like ("© 2024 Example News. All rights reserved.").
_COPYRIGHT = re.compile(r"^\s*(?:©|\(c\)\s*\d{4}|copyright\b)", re.I)
# A heading over links to other stories: the short lines after it, below the article, are their headlines.
_RELATED_HEADING = re.compile(
    r"^(?:related(?:\s+(?:stories|articles|news|content|coverage))?|more\s+(?:on\s+this\s+story|stories|from\s+\w+)"
    r"|you\s+may\s+also\s+like|recommended(?:\s+for\s+you)?|most\s+(?:read|popular)|read\s+(?:more|next))\s*:?$",
    re.I,
)
_MARKER = re.compile(r"^(?P<marker>[A-Z][a-z]+(?:[A-Z][a-z]*)+:)(?=\S)")


@dataclass
class Cleaned:
    title: str
    title_derived: bool
    body: str
    published: date | None = None
    byline: str = ""
    outlet: str = ""
    url: str = ""
    removed: list = field(default_factory=list)
    # Every line in order, kept or not: [{"text": ..., "removed": bool, "reason": ...}].
    lines: list = field(default_factory=list)


def removed_lines(lines):
    """The `removed` record ([{"line", "reason"}]) of a list of line decisions."""
    return [{"line": line["text"], "reason": line["reason"]} for line in lines if line["removed"]]


def choose(cleaned, removed):
    """`cleaned` with a person's final decision: the lines at the indexes in `removed` go, all others stay.

    The title stays as it is; it counts as derived exactly when it is no longer the
    body's first paragraph.
    """
    lines = []
    for index, line in enumerate(cleaned.lines):
        if index in removed:
            reason = line["reason"] if line["removed"] else "removed by hand"
            lines.append({"text": line["text"], "removed": True, "reason": reason})
        else:
            lines.append({"text": unicodedata.normalize("NFC", line["text"]), "removed": False, "reason": ""})
    paragraphs = [line["text"] for line in lines if not line["removed"]]
    if not paragraphs:
        raise NotArticleText("every line is marked to be removed; keep at least one")
    body = "\n".join(paragraphs)
    return replace(
        cleaned,
        body=body,
        title_derived=paragraphs[0] != cleaned.title,
        removed=removed_lines(lines),
        lines=lines,
    )


@dataclass
class Hints:
    """What markup already says about an article (HTML meta tags, <h1>, <time>)."""

    headline: str = ""
    published: date | None = None
    byline: str = ""
    outlet: str = ""
    url: str = ""


@dataclass
class _Kept:
    text: str
    zone: str
    leads_into_text: bool
    marked: bool


def clean_text(text):
    """Clean a plain-text copy of a web article."""
    return Cleaner(Hints(), text).run(split_lines(text))


class Cleaner:
    """One pass over the lines: take out chrome, lift metadata, keep the article text.

    Lines are judged by zone. The header runs up to the first prose line and the tail
    follows the last one; mastheads, dates and bylines are only looked for there, and
    text between prose paragraphs is only removed on strong evidence.
    """

    def __init__(self, hints, whole_text):
        self.hints = hints
        self.whole_text = whole_text
        self.lines = []
        self.origins = []  # for each of self.lines, the index of the input line it came from
        self._at = 0
        self.published = hints.published
        self.bylines = [hints.byline] if hints.byline else []
        self.outlet = hints.outlet
        self.under_related_heading = False

    def run(self, lines):
        lines = [line for line in lines if line]
        prose = [i for i, line in enumerate(lines) if is_prose(line)]
        first, last = (prose[0], prose[-1]) if prose else (None, None)
        kept = []
        for i, line in enumerate(lines):
            self._at = i
            zone = "body" if first is None or first <= i <= last else ("header" if i < first else "tail")
            line, marked = self._strip_marker(line)
            if i == 0:
                line = self._strip_date_prefix(line)
            leads_into_text = first is not None and i + 1 == first
            if not self._take_out(line, zone, leads_into_text):
                kept.append(_Kept(line, zone, leads_into_text, marked))
                self._record(unicodedata.normalize("NFC", line), False, "")
        return self._assemble(kept)

    def _record(self, text, removed, reason):
        self.lines.append({"text": text, "removed": removed, "reason": reason})
        self.origins.append(self._at)

    def _remove(self, line, reason):
        self._record(line, True, reason)
        return True

    def _strip_marker(self, line):
        match = _MARKER.match(line)
        if not match:
            return line, False
        # A CamelCase word glued to a colon ("NextImg:") is a scraper's field label, not prose.
        self._remove(match["marker"], "scraper marker")
        return line[match.end() :], True

    def _strip_date_prefix(self, line):
        split = split_date_prefix(line)
        if not split:
            return line
        day, prefix, rest = split
        self._take_date(day, prefix)
        return rest

    def _take_date(self, day, line):
        if self.published in (None, day):
            self.published = day
            return self._remove(line, "date → moved to published")
        return self._remove(line, f"date (another one; published stays {self.published.isoformat()})")

    def _take_out(self, line, zone, leads_into_text):
        """Record and return True when `line` is not article text."""
        if _COPYRIGHT.search(line):
            return self._remove(line, "site chrome: copyright line")
        if zone == "tail" and self.under_related_heading and not ENDS_SENTENCE.search(line):
            return self._remove(line, "site chrome: related-story headline")
        if is_prose(line):
            return False
        if zone == "tail" and _RELATED_HEADING.search(line):
            self.under_related_heading = True
            return self._remove(line, "site chrome: related stories")
        for pattern, reason in _CHROME_PATTERNS:
            if pattern.search(line):
                return self._remove(line, reason)
        outlet = outlet_from(line)
        if outlet:
            self.outlet = self.outlet or as_written_in(outlet, self.whole_text)
            return self._remove(line, "read-more link → outlet")
        if _READ_MORE.search(line):
            return self._remove(line, "site chrome: read-more link")
        if zone != "body" and self._take_metadata(line):
            return True
        return self._take_by_shape(line, zone, leads_into_text)

    def _take_metadata(self, line):
        day = date_line(line)
        if day:
            # On an aggregator's copy the only date may be the aggregator's own (when it
            # crawled the story), not the original publication date. It is still the best
            # date the file offers, so it is used; `removed` shows where it came from.
            return self._take_date(day, line)
        name = byline_from(line)
        if name:
            self.bylines.append(name)
            return self._remove(line, "byline → moved to byline")
        return False

    def _take_by_shape(self, line, zone, leads_into_text):
        words = line.split()
        if is_all_caps(line) and not leads_into_text:
            if zone == "header":
                # Above the article: the masthead of the site the text was copied from,
                # which for copied news is usually an aggregator, so it is not the outlet.
                return self._remove(line, "aggregator header")
            if zone == "body" and len(words) >= 4:
                return self._remove(line, "promo headline")
            if zone == "tail":
                return self._remove(line, "site chrome: all-caps banner")
        if "|" in line and len(words) <= 12:
            return self._remove(line, "site chrome: separator fields")
        if zone != "body" and len(words) <= 3 and not leads_into_text and not ENDS_SENTENCE.search(line):
            return self._remove(line, "site chrome: navigation")
        return False

    def _assemble(self, kept):
        if not kept:
            raise NotArticleText("no article text left after removing site chrome")
        paragraphs = [unicodedata.normalize("NFC", k.text) for k in kept]
        if self._is_headline(kept[0]):
            title, derived = paragraphs[0], False
        else:
            title, derived = derive_title(paragraphs[0]), True
        return Cleaned(
            title=title,
            title_derived=derived,
            body="\n".join(paragraphs),
            published=self.published,
            byline=", ".join(dict.fromkeys(self.bylines)),
            outlet=self.outlet,
            url=self.hints.url,
            removed=removed_lines(self.lines),
            lines=self.lines,
        )

    def _is_headline(self, first):
        if self.hints.headline and first.text == self.hints.headline:
            return True
        if first.zone != "header" or is_prose(first.text):
            return False
        return first.marked or looks_like_headline(first.text, first.leads_into_text)
