"""Turning a copied web article (plain text or HTML) into clean paragraphs and metadata.

Pure functions without a database: `decode_bytes`, then `clean_text` or `clean_html`.
Everything taken out is reported in `Cleaned.removed` with a reason, so a reader can
check what the rules did against the untouched original. `Cleaned.lines` holds every
line in order with its decision, so a person can overrule the rules (`choose`).

The rules are general, not tied to particular sites. The one rule above all others:
a long, sentence-like line is article text and is never removed as chrome.
"""

import json
import re
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date
from html.parser import HTMLParser

TITLE_LIMIT = 90


class NotArticleText(ValueError):
    """Input that cannot become an article: empty, binary, undecodable, or only chrome."""


# --- decoding -------------------------------------------------------------------------


@dataclass
class Decoded:
    text: str
    notice: str = ""


def decode_bytes(data: bytes) -> Decoded:
    """UTF-8 (BOM or not); else Windows-1252 when that reads as text; else refuse.

    Never guesses silently: a Windows-1252 decoding comes with a notice.
    """
    if not data:
        raise NotArticleText("file is empty")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise NotArticleText("file is UTF-16 text; save it as UTF-8 and import it again")
    if b"\x00" in data:
        raise NotArticleText("binary file (contains NUL bytes), not text")
    try:
        decoded = Decoded(data.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        decoded = Decoded(_decode_windows_1252(data, error), "decoded as Windows-1252 (the file is not valid UTF-8)")
    if _control_share(decoded.text) > 0.01:
        raise NotArticleText("binary file (mostly control characters), not text")
    if not decoded.text.strip():
        raise NotArticleText("file is empty (only whitespace)")
    return decoded


def _decode_windows_1252(data, utf8_error):
    refusal = (
        f"not valid UTF-8 (byte 0x{data[utf8_error.start]:02x} at offset {utf8_error.start}) "
        "and not readable as Windows-1252 either; save it as UTF-8 and import it again"
    )
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise NotArticleText(refusal) from None
    # Western text in Windows-1252 is mostly ASCII letters. When most letters come out
    # accented, the file is in some other encoding (Cyrillic, Greek...) and would be garbled.
    letters = [c for c in text if c.isalpha()]
    if letters and sum(not c.isascii() for c in letters) / len(letters) > 0.3:
        raise NotArticleText(refusal)
    return text


def _control_share(text):
    if not text:
        return 0
    controls = sum(unicodedata.category(c) == "Cc" and c not in "\t\n\r\f\v" for c in text)
    return controls / len(text)


# --- lines and their shapes -----------------------------------------------------------

# Characters that copied web text carries but that no reader sees; they would break
# search and quoting.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u2060\ufeff\u00ad"))
_HORIZONTAL_SPACE = re.compile(r"[ \t]+")
_LETTER_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_ENDS_SENTENCE = re.compile(r"[.!?…][\"'”’)\]]*$")


def split_lines(text):
    """Lines of `text` with CRLF/CR line ends, invisible characters and edge spaces gone."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_INVISIBLE)
    return [_HORIZONTAL_SPACE.sub(" ", line).strip() for line in text.split("\n")]


def is_prose(line):
    """A long, sentence-like line: article text, which no chrome rule may take out."""
    if len(line.split()) < 12:
        return False
    words = _LETTER_WORD.findall(line)
    # Promos and sponsor lines Capitalize Most Words; sentences do not (scripts without
    # letter case count as uncapitalised).
    if sum(not w[0].isupper() for w in words) < len(words) / 2:
        return False
    return len(line) >= 200 or bool(_ENDS_SENTENCE.search(line))


def is_all_caps(line):
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 4 and all(c.isupper() for c in letters)


def looks_like_headline(line, leads_into_text):
    """Short, no closing full stop, capitalised: the shape of a headline at an article's top."""
    words = line.split()
    if not 2 <= len(words) <= 30 or len(line) > 250 or is_prose(line):
        return False
    if line[-1] in ".,;:" or not (line[0].isupper() or line[0].isdigit() or line[0] in "\"'“‘"):
        return False
    # Two or three words right above a navigation item could be one; next to the text they are not.
    return len(words) >= 4 or leads_into_text


# --- dates ----------------------------------------------------------------------------

_MONTHS = {m: n for n, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), start=1)}
_MONTH = (
    r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DATE_FORMS = [
    re.compile(r"\b(?P<year>\d{4})-(?P<num>\d{1,2})-(?P<day>\d{1,2})(?:T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?(?!\d)"),
    re.compile(rf"\b{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})\b", re.I),
    re.compile(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH},?\s+(?P<year>\d{{4}})\b", re.I),
]
_DATE_LABEL = re.compile(
    r"\b(?:published|posted|updated|last updated|date|on|at|(?:mon|tues|wednes|thurs|fri|satur|sun)day)\b:?", re.I
)
_PREFIX_LABEL = re.compile(r"^(?:(?:published|posted|updated|date)\s*:?\s*)?$", re.I)
_CLOCK = re.compile(r"\b\d{1,2}:\d{2}(?::\d{2})?\s*(?:[aApP]\.?[mM]\.?)?(?:\s*[A-Z]{2,4}\b)?")


def find_date(text):
    """(date, match) for the earliest real calendar date written in `text`, or None."""
    found = []
    for form in _DATE_FORMS:
        for match in form.finditer(text):
            parts = match.groupdict()
            month = int(parts["num"]) if parts.get("num") else _MONTHS[parts["month"][:3].lower()]
            try:
                found.append((match.start(), date(int(parts["year"]), month, int(parts["day"])), match))
            except ValueError:
                continue
    if not found:
        return None
    _, day, match = min(found, key=lambda item: item[0])
    return day, match


def date_line(line):
    """The date of a line that holds only a date (with labels, a time, separators), or None."""
    found = find_date(line)
    if not found:
        return None
    day, match = found
    rest = _CLOCK.sub("", _DATE_LABEL.sub("", line[: match.start()] + line[match.end() :]))
    return None if re.sub(r"[\W_]+", "", rest) else day


def split_date_prefix(line):
    """(date, prefix, rest) when a line opens with a date stuck before the text, else None.

    Scrapers glue the date to the lede ("date 2024-04-17 Russian strongman...").
    A date followed by a comma belongs to the sentence ("June 2, 2025, was...") and stays.
    """
    found = find_date(line)
    if not found:
        return None
    day, match = found
    if not _PREFIX_LABEL.match(line[: match.start()].strip()):
        return None
    gap = re.match(r"\s*(?:[|:–—-]\s*)?", line[match.end() :])
    rest = line[match.end() + gap.end() :]
    if not gap.group() or len(rest.split()) < 3 or not (rest[0].isupper() or rest[0] in "\"“‘"):
        return None
    return day, line[: match.end()].strip(), rest


# --- bylines and outlets --------------------------------------------------------------

_UPPER = "A-ZÀ-ÖØ-ÞА-ЯЁ"
_NAME_WORD = rf"[{_UPPER}][\w'’.-]*"
_PARTICLE = r"(?:de|da|di|del|der|du|van|von|la|le|bin|ibn|al|el)"
_NAME = rf"{_NAME_WORD}(?:\s+(?:{_PARTICLE}\s+){{0,2}}{_NAME_WORD}){{1,3}}"
# Several authors need an "and": "By A B, Washington Examiner" names one author and an outlet.
_NAMES = rf"{_NAME}(?:(?:\s*,\s*{_NAME})*,?\s+(?:and|&)\s+{_NAME})?"
_SEPARATOR = r"(?:\s*[,|–—]\s*|\s+-\s+)"
_BY_LINE = re.compile(rf"^(?:By|BY|by)\s*:?\s+(?P<names>{_NAMES})(?:{_SEPARATOR}.*)?$")
_NAME_AND_ROLE = re.compile(rf"^(?P<names>{_NAME}){_SEPARATOR}(?P<role>.+)$")
_ROLE_WORD = re.compile(
    r"\b(?:reporter|correspondent|editor|writer|columnist|contributor|journalist|analyst|producer"
    r"|staff|chief|author|bureau|fellow)\b",
    re.I,
)


def byline_from(line):
    """The author name(s) of a byline ("By Jane Doe", "Jane Doe, Staff Reporter"), or ""."""
    if len(line.split()) > 12:
        return ""
    match = _BY_LINE.match(line)
    if not match:
        match = _NAME_AND_ROLE.match(line)
        if not match or not _ROLE_WORD.search(match["role"]) or len(match["role"].split()) > 6:
            return ""
    names = match["names"]
    return names.title() if names.isupper() else names


_OUTLET_LINES = [
    re.compile(
        r"\b(?:read|see)\s+(?:more|the\s+(?:full|whole)\s+(?:story|article))\s+(?:from|at|on)\s+(?P<name>.+)$", re.I
    ),
    re.compile(r"\b(?:originally|first)\s+(?:appeared|published|ran|posted)\s+(?:in|on|at|by)\s+(?P<name>.+)$", re.I),
    re.compile(r"\b(?:republished|reprinted)\s+(?:with\s+permission\s+)?from\s+(?P<name>.+)$", re.I),
]


def outlet_from(line):
    """The original outlet named by a "read more from X" / "originally appeared in X" line, or ""."""
    for pattern in _OUTLET_LINES:
        match = pattern.search(line)
        if match:
            name = re.sub(r"^the\s+", "", match["name"].strip(" .!:;»›>)\"'"), flags=re.I)
            if name and len(name.split()) <= 8:
                return name
    return ""


def as_written_in(name, text):
    """`name` in the casing the text itself uses ("WASHINGTON EXAMINER" → "Washington Examiner")."""
    if not name.isupper():
        return name
    for match in re.finditer(rf"\b{re.escape(name)}\b", text, re.I):
        if not match.group().isupper():
            return match.group()
    return name.title()


# --- chrome ---------------------------------------------------------------------------

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
    return _Cleaner(Hints(), text).run(split_lines(text))


class _Cleaner:
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
        if is_prose(line):
            return False
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
        if zone != "body" and len(words) <= 3 and not leads_into_text and not _ENDS_SENTENCE.search(line):
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


# --- titles ---------------------------------------------------------------------------

_SENTENCE_BREAK = re.compile(r"[.!?…][\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-ZÀ-Þ0-9])")
_ABBREVIATIONS = {
    "Mr", "Mrs", "Ms", "Dr", "Prof", "St", "Gen", "Col", "Lt", "Sgt", "Capt", "Gov", "Sen", "Rep", "Pres", "Jr", "Sr",
    "Inc", "Co", "Corp", "Ltd", "No", "vs", "etc", "Jan", "Feb", "Aug", "Sept", "Oct", "Nov", "Dec",
}


def first_sentence(paragraph):
    for match in _SENTENCE_BREAK.finditer(paragraph):
        before = paragraph[: match.start()].rsplit(maxsplit=1)
        word = before[-1].lstrip("\"'“‘(") if before else ""
        # "Mr. Putin", "J. Smith", "U.S. officials" do not end a sentence.
        if word in _ABBREVIATIONS or re.fullmatch(r"(?:[A-Za-z]\.)*[A-Za-z]", word):
            continue
        return paragraph[: match.end()].strip()
    return paragraph


def shorten(text, limit):
    """`text` cut at a word boundary to at most `limit` characters, with an ellipsis if cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if not text[limit - 1].isspace() and " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:–—-\"'“‘(") + "…"


def derive_title(paragraph):
    """A title for a source without a headline: its first sentence, shortened if long."""
    sentence = first_sentence(paragraph)
    if sentence.endswith(".") and not sentence.endswith(".."):
        sentence = sentence[:-1]
    return shorten(sentence, TITLE_LIMIT)


# --- HTML -----------------------------------------------------------------------------

_SILENT_TAGS = {"script", "style", "noscript", "template", "svg", "iframe", "object", "canvas"}
_CHROME_TAGS = {"nav", "aside", "footer", "form", "button", "select", "dialog"}
_VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
_BLOCK_TAGS = {
    "p", "div", "section", "article", "main", "header", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol",
    "blockquote", "figure", "figcaption", "pre", "table", "tr", "td", "th", "br", "hr", "dd", "dt", "address",
}
_CHROME_ROLES = {"navigation", "banner", "complementary", "contentinfo", "search", "dialog", "alertdialog"}
# Words that sites put in the class or id of adverts, promotions and sharing widgets.
_CHROME_WORDS = {
    "ad", "ads", "advert", "adverts", "advertisement", "advertising", "adsbygoogle", "sponsor", "sponsored",
    "promo", "promoted", "newsletter", "share", "sharing", "social", "related", "recommended", "outbrain",
    "taboola", "cookie", "cookies", "consent", "paywall", "subscribe", "comments", "breadcrumb", "breadcrumbs",
}
_META_KEYS = {
    "title": ("og:title", "twitter:title", "headline"),
    "published": ("article:published_time", "datepublished", "date", "pubdate", "publish-date", "dc.date",
                  "dcterms.created", "parsely-pub-date", "sailthru.date", "og:published_time"),
    "byline": ("author", "article:author", "parsely-author", "sailthru.author", "dc.creator", "byl"),
    "outlet": ("og:site_name", "application-name"),
    "url": ("og:url",),
}


@dataclass
class _Block:
    text: str
    article: int | None  # which top-level <article> of the page it is in
    main: bool  # inside <main>
    chrome: str = ""  # why it is dropped; empty for text


def _drop_reason(tag, attrs):
    """"" for an element nobody sees, a reason for visible chrome, None for content."""
    if tag in _SILENT_TAGS or "hidden" in attrs:
        return ""
    if tag in _CHROME_TAGS:
        return f"site chrome: <{tag}> element"
    return None


def _suspect_reason(tag, attrs):
    """Why a block looks like an advert or widget by its markup, or "" when it does not."""
    if tag not in _BLOCK_TAGS or tag in ("article", "main"):
        return ""
    role = attrs.get("role", "").lower()
    if role in _CHROME_ROLES:
        return f'site chrome: role="{role}"'
    words = set(re.split(r"[\W_]+", f"{attrs.get('class', '')} {attrs.get('id', '')}".lower()))
    found = sorted(words & _CHROME_WORDS)
    return f"site chrome: marked “{found[0]}” in the page’s markup" if found else ""


class _HtmlText(HTMLParser):
    """Text blocks of an HTML page, in page order, plus the metadata its markup carries."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.items = []  # _Block, text and dropped chrome alike
        self.meta = {}
        self.ld_json = []
        self.canonical = ""
        self.page_title = ""
        self.h1 = ""
        self.time = ""
        self._open = []  # element names, outermost first
        self._pieces = []
        self._h1_pieces = []
        self._skip = None  # (depth, reason) of the element whose content is dropped
        self._skip_pieces = []
        self._ld_pieces = None
        self._suspect = None  # (depth, reason, first item) of a block that may be an advert
        self._article = None
        self._articles = 0
        self._article_depth = 0
        self._main_depth = 0
        self._in = set()  # "head", "title", "h1" while inside them

    def handle_starttag(self, tag, attrs):
        attrs = {k: v or "" for k, v in attrs}
        self._read_metadata(tag, attrs)
        if tag in _VOID_TAGS:
            if tag in _BLOCK_TAGS and not self._skip:
                self._flush()
            return
        self._open.append(tag)
        if self._skip:
            if tag in _BLOCK_TAGS:
                self._skip_pieces.append(" ")
            return
        reason = _drop_reason(tag, attrs)
        if reason is not None:
            if reason:
                self._flush()
            self._skip = (len(self._open) - 1, reason)
            if tag == "script" and attrs.get("type", "").lower() == "application/ld+json":
                self._ld_pieces = []
            return
        self._open_content(tag, attrs)

    def _open_content(self, tag, attrs):
        if self._suspect is None:
            reason = _suspect_reason(tag, attrs)
            if reason:
                self._flush()
                self._suspect = (len(self._open) - 1, reason, len(self.items))
        if tag in ("head", "title", "h1"):
            self._in.add(tag)
        elif tag == "body":
            self._in.discard("head")  # </head> is optional in HTML
        if tag == "article":
            self._flush()
            if not self._article_depth:
                self._article, self._articles = self._articles, self._articles + 1
            self._article_depth += 1
        elif tag == "main":
            self._flush()
            self._main_depth += 1
        if tag in _BLOCK_TAGS:
            self._flush()

    def _read_metadata(self, tag, attrs):
        if tag == "meta":
            key = (attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or "").lower()
            if key and attrs.get("content") and key not in self.meta:
                self.meta[key] = attrs["content"].strip()
        elif tag == "link" and "canonical" in attrs.get("rel", "").lower().split():
            self.canonical = attrs.get("href", "")
        elif tag == "time" and not self.time:
            self.time = attrs.get("datetime", "")

    def handle_endtag(self, tag):
        if tag not in self._open:
            return  # a stray end tag
        # Closing an element also closes the ones sloppy markup left open inside it.
        while True:
            closed = self._open.pop()
            self._close(closed)
            if closed == tag:
                break

    def _close(self, tag):
        depth = len(self._open)
        if self._skip:
            if depth > self._skip[0]:
                if tag in _BLOCK_TAGS:
                    self._skip_pieces.append(" ")
            else:
                self._end_skip()
            return
        self._in.discard(tag)
        if tag == "h1" and not self.h1:
            self.h1 = _collapse("".join(self._h1_pieces))
        if tag in _BLOCK_TAGS:
            self._flush()
        if tag == "article":
            self._article_depth = max(0, self._article_depth - 1)
            if not self._article_depth:
                self._article = None
        elif tag == "main":
            self._main_depth = max(0, self._main_depth - 1)
        if self._suspect and depth == self._suspect[0]:
            self._flush()
            self._end_suspect()

    def _end_skip(self):
        _, reason = self._skip
        text = _collapse("".join(self._skip_pieces))
        if reason and text:
            self.items.append(_Block(text, self._article, self._main_depth > 0, reason))
        if self._ld_pieces is not None:
            self.ld_json.append("".join(self._ld_pieces))
        self._skip, self._skip_pieces, self._ld_pieces = None, [], None

    def _end_suspect(self):
        _, reason, first = self._suspect
        self._suspect = None
        texts = [block for block in self.items[first:] if not block.chrome]
        # The module's first rule holds here too: prose is article text, whatever the markup says.
        if any(is_prose(block.text) for block in texts):
            return
        for block in texts:
            block.chrome = reason

    def handle_data(self, data):
        if self._skip:
            if self._ld_pieces is not None:
                self._ld_pieces.append(data)
            elif self._skip[1] and not _SILENT_TAGS.intersection(self._open[self._skip[0] :]):
                self._skip_pieces.append(data)
        elif "title" in self._in:
            self.page_title += data
        elif "head" not in self._in:
            self._pieces.append(data)
            if "h1" in self._in and not self.h1:
                self._h1_pieces.append(data)

    def _flush(self):
        text = _collapse("".join(self._pieces))
        if text:
            self.items.append(_Block(text, self._article, self._main_depth > 0))
        self._pieces = []

    def close(self):
        super().close()
        self._flush()
        if self._skip:
            self._end_skip()


def _collapse(text):
    return " ".join(text.translate(_INVISIBLE).split())


def clean_html(source):
    """Clean an HTML page: drop script/style/nav and friends, prefer <article>, read meta tags.

    The result's `lines` are in page order, so dropped chrome shows where it was.
    """
    page = _HtmlText()
    page.feed(source)
    page.close()
    hints = _html_hints(page)
    inside, outside_reason = _story_container(page.items)
    story, others = [], []
    for position, block in enumerate(page.items):
        if block.chrome:
            others.append((position, block.text, block.chrome))
        elif inside(block):
            story.append((block.text, position))
        elif block.text != hints.headline:
            others.append((position, block.text, outside_reason(block)))
    if hints.headline and [text for text, _ in story[:1]] != [hints.headline]:
        at = next((pos for pos, block in enumerate(page.items) if block.text == hints.headline and not block.chrome), None)
        story = [item for item in story if item[0] != hints.headline]
        story.insert(0, (hints.headline, at if at is not None else (story[0][1] if story else 0)))
    cleaner = _Cleaner(hints, "\n".join(text for text, _ in story))
    cleaned = cleaner.run([text for text, _ in story])
    positions = [story[origin][1] for origin in cleaner.origins]
    cleaned.lines = _in_page_order(cleaned.lines, positions, others)
    cleaned.removed = removed_lines(cleaned.lines)
    return cleaned


def _story_container(blocks):
    """Which text blocks hold the story: the longest <article>, else <main>, else the whole page."""
    sizes = {}
    for block in blocks:
        if not block.chrome and block.article is not None:
            sizes[block.article] = sizes.get(block.article, 0) + len(block.text)
    if sizes:
        best = max(sizes, key=sizes.get)
        return (lambda b: b.article == best), (
            lambda b: "outside <article>" if b.article is None else "another <article> on the page"
        )
    if any(block.main for block in blocks if not block.chrome):
        return (lambda b: b.main), (lambda b: "outside <main>")
    return (lambda b: True), None


def _in_page_order(lines, positions, others):
    """Merge the cleaner's decisions with the blocks dropped before it ran, by page position."""
    merged, waiting = [], list(reversed(others))
    for line, position in zip(lines, positions):
        while waiting and waiting[-1][0] < position:
            _, text, reason = waiting.pop()
            merged.append({"text": text, "removed": True, "reason": reason})
        merged.append(line)
    merged += [{"text": text, "removed": True, "reason": reason} for _, text, reason in reversed(waiting)]
    return merged


def _html_hints(page):
    meta = {key: next((page.meta[k] for k in keys if page.meta.get(k)), "") for key, keys in _META_KEYS.items()}
    described = _ld_article(page.ld_json)
    found = find_date(meta["published"] or _ld_text(described.get("datePublished")) or page.time)
    byline = "" if meta["byline"].startswith(("http://", "https://")) else meta["byline"]
    outlet = meta["outlet"] or _ld_names(described.get("publisher"))
    urls = (meta["url"], _ld_text(described.get("url")), page.canonical)
    title = meta["title"] or _ld_text(described.get("headline")) or _collapse(page.page_title)
    return Hints(
        headline=page.h1 or _page_headline(title, outlet),
        published=found[0] if found else None,
        byline=re.sub(r"^by\s+", "", byline or _ld_names(described.get("author")), flags=re.I),
        outlet=outlet,
        url=next((u for u in urls if u.startswith(("https://", "http://"))), ""),
    )


def _ld_article(scripts):
    """The schema.org article described by a page's JSON-LD scripts, or {}.

    A script that cannot be parsed (bad syntax, or nested deeper than the parser goes) is
    skipped: the page still imports with the metadata it can read.
    """
    for text in scripts:
        try:
            data = json.loads(text)
        except (ValueError, RecursionError):
            continue
        for node in _ld_nodes(data):
            kinds = node.get("@type")
            kinds = kinds if isinstance(kinds, list) else [kinds]
            if any(isinstance(k, str) and (k.endswith("Article") or k == "BlogPosting") for k in kinds):
                return node
    return {}


# Real pages put the article at the top, in a list or in an "@graph": a few levels at most.
_LD_DEPTH = 4


def _ld_nodes(data):
    """The objects of a JSON-LD document, outermost first, down to _LD_DEPTH lists or graphs."""
    pending = [(data, 0)]  # a stack: the next node to visit is last
    while pending:
        data, depth = pending.pop()
        if depth > _LD_DEPTH:
            continue
        if isinstance(data, list):
            pending.extend((item, depth + 1) for item in reversed(data))
        elif isinstance(data, dict):
            yield data
            pending.append((data.get("@graph", []), depth + 1))


def _ld_text(value):
    return _collapse(value) if isinstance(value, str) else ""


def _ld_names(value):
    """"A, B" from a JSON-LD person or organisation, a list of them, or plain names."""
    names = []
    for item in value if isinstance(value, list) else [value]:
        name = _ld_text(item.get("name") if isinstance(item, dict) else item)
        if name and not name.startswith(("http://", "https://")):
            names.append(name)
    return ", ".join(names)


def _page_headline(title, outlet):
    """A <title> without the " | Site Name" tail that most sites append."""
    if outlet:
        title = re.sub(rf"\s*[|–—-]\s*{re.escape(outlet)}\s*$", "", title)
    return _collapse(title)
