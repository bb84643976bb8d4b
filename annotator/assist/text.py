"""The structure the suggestion rules read: paragraphs, sentences, tokens and quotations.

Offsets are code points into the article body, as everywhere (DESIGN.md). Pure Python:
no Django, no database.
"""

import bisect
import re
from dataclasses import dataclass, field

from annotator.corpus.passages import split_passages

# Dotted acronyms ("U.S."), words with inner apostrophes or hyphens ("Iran’s", "ISIS-K"),
# and any other single non-space character (punctuation, quotation marks).
TOKEN = re.compile(r"(?:[^\W\d_]\.){2,}|\w+(?:['’\-]\w+)*|[^\w\s]")

OPENING_DOUBLE = "“«„"
CLOSING_DOUBLE = "”»"
STRAIGHT = '"'
MARKS = re.compile(f"[{OPENING_DOUBLE}{CLOSING_DOUBLE}{STRAIGHT}]")
# A straight quote right after one of these (or at a paragraph start) opens a quotation.
BEFORE_OPENING = set(" \t([{—–-/\u00a0")
# A quotation open at a paragraph's end runs on into later paragraphs (the news
# convention) only if a closing mark turns up within this many paragraphs.
MAX_QUOTE_PARAGRAPHS = 5
DASHES = {"–", "—"}


class Token:
    """A word or a punctuation mark at [start, end) of the body."""

    __slots__ = ("text", "start", "end", "lower", "is_word", "capitalized")

    def __init__(self, text, start, end):
        self.text = text
        self.start = start
        self.end = end
        self.lower = text.lower().replace("’", "'")
        self.is_word = text[0].isalnum()
        self.capitalized = text[0].isupper()

    def __repr__(self):
        return f"Token({self.text!r}, {self.start})"


@dataclass(slots=True)
class Sentence:
    index: int
    start: int
    end: int
    paragraph: int
    tokens: list
    headline: bool  # title case: capitals say nothing about names


@dataclass(slots=True)
class Quote:
    open: int  # offset of the opening mark
    close: int  # offset of the closing mark, or where the quotation was cut off
    paragraph: int  # paragraph of the opening mark
    full: bool = False  # stands on its own ("…," she said) rather than quoted inside a clause
    words: int = 0

    @property
    def inner(self):
        return self.open + 1, self.close


@dataclass
class Document:
    body: str
    paragraphs: list = field(default_factory=list)  # [(start, end)]
    tokens: list = field(default_factory=list)
    words: dict = field(default_factory=dict)  # lower-case word -> its tokens, for the lexicons
    sentences: list = field(default_factory=list)
    quotes: list = field(default_factory=list)
    skipped: set = field(default_factory=set)  # paragraph indexes that are crossheads
    found: dict = field(default_factory=dict)  # lexicon name -> its matches here, found once per article

    @classmethod
    def parse(cls, body):
        doc = cls(body)
        offset = 0
        for line in body.split("\n"):
            doc.paragraphs.append((offset, offset + len(line)))
            offset += len(line) + 1
        doc.skipped = {i for i, (s, e) in enumerate(doc.paragraphs) if _is_crosshead(body[s:e])}
        paragraph_starts = [s for s, _ in doc.paragraphs]
        tokens = doc.tokens = [Token(m.group(), m.start(), m.end()) for m in TOKEN.finditer(body)]
        for token in tokens:
            if token.is_word:
                doc.words.setdefault(token.lower, []).append(token)
        token_starts = [t.start for t in tokens]
        for start, end, _ in split_passages(body):
            paragraph = bisect.bisect_right(paragraph_starts, start) - 1
            first, last = bisect.bisect_left(token_starts, start), bisect.bisect_left(token_starts, end)
            headline = paragraph == 0 and _is_title_case(tokens[first:last])
            doc.sentences.append(Sentence(len(doc.sentences), start, end, paragraph, tokens[first:last], headline))
        doc.quotes = _find_quotes(body, doc.paragraphs)
        for quote in doc.quotes:
            _classify(doc, quote)
        doc._quote_opens = [q.open for q in doc.quotes]
        doc._sentence_starts = [s.start for s in doc.sentences]
        doc._paragraph_starts = paragraph_starts
        return doc

    def quote_at(self, pos):
        """The quotation whose marks enclose offset `pos` (the marks included), or None."""
        i = bisect.bisect_right(self._quote_opens, pos) - 1
        if i >= 0 and self.quotes[i].open <= pos <= self.quotes[i].close:
            return self.quotes[i]
        return None

    def sentence_at(self, pos):
        i = bisect.bisect_right(self._sentence_starts, pos) - 1
        return self.sentences[i] if i >= 0 and pos < self.sentences[i].end else None

    def paragraph_of(self, pos):
        return bisect.bisect_right(self._paragraph_starts, pos) - 1


def _is_crosshead(text):
    """A short line in capitals ("ISRAEL WAR: …", "CLICK HERE TO READ MORE"): a teaser, not prose."""
    if len(text) > 200:
        return False
    letters = [ch for ch in text if ch.isalpha()]
    return len(text.split()) >= 2 and len(letters) >= 8 and sum(ch.isupper() for ch in letters) > 0.7 * len(letters)


def _is_title_case(tokens):
    words = [t for t in tokens if t.is_word and len(t.text) > 3 and not t.text.isdigit()]
    return len(words) >= 3 and sum(t.capitalized for t in words) > 0.6 * len(words)


def _opens(body, i, paragraph_start):
    ch = body[i]
    if ch in OPENING_DOUBLE:
        return True
    if ch != STRAIGHT:
        return False
    return i == paragraph_start or body[i - 1] in BEFORE_OPENING


def _find_quotes(body, paragraphs):
    """Double-quoted passages, each as Quote(open, close). Nested single quotes stay inside."""
    starts = [s for s, _ in paragraphs]
    quotes = []
    open_at = None
    for number, (p_start, p_end) in enumerate(paragraphs):
        for mark in MARKS.finditer(body, p_start, p_end):
            i = mark.start()
            if _opens(body, i, p_start) and (open_at is None or body[i] != STRAIGHT):
                if open_at is not None and body.rfind("\n", open_at, i) < 0:
                    quotes.append(Quote(open_at, i - 1, _paragraph_at(starts, open_at)))
                open_at = i
            elif open_at is not None:
                quotes.append(Quote(open_at, i, _paragraph_at(starts, open_at)))
                open_at = None
        if open_at is not None and not _closes_later(body, paragraphs, number):
            quotes.append(Quote(open_at, p_end, _paragraph_at(starts, open_at)))
            open_at = None
    if open_at is not None:
        quotes.append(Quote(open_at, len(body), _paragraph_at(starts, open_at)))
    return [q for q in quotes if q.close > q.open + 1]


def _paragraph_at(starts, pos):
    return bisect.bisect_right(starts, pos) - 1


def _closes_later(body, paragraphs, number):
    """Whether a quotation open at the end of paragraph `number` is closed in a later one."""
    for p_start, p_end in paragraphs[number + 1 : number + MAX_QUOTE_PARAGRAPHS]:
        mark = MARKS.search(body, p_start, p_end)
        if mark:
            return not _opens(body, mark.start(), p_start)
    return False




def _classify(doc, quote):
    """A quotation is full when it stands as speech: it starts a sentence or follows , or :."""
    start, end = quote.inner
    quote.words = len(re.findall(r"\w+", doc.body[start:end]))
    before = doc.body[doc.paragraphs[quote.paragraph][0] : quote.open].rstrip()
    quote.full = quote.words >= 3 and (not before or before[-1] in ",:.!?" or before[-1] in CLOSING_DOUBLE)
