"""Finishing: spans trimmed, long quotations cut into sentences, overlaps merged."""

import re

from ..text import OPENING_DOUBLE
from .words import DISPUTED, MAX_QUOTE_SPAN, MIN_SPAN, Suggestion


def trim(body, start, end):
    """A span without surrounding spaces, commas or colons, nor a closing full stop (kept before
    a closing quotation mark, which belongs to the quoted words and is taken in when the span
    holds its opening mark)."""
    while start < end and body[start] in " \t,;:":
        start += 1
    while end > start and body[end - 1] in " \t,;:":
        end -= 1
    if body.count("“", start, end) > body.count("”", start, end):
        closing = re.match(r"[.,!?]?”", body[end : end + 2])
        if closing:
            return start, end + closing.end()
    if end > start and body[end - 1] == ".":
        end -= 1
    return start, end


def quote_pieces(doc, quote):
    """A quotation's words: whole when short, else sentence by sentence within the quotation."""
    start, end = trim(doc.body, *quote.inner)
    if end - start < MIN_SPAN:
        return []
    if end - start <= MAX_QUOTE_SPAN and "\n" not in doc.body[start:end]:
        return [(start, end)]
    pieces = []
    for sentence in doc.sentences:
        s, e = max(sentence.start, start), min(sentence.end, end)
        if e - s >= MIN_SPAN:
            s, e = trim(doc.body, s, e)
            if doc.body[s] in OPENING_DOUBLE or doc.body[s] == '"':
                s += 1
            pieces.append((s, e))
    return pieces


def finish(doc, found):
    """Merge near-duplicates, keep every span inside one paragraph and shorter than it, sort."""
    merged = []
    open_items = []  # merged items of the current label that may still overlap what follows
    for item in sorted(found, key=lambda f: (f.label, f.start, -f.end)):
        open_items = [m for m in open_items if m.label == item.label and m.end > item.start]
        same = open_items[-1] if open_items else None
        if same is None:
            merged.append(item)
            open_items.append(item)
        elif item.label != DISPUTED:
            if _overlap(same, item) < 0.8 * max(same.end - same.start, item.end - item.start):
                merged.append(item)
                open_items.append(item)
            elif item.confidence > same.confidence:
                merged[merged.index(same)] = item
                open_items[-1] = item
        else:
            _absorb(doc, same, item)
    suggestions = []
    for item in merged:
        p_start, p_end = doc.paragraphs[doc.paragraph_of(item.start)]
        start, end = item.start, min(item.end, p_end)
        if end - start < 3 or doc.body[start:end].strip() == doc.body[p_start:p_end].strip():
            continue
        suggestions.append(Suggestion(start, end, doc.body[start:end], item.label, item.source[:200], item.cue,
                                      min(item.confidence, 0.99)))
    suggestions.sort(key=lambda s: (s.start, s.end, s.label))
    return suggestions


def _overlap(a, b):
    return max(0, min(a.end, b.end) - max(a.start, b.start))


def _absorb(doc, kept, item):
    """Join two overlapping doubts about one sentence into one span with both cues."""
    if doc.sentence_at(kept.start) is not doc.sentence_at(item.start):
        if item.confidence > kept.confidence:
            kept.start, kept.end, kept.cue, kept.confidence = item.start, item.end, item.cue, item.confidence
        return
    kept.start, kept.end = min(kept.start, item.start), max(kept.end, item.end)
    if item.cue not in kept.cue:
        kept.cue = f"{kept.cue}; {item.cue}"
    kept.confidence = max(kept.confidence, item.confidence)
