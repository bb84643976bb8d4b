"""How much a class agrees: Krippendorff's alpha (nominal) over the words of an article.

Units and values
----------------
The units are the article's words (:func:`word_units`): runs of Unicode letters, digits
and underscores, with combining marks kept inside the word and an apostrophe (' or ’)
between two word characters kept too, so "don't" and "O’Brien" are one word each.

Each student is a coder. For every word a student gives one value (:func:`unit_labels`):
the label of a claim of theirs that covers the word — covering means sharing at least one
code point with it — or ``"none"`` when no claim of theirs touches it. When several of one
student's claims cover a word with different labels, the shortest claim wins (the most
specific tag; ties go to the claim that starts later, then to the label name in
alphabetical order, so the result is deterministic).

Alpha
-----
:func:`krippendorff_alpha_nominal` follows Krippendorff's coincidence-matrix method
("Computing Krippendorff's Alpha-Reliability", 2011): within each unit every ordered pair
of values from different coders adds 1/(m_u − 1) to the coincidence matrix, where m_u is
the number of values in that unit; units with fewer than two values cannot be paired and
are dropped. Then

    alpha = 1 − (n − 1) · Σ_{c≠k} o_ck / Σ_{c≠k} n_c · n_k

with n_c the marginal sums and n the number of pairable values. 1 is perfect agreement,
0 is what chance would give, and below 0 the coders disagree systematically.

Alpha is **undefined (None)** when no unit has two values, or when every pairable value is
the same category (expected disagreement is 0: e.g. nobody tagged anything, so every word
is "none" for everyone — there is nothing to agree or disagree about).
"""

from __future__ import annotations

import bisect
import re
import sys
import unicodedata
from collections import Counter
from functools import cache

NONE = "none"


@cache
def _word_re():
    # Python's \w leaves out combining marks (Mn/Mc/Me: Devanagari vowel signs, decomposed
    # accents); they belong to the word they sit in.
    marks, run_start, prev = [], None, None
    for cp in range(sys.maxunicode + 1):
        ch = chr(cp)
        is_mark = unicodedata.category(ch)[0] == "M" and not ch.isalnum()
        if is_mark and run_start is None:
            run_start = cp
        elif not is_mark and run_start is not None:
            marks.append((run_start, prev))
            run_start = None
        prev = cp
    cls = "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in marks)
    char = rf"[\w{cls}]"
    return re.compile(rf"{char}+(?:['\u2019]{char}+)*")


def word_units(body: str) -> list:
    """(start, end) code-point offsets of every word of the body, in order."""
    return [m.span() for m in _word_re().finditer(body)]


def _span_fields(span):
    if isinstance(span, tuple) and not hasattr(span, "start"):
        return span[0], span[1], span[2]
    return span.start, span.end, span.label


def unit_labels(units, spans) -> list:
    """One coder's value per unit: the covering claim's label (shortest wins) or "none".

    `units` are (start, end) pairs sorted by start, as word_units gives them; `spans` have
    .start, .end, .label (or are (start, end, label) tuples).
    """
    labels = [NONE] * len(units)
    for i, label in covered_units(bounds(units), spans).items():
        labels[i] = label
    return labels


def bounds(units):
    """The units' starts and ends, as two lists, for covered_units()."""
    return [u[0] for u in units], [u[1] for u in units]


def covered_units(unit_bounds, spans) -> dict:
    """{unit index: label} for the units one coder's claims cover (shortest claim wins); the
    rest are "none". `unit_bounds` is bounds(units), made once for a whole class: the cost
    then follows the claims, not the article's length."""
    starts, ends = unit_bounds
    best = {}  # unit index -> (length, -start, label) of the winning span
    for span in spans:
        start, end, label = _span_fields(span)
        if end <= start:
            continue
        rank = (end - start, -start, label)
        # Units overlapping [start, end): their end > start and their start < end.
        for i in range(bisect.bisect_right(ends, start), bisect.bisect_left(starts, end)):
            if i not in best or rank < best[i]:
                best[i] = rank
    return {i: rank[2] for i, rank in best.items()}


def krippendorff_alpha_nominal(data):
    """Alpha for nominal data. `data`: one list per unit of the values coders gave (None = not coded).

    Returns a float, or None when alpha is undefined (see the module docstring).
    """
    observed_disagreement = 0.0  # Σ_{c≠k} o_ck
    marginals = Counter()  # n_c
    for unit in data:
        values = Counter(v for v in unit if v is not None)
        m = sum(values.values())
        if m < 2:
            continue
        same = sum(n * n for n in values.values())
        observed_disagreement += (m * m - same) / (m - 1)
        marginals.update(values)
    n = sum(marginals.values())
    if n < 2:
        return None
    expected = n * n - sum(c * c for c in marginals.values())  # Σ_{c≠k} n_c n_k
    if expected == 0:
        return None
    return 1 - (n - 1) * observed_disagreement / expected


def reliability_data(body: str, spans_by_student) -> list:
    """The units × coders table for an article: one row per word, one value per student."""
    units = word_units(body)
    columns = [unit_labels(units, spans) for spans in spans_by_student.values()]
    return [list(row) for row in zip(*columns)] if columns else [[] for _ in units]


def class_alpha(body: str, spans_by_student) -> float | None:
    """Alpha for a class: `spans_by_student` maps each student to their claims on this article.

    Include students who tagged nothing (an empty list): every word is then "none" for them,
    which is a real answer. Fewer than two students, or no words, gives None.

    The same figure as krippendorff_alpha_nominal(reliability_data(...)), counted sparsely:
    every student gives every word a value, so a word nobody tagged is m × "none" and adds
    nothing to the observed disagreement. Only tagged words are tallied, and a class of 200
    costs what its claims cost rather than 200 × the article's words.
    """
    units = word_units(body)
    coders = len(spans_by_student)
    if coders < 2 or not units:
        return None
    tagged = {}  # unit index -> Counter of the labels given to it
    unit_bounds = bounds(units)
    for spans in spans_by_student.values():
        for i, label in covered_units(unit_bounds, spans).items():
            tagged.setdefault(i, Counter())[label] += 1
    observed_disagreement = 0.0
    marginals = Counter()
    for labels in tagged.values():
        values = labels + Counter({NONE: coders - sum(labels.values())})
        same = sum(n * n for n in values.values())
        observed_disagreement += (coders * coders - same) / (coders - 1)
        marginals.update(labels)
    marginals[NONE] = coders * len(units) - sum(marginals.values())
    n = coders * len(units)
    expected = n * n - sum(c * c for c in marginals.values())
    if expected == 0:
        return None
    return 1 - (n - 1) * observed_disagreement / expected


def alpha_band(alpha) -> str:
    """Plain words for an alpha value, using Krippendorff's usual thresholds."""
    if alpha is None:
        return "not enough to compare yet"
    if alpha >= 0.8:
        return "strong agreement"
    if alpha >= 0.667:
        return "moderate agreement"
    if alpha > 0:
        return "weak agreement"
    return "no more agreement than chance"
