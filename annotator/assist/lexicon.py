"""The cue lexicons: plain-text files in lexicons/, read once per process.

The file format is documented in lexicons/README.md. Each file becomes a `Lexicon`: its
patterns are indexed by their first word, so finding every cue in an article costs one
dictionary look-up per word plus a regular-expression match where a first word fits,
however long the lists grow.
"""

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DIRECTORY = Path(__file__).resolve().parent / "lexicons"
# Spaces inside a pattern match runs of spaces, never a newline: a cue stays in its paragraph.
GAP = r"[^\S\n]+"
# A word-final pattern also matches its possessive: "regime" in "the Syrian regime’s claim".
WORD_END = r"(?:['’]s)?(?![\w'’-])"
OPENING_QUOTES = "“\"«‘"


class LexiconError(ValueError):
    """A line of a lexicon file that cannot be read; the message names file and line."""


@dataclass(frozen=True)
class Entry:
    section: str
    pattern: str  # the line as written

    @property
    def one_word(self):
        """Whether the pattern is a single word (or alternatives): the token is the match."""
        return " " not in self.pattern and "*" not in self.pattern and self.pattern != '"'

    @property
    def regex(self):
        return _compiled(self.pattern)


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    text: str
    entry: Entry


class Lexicon:
    def __init__(self, name, entries):
        self.name = name
        self.entries = entries
        self._by_first_word = {}
        self._by_prefix = []  # (prefix, entry) for patterns whose first word ends in *
        self._forms = {}  # single-word patterns: form -> entry
        for entry in entries:
            slots = entry.pattern.split()
            for word in slots[0].split("|"):
                if word.endswith("*"):
                    self._by_prefix.append((normal(word[:-1]), entry))
                else:
                    self._by_first_word.setdefault(normal(word), []).append(entry)
                if len(slots) == 1:
                    self._forms.setdefault(normal(word), entry)

    def matches(self, text, words):
        """Every non-overlapping, longest match in `text`. `words` maps each word of the text
        (lower case, ’ as ') to its tokens, so only words that can start a pattern are tried."""
        prefixes = tuple(prefix for prefix, _ in self._by_prefix)
        starts = []
        for word, tokens in words.items():
            if word in self._by_first_word or (word.endswith("'s") and word[:-2] in self._by_first_word) \
                    or (prefixes and word.startswith(prefixes)):
                starts.extend(tokens)
        starts.sort(key=lambda token: token.start)
        taken_until = 0
        for token in starts:
            if token.start < taken_until:
                continue
            lower = token.lower
            candidates = self._by_first_word.get(lower) or self._by_first_word.get(lower.removesuffix("'s"), [])
            if prefixes:
                candidates = candidates + [e for prefix, e in self._by_prefix if lower.startswith(prefix)]
            best = None
            for entry in candidates:
                if entry.one_word:
                    end = token.end
                else:
                    found = entry.regex.match(text, token.start)
                    end = found.end() if found else None
                if end is not None and (best is None or end > best[0]):
                    best = (end, entry)
            if best:
                end, entry = best
                taken_until = end
                yield Match(token.start, end, text[token.start : end], entry)

    def word(self, form):
        """The single-word entry listing this word form (any case), or None."""
        return self._forms.get(normal(form))

    @property
    def forms(self):
        """Every single-word form listed, lower case with ’ as '."""
        return self._forms.keys()

    def normal_word(self, lower):
        """word() for a form already in lower case with ’ as ' (a Token's `lower`)."""
        return self._forms.get(lower)

    def in_section(self, section):
        return [entry.pattern for entry in self.entries if entry.section == section]


@cache
def lexicon(name):
    """The lexicon in lexicons/<name>.txt; read on first use and kept for the process."""
    path = DIRECTORY / f"{name}.txt"
    return Lexicon(name, parse(path.read_text(encoding="utf-8"), path.name))


def parse(text, filename="<lexicon>"):
    """Entries of a lexicon file; raises LexiconError naming the line it cannot use."""
    entries = []
    section = None
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip()
            continue
        if section is None:
            raise LexiconError(f"{filename}, line {number}: a pattern before any [section] header")
        slots = line.split()
        loose = [s for s in slots if s.endswith("?") and not (s.startswith("(") and s.endswith(")?"))]
        if loose:
            raise LexiconError(f"{filename}, line {number}: write an optional word as (word)?, not {loose[0]!r}")
        if slots[0].endswith(")?"):
            raise LexiconError(f"{filename}, line {number}: a pattern cannot start with an optional word")
        entries.append(Entry(section, line))
    return entries


@cache
def _compiled(pattern):
    """A pattern's regular expression, compiled the first time a word of the text could start it:
    most patterns never meet their first word in a given article."""
    return re.compile(_pattern_regex(pattern.split()), re.IGNORECASE)


def normal(word):
    return word.lower().replace("’", "'")


def _pattern_regex(slots):
    parts = []
    for index, slot in enumerate(slots):
        optional = slot.startswith("(") and slot.endswith(")?")
        words = slot[1:-2] if optional else slot
        alternatives = []
        for word in words.split("|"):
            # "wouldn't": a contraction joins the word before it without a space.
            joiner = "" if index == 0 or word.startswith("n'") else GAP
            alternatives.append(joiner + _word_regex(word))
        group = "(?:" + "|".join(alternatives) + ")"
        parts.append(group + "?" if optional else group)
    return "".join(parts) + (WORD_END if slots[-1] != '"' else "")


def _word_regex(word):
    if word == '"':
        return f"[{OPENING_QUOTES}]"
    wildcard = word.endswith("*")
    word = word.rstrip("*")
    regex = "".join("['’]" if ch == "'" else re.escape(ch) for ch in word)
    return regex + (r"[\w'’-]*" if wildcard else "")
