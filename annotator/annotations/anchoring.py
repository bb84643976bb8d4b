"""Finding each span's text again after its article's body changed.

A span is stored twice over: by position ([start, end) in code points of the body) and by
quote (`exact`, with up to 32 code points of `prefix` and `suffix`). After a re-import, each
span that points into the article is located again, surest evidence first:

1. the diff between the old and the new body shows the span's text itself untouched: the
   span follows it (and stays put when nothing before it changed);
2. `exact` occurs in the new body where the surrounding text agrees with prefix and suffix:
   the best-agreeing occurrence wins, ties going to the one nearest where the span should be;
3. near where the span should be, a stretch of text close to `exact` (at most one edit per
   five code points, length within 25%) with agreeing surroundings: the span takes it and
   its quote is updated to the new text.

Anything else is orphaned: kept with its old quote and flagged, never deleted, and never
moved onto text that neither matches its quote nor sits in its old context.
"""

import itertools
import math
import os
from bisect import bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Callable

from django.db import transaction

from .models import Anchor

QUOTE_CONTEXT = 32  # code points of prefix and suffix, as the W3C TextQuoteSelector suggests
CONTEXT_AGREEMENT = 0.5  # share of the stored prefix + suffix that must still surround a match
MIN_SHARED_RUN = 3
FUZZY_SIMILARITY = 0.8
LENGTH_TOLERANCE = 0.25
# The fuzzy search costs length x window steps in Python; a span longer than a long
# paragraph whose text changed is orphaned rather than searched for.
FUZZY_MAX_LENGTH = 1000
# Changed paragraphs are compared character by character only up to this many pairs.
CHAR_DIFF_MAX_PAIRS = 1_000_000
BATCH_SIZE = 500

# The (start, end, exact, prefix, suffix, anchor) fields of each model that holds a span;
# a reply's "see this" passage has the same fields as a link's target.
ANNOTATION_SPAN = ("start", "end", "exact", "prefix", "suffix", "anchor")
LINK_TARGET_SPAN = ("to_start", "to_end", "to_exact", "to_prefix", "to_suffix", "to_anchor")


@dataclass(frozen=True)
class SpanHolder:
    """A model whose rows hold a span of some article's body, re-anchored when that body changes."""

    model: type
    article: str  # the foreign key to the article the span is in
    fields: tuple  # its (start, end, exact, prefix, suffix, anchor) fields
    # Called with the placements of one article's rows before they are saved, to restore a
    # rule of the model that moving spans could break (e.g. a unique constraint).
    settle: Callable | None = None


_HOLDERS = {}


def register_span_holder(model, article, fields, settle=None):
    """Have re-anchoring follow `model`'s spans. Each app registers its own models in
    AppConfig.ready, so this module never needs to know the apps built on it."""
    _HOLDERS[model._meta.label] = SpanHolder(model, article, fields, settle)


def reanchor_on_text_change(sender, article, old_body, **kwargs):
    """Receiver of corpus.signals.article_text_changed."""
    return reanchor_article(article, old_body)


def quote_selector(body, start, end):
    """(exact, prefix, suffix) of body[start:end], with up to 32 code points of context each side."""
    return body[start:end], body[max(0, start - QUOTE_CONTEXT) : start], body[end : end + QUOTE_CONTEXT]


def reanchor_article(article, old_body):
    """Re-anchor every span into `article` that a registered model holds (claims, link targets,
    reply passages: see register_span_holder).

    `article.body` is the new, saved text and `old_body` the text the spans were made on.
    Returns {"anchored": n, "moved": n, "orphaned": n} over every kind, where "anchored"
    counts spans whose offsets and text are unchanged and "moved" those that now point at
    other offsets or, after a fuzzy match, at changed text.
    """
    diff = BodyDiff(old_body, article.body)
    counts = Counter()
    with transaction.atomic():
        for holder in _HOLDERS.values():
            # A span field left empty means the row holds no span (a reply without a passage).
            rows = holder.model.objects.filter(**{holder.article: article, f"{holder.fields[0]}__isnull": False})
            placements = [_place(row, holder.fields, diff) for row in rows]
            if holder.settle:
                holder.settle(placements)
            holder.model.objects.bulk_update(_changed(placements), holder.fields, batch_size=BATCH_SIZE)
            counts.update(placement.outcome for placement in placements)
    return {outcome: counts[outcome] for outcome in ("anchored", "moved", "orphaned")}


@dataclass
class _Placement:
    obj: object
    fields: tuple
    old: tuple  # the span's field values before
    new: tuple  # and after
    outcome: str

    def keep_old_offsets_orphaned(self):
        self.new = (*self.old[:5], Anchor.ORPHANED)
        self.outcome = "orphaned"


def _place(obj, fields, diff):
    old = tuple(getattr(obj, name) for name in fields)
    start, end, exact, prefix, suffix, _ = old
    found = locate(diff, start, end, exact, prefix, suffix)
    if found is None:
        new_start, new_end = _clamp(start, end, len(diff.new))
        return _Placement(obj, fields, old, (new_start, new_end, exact, prefix, suffix, Anchor.ORPHANED), "orphaned")
    new = (*found, *quote_selector(diff.new, *found), Anchor.ANCHORED)
    outcome = "anchored" if new[:3] == old[:3] else "moved"
    return _Placement(obj, fields, old, new, outcome)


def _clamp(start, end, length):
    """An orphan's old offsets squeezed into the new body, still a non-empty span."""
    start = min(start, max(length - 1, 0))
    return start, max(min(end, length), start + 1)


def settle_link_clashes(placements):
    """Keep the one-link-per-target rule when two targets of one claim land on the same text.

    In each clash the link that did not move, or else the surest one, keeps the place; the
    others go back to their old offsets, orphaned. Old offsets never clashed, so this ends.
    """
    certainty = {"anchored": 0, "moved": 1, "orphaned": 2}
    while True:
        groups = defaultdict(list)
        for p in placements:
            groups[(p.obj.source_annotation_id, p.obj.relation, p.new[0], p.new[1])].append(p)
        clashes = [group for group in groups.values() if len(group) > 1]
        if not clashes:
            return
        for group in clashes:
            group.sort(key=lambda p: (p.new[:2] != p.old[:2], certainty[p.outcome]))
            for placement in group[1:]:
                placement.keep_old_offsets_orphaned()


def _changed(placements):
    changed = []
    for placement in placements:
        if placement.new != placement.old:
            for name, value in zip(placement.fields, placement.new):
                setattr(placement.obj, name, value)
            changed.append(placement.obj)
    return changed


def locate(diff, start, end, exact, prefix, suffix):
    """(start, end) of the span's text in the new body, or None if it cannot be found surely."""
    if diff.old[start:end] == exact:
        followed = diff.follow(start, end)
        if followed:
            return followed
    unique = _unique_occurrence(diff, exact)
    if unique is not None:
        return unique, unique + len(exact)
    expected = diff.position(start)
    if diff.new[expected : expected + len(exact)] == exact:
        return expected, expected + len(exact)
    return _find_exact(diff.new, exact, prefix, suffix, expected) or _find_fuzzy(
        diff.new, exact, prefix, suffix, expected
    )


def _unique_occurrence(diff, exact):
    """Where `exact` now is, if it was and still is the only place with that text.

    A phrase found once before and once after is the same phrase, whatever happened
    around it (edits next to a span can rewrite its context completely).
    """
    before = _occurrences(diff.old, exact)
    after = list(itertools.islice(_occurrences(diff.new, exact), 2))
    if len(after) == 1 and next(before, None) is not None and next(before, None) is None:
        return after[0]
    return None


def _find_exact(body, exact, prefix, suffix, expected):
    size = len(exact)
    scored = [
        (_context_agreement(body, at, at + size, prefix, suffix), -abs(at - expected), at)
        for at in _occurrences(body, exact)
    ]
    if not scored:
        return None
    agreement, _, at = max(scored)
    return (at, at + size) if agreement >= CONTEXT_AGREEMENT else None


def _occurrences(body, text):
    at = body.find(text)
    while at != -1:
        yield at
        at = body.find(text, at + 1)


def _find_fuzzy(body, exact, prefix, suffix, expected):
    size = len(exact)
    if not 0 < size <= FUZZY_MAX_LENGTH:
        return None
    slack = max(QUOTE_CONTEXT, math.ceil(size * LENGTH_TOLERANCE))
    window_start = max(0, expected - slack)
    distance, start, end = closest_substring(exact, body[window_start : expected + size + slack])
    start, end = window_start + start, window_start + end
    similar = 1 - distance / max(size, end - start) >= FUZZY_SIMILARITY
    if (
        similar
        and abs((end - start) - size) <= size * LENGTH_TOLERANCE
        and _context_agreement(body, start, end, prefix, suffix) >= CONTEXT_AGREEMENT
    ):
        return start, end
    return None


def closest_substring(pattern, text):
    """(edit distance, start, end) of the stretch of `text` that takes fewest edits to become `pattern`.

    Sellers' algorithm: edit distance where skipping text before and after the match is free.
    """
    costs = list(range(len(pattern) + 1))  # pattern[:i] against text[:0]
    starts = [0] * (len(pattern) + 1)
    best = (costs[-1], 0, 0)
    for j, char in enumerate(text, 1):
        new_costs, new_starts = [0], [j]
        for i, wanted in enumerate(pattern, 1):
            step = min(
                (costs[i - 1] + (wanted != char), starts[i - 1]),  # match or substitute
                (costs[i] + 1, starts[i]),  # text has an extra character
                (new_costs[i - 1] + 1, new_starts[i - 1]),  # text lacks a pattern character
            )
            new_costs.append(step[0])
            new_starts.append(step[1])
        if new_costs[-1] < best[0]:
            best = (new_costs[-1], new_starts[-1], j)
        costs, starts = new_costs, new_starts
    return best


def _context_agreement(body, start, end, prefix, suffix):
    """Share of the stored prefix and suffix still found around body[start:end], 0 to 1."""
    available = len(prefix) + len(suffix)
    if not available:
        return 1.0
    before = body[max(0, start - len(prefix)) : start]
    after = body[end : end + len(suffix)]
    return (_shared_characters(prefix, before) + _shared_characters(suffix, after)) / available


def _shared_characters(a, b):
    if a == b:
        return len(a)
    # Runs shorter than three characters are what any two English snippets share by chance.
    blocks = SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks()
    return sum(block.size for block in blocks if block.size >= MIN_SHARED_RUN)


class BodyDiff:
    """Which stretches of the old body reappear unchanged in the new one, and where."""

    def __init__(self, old, new):
        self.old, self.new = old, new
        # (old start, new start, length) of each unchanged stretch, in order in both texts.
        self.stretches = list(_unchanged_stretches(old, new))
        self._old_starts = [stretch[0] for stretch in self.stretches]

    def follow(self, start, end):
        """Where old [start, end) is in the new body if that text is untouched, else None."""
        i = bisect_right(self._old_starts, start) - 1
        if i >= 0:
            old_at, new_at, size = self.stretches[i]
            if end <= old_at + size:
                return new_at + start - old_at, new_at + end - old_at
        return None

    def position(self, offset):
        """The best guess for old `offset` in the new body, interpolated inside changed text."""
        offset = min(offset, len(self.old))  # a stale orphan may point past the old text
        i = bisect_right(self._old_starts, offset) - 1
        old_at, new_at, size = self.stretches[i] if i >= 0 else (0, 0, 0)
        if offset <= old_at + size:
            return new_at + offset - old_at
        gap_old, gap_new = old_at + size, new_at + size
        if i + 1 < len(self.stretches):
            next_old, next_new, _ = self.stretches[i + 1]
        else:
            next_old, next_new = len(self.old), len(self.new)
        return gap_new + round((offset - gap_old) * (next_new - gap_new) / max(1, next_old - gap_old))


def _unchanged_stretches(old, new):
    # Paragraphs first (cheap, and what a re-import mostly keeps), then characters inside
    # the paragraphs that changed: one paragraph against its counterpart when their number
    # is the same, as after a re-cleaning, or the changed block as a whole.
    old_lines, new_lines = old.splitlines(keepends=True), new.splitlines(keepends=True)
    old_at, new_at = _line_offsets(old_lines), _line_offsets(new_lines)
    matcher = SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            yield old_at[i1], new_at[j1], old_at[i2] - old_at[i1]
        elif tag == "replace":
            if i2 - i1 == j2 - j1:
                blocks = [(i, i + 1, j, j + 1) for i, j in zip(range(i1, i2), range(j1, j2))]
            else:
                blocks = [(i1, i2, j1, j2)]
            for a1, a2, b1, b2 in blocks:
                yield from _unchanged_characters(
                    old[old_at[a1] : old_at[a2]], new[new_at[b1] : new_at[b2]], old_at[a1], new_at[b1]
                )


def _unchanged_characters(a, b, a_at, b_at):
    head = len(os.path.commonprefix((a, b)))
    tail = len(os.path.commonprefix((a[head:][::-1], b[head:][::-1])))
    if head:
        yield a_at, b_at, head
    middle_a, middle_b = a[head : len(a) - tail], b[head : len(b) - tail]
    if len(middle_a) * len(middle_b) <= CHAR_DIFF_MAX_PAIRS:
        for block in SequenceMatcher(None, middle_a, middle_b, autojunk=False).get_matching_blocks()[:-1]:
            yield a_at + head + block.a, b_at + head + block.b, block.size
    if tail:
        yield a_at + len(a) - tail, b_at + len(b) - tail, tail


def _line_offsets(lines):
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    return offsets
