"""Cut an article body into passages: the units that related-passage search ranks.

A passage is a sentence, trimmed of surrounding whitespace, given as `(start, end, text)` with
`text == body[start:end]` in code points (the offsets of DESIGN.md). Paragraphs are hard
boundaries, no passage is longer than MAX_PASSAGE, and a tiny fragment ("..." or a two-word
sentence) is joined to its neighbour so a single shared word cannot make it look relevant.

Each passage also gets a *context* (`passage_contexts`): who is speaking in it, and the
sentence before it when the passage leans on that sentence: its subject is "he" or "they",
it quotes someone named only earlier, or it goes on with "he continued". Search indexes the
context beside the text, so a passage can be found by what it means in its place.

This module is pure: no Django, no database, so it can be tested and reused anywhere.
"""

import re

MAX_PASSAGE = 1000
# Fragments shorter than this are joined to a neighbouring sentence of the same paragraph.
MIN_PASSAGE = 25
# A long sentence is cut at a clause boundary no nearer its start than this, so the
# pieces stay readable on their own.
MIN_CLAUSE = 200

# Abbreviations whose period does not end a sentence: titles and months are followed by a
# name or a number, so treating them as sentence ends would cut "Mr. | Putin" or "Oct. | 7".
ABBREVIATIONS = frozenset(
    """
    mr mrs ms dr prof sr jr st mt ft gen col lt sgt capt cmdr adm gov sen rep rev hon pres
    supt insp det cpl pvt maj brig jan feb mar apr jun jul aug sep sept oct nov dec vs approx
    dept ave blvd
    """.split()
)
# "U.S.", "U.N.", "e.g.", "a.m.": letters with periods between them.
DOTTED_ACRONYM = re.compile(r"^(?:[^\W\d_]\.){2,}$")
# A lone letter before a period is an initial, as in "John F. Kennedy".
INITIAL = re.compile(r"^[^\W\d_]$")

TERMINATOR = re.compile(r"[.!?\u2026]+")
CLOSERS = "\"'\u201d\u2019)]\u00bb"
OPENERS = "\"'\u201c\u2018([\u00ab"
CLAUSE_BREAK = re.compile(r"[;:]\s|\s[\u2014\u2013-]\s|\u2014")
COMMA_BREAK = re.compile(r",\s")
WHITESPACE = re.compile(r"\s")
WORD_BEFORE = re.compile(r"(\S*)$")


def split_passages(body):
    """Return [(start, end, text)] for every passage of `body`, in order."""
    passages = []
    offset = 0
    for paragraph in body.split("\n"):
        for start, end in _paragraph_passages(paragraph):
            passages.append((offset + start, offset + end, body[offset + start : offset + end]))
        offset += len(paragraph) + 1
    return passages


def _paragraph_passages(paragraph):
    spans = [_trim(paragraph, s, e) for s, e in _sentences(paragraph)]
    spans = _join_fragments([span for span in spans if span])
    pieces = []
    for start, end in spans:
        pieces.extend(_cap_length(paragraph, start, end))
    return pieces


def _sentences(text):
    """Spans of `text` between sentence boundaries (untrimmed, covering all of it)."""
    start = 0
    for match in TERMINATOR.finditer(text):
        end = match.end()
        while end < len(text) and text[end] in CLOSERS:
            end += 1
        if _ends_sentence(text, match.start(), match.group(), end):
            yield start, end
            start = end
    if start < len(text):
        yield start, len(text)


def _ends_sentence(text, mark_at, mark, after):
    """Whether the terminator `mark` at `mark_at` (closers running to `after`) ends a sentence."""
    rest = text[after:]
    stripped = rest.lstrip()
    if not stripped:
        return True
    # A decimal ("3.5") or a domain has no space after its period; "?” he asked" goes on
    # in lower case: neither is a boundary.
    if len(stripped) == len(rest) or stripped[0].islower() or stripped[0] in ",;:":
        return False
    if mark != ".":
        return True
    word = WORD_BEFORE.search(text, max(0, mark_at - 40), mark_at).group(1).lstrip(OPENERS)
    return not _is_abbreviation(word + ".")


def _is_abbreviation(word):
    bare = word[:-1]
    return bool(bare.lower() in ABBREVIATIONS or DOTTED_ACRONYM.match(word) or INITIAL.match(bare))


def _trim(text, start, end):
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def _join_fragments(spans):
    """Join spans shorter than MIN_PASSAGE to the next one (the previous one at the end)."""
    joined = []
    carry = None
    for start, end in spans:
        if carry is not None:
            start, carry = carry, None
        if end - start < MIN_PASSAGE:
            carry = start
            continue
        joined.append((start, end))
    if carry is not None:
        if joined:
            joined[-1] = (joined[-1][0], spans[-1][1])
        else:
            joined.append((carry, spans[-1][1]))
    return joined


def _cap_length(text, start, end):
    """Cut [start, end) into pieces of at most MAX_PASSAGE: at clauses, else at words."""
    pieces = []
    while end - start > MAX_PASSAGE:
        cut = _cut_point(text, start)
        piece = _trim(text, start, cut)
        if piece:
            pieces.append(piece)
        start = _trim(text, cut, end)[0]
    pieces.append((start, end))
    return pieces


def _cut_point(text, start):
    """Where to end a piece that begins at `start`: the last good break within the limit."""
    limit = start + MAX_PASSAGE
    breaks = ((CLAUSE_BREAK, start + MIN_CLAUSE), (COMMA_BREAK, start + MIN_CLAUSE), (WHITESPACE, start + 1))
    for pattern, earliest in breaks:
        cut = _last_break(pattern, text, earliest, limit)
        if cut:
            return cut
    # One "word" over the limit (a URL, a run of symbols) is cut where the limit falls.
    return limit


def _last_break(pattern, text, earliest, limit):
    cut = None
    for match in pattern.finditer(text, earliest, limit + 1):
        # End the piece after the punctuation, before the space that follows it.
        end = match.end()
        while end > match.start() and text[end - 1].isspace():
            end -= 1
        if end <= limit:
            cut = end
    return cut


# --- context: the speaker, and the sentence a passage leans on ---------------------------

# Verbs that attribute words to someone; the speaker stands before or after them.
ATTRIBUTION_VERBS = (
    "said|says|told|tells|stated|states|claimed|claims|added|adds|continued|wrote|writes|reported|reports"
    "|warned|warns|announced|insisted|noted|explained|argued|declared|cited|cites|confirmed|denied|complained"
    "|emphasized|stressed|revealed|characterized|urged"
)
# Lower-case words that may sit inside a speaker's name or title ("the Ministry of Defence",
# "deputy minister").
NAME_GLUE = r"(?:of|the|for|and|de|al|bin|von|van|la|le|da|del|du)"
NAME = rf"[A-Z][\w.’'-]*(?:\s+(?:{NAME_GLUE}\s+)*[A-Z][\w.’'-]*)*"
# A speaker: a run of capitalised words, or "the"/"a" and a title ("the outlet", "the
# official Russian presidential press service").
SPEAKER = rf"(?:{NAME}|(?:the|an?|its|his|her|their)\s+(?:[\w’'-]+\s+){{0,5}}?[\w’'-]+)"
PRONOUN = r"(?:he|she|they|it|we|I)"
# Who may speak when not named: "the outlet further claimed", "the ministry said".
ROLE = (
    r"(?:outlet|agency|ministry|office|statement|spokesman|spokeswoman|spokesperson|president|minister|official"
    r"|officials|readout|report|government|embassy|army|military|envoy|ambassador|adviser|source|sources)"
)
SPEAKER_PATTERNS = (
    re.compile(rf"\baccording to\s+(?P<who>{SPEAKER})", re.IGNORECASE),
    re.compile(rf"\b(?:per|cited by|quoted by|through)\s+(?P<who>{NAME})"),
    # "...,” said Putin" / "said the Kremlin"
    re.compile(rf"\b(?:{ATTRIBUTION_VERBS})\s+(?P<who>{NAME})"),
    re.compile(rf"(?P<who>{NAME}|{PRONOUN}|(?i:the) {ROLE})\s+(?:(?:also|further|later|then|only|notably|"
               rf"reportedly|earlier)\s+)?(?:{ATTRIBUTION_VERBS})\b"),
)
# Words that start a passage and point back at the sentence before it.
LEANING_START = re.compile(
    rf"^[{re.escape(OPENERS)}]*(?:(?:and|but|so|yet)\s+)?(?:{PRONOUN}|his|her|their|its|this|that|these|those"
    rf"|there|the {ROLE})\b",
    re.IGNORECASE,
)
PRONOUN_SPEAKER = re.compile(rf"^{PRONOUN}$", re.IGNORECASE)
QUOTE_START = re.compile(rf"^[{re.escape(OPENERS)}]")
# A passage whose context is only its speaker keeps this much of the sentence before it.
MAX_CONTEXT = 400


def speaker_of(text):
    """The first speaker a passage names ("the Kremlin", "Raisi", "he"), or "" if none."""
    best = None
    for pattern in SPEAKER_PATTERNS:
        for match in pattern.finditer(text):
            who = match.group("who").strip(" ,.")
            if who and (best is None or match.start() < best[0]):
                best = (match.start(), who)
            break
    return best[1] if best else ""


def passage_contexts(passages):
    """For [(start, end, text)] in body order, the context of each: its speaker and what it leans on.

    The speaker is named in the passage or, when it is a pronoun or absent from a quotation,
    carried over from the passage before. The sentence before is added (cut to MAX_CONTEXT)
    when the passage starts with a pronoun or a back-pointing phrase, quotes without naming
    anyone, or names its speaker only as "he" or "they".
    """
    contexts = []
    previous_text, previous_speaker = "", ""
    for _, _, text in passages:
        speaker = speaker_of(text)
        pronoun = bool(PRONOUN_SPEAKER.match(speaker))
        leans = bool(previous_text) and (
            LEANING_START.match(text) is not None or pronoun or (not speaker and QUOTE_START.match(text) is not None)
        )
        if (pronoun or not speaker) and leans:
            speaker = previous_speaker
        parts = []
        if speaker and not pronoun and speaker not in text:
            parts.append(speaker)
        if leans:
            parts.append(previous_text[-MAX_CONTEXT:])
        contexts.append(" ".join(parts))
        previous_text = text
        previous_speaker = "" if pronoun else speaker
    return contexts
