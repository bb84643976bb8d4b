"""Metadata: dates, bylines and outlets, and titles found in the text."""

import re
from datetime import date

from .lines import TITLE_LIMIT

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
_CLOCK = re.compile(r"\b\d{1,2}[:.]\d{2}(?::\d{2})?\s*(?:[aApP]\.?[mM]\.?)?(?:\s*[A-Z]{2,4}\b)?")
# What else a dateline carries besides its date: "5 min read", "Updated" with a second date.
_READING_TIME = re.compile(r"\b\d{1,3}\s*(?:-\s*)?min(?:ute)?s?\s+read\b", re.I)


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
    rest = line[: match.start()] + line[match.end() :]
    for form in _DATE_FORMS:  # "Published 17 April 2024 · Updated 18 April 2024": the first date counts
        rest = form.sub("", rest)
    rest = _CLOCK.sub("", _DATE_LABEL.sub("", _READING_TIME.sub("", rest)))
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
