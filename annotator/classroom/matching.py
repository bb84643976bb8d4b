"""Grading a student's claims against an exercise's answer key.

The match rule
--------------
Spans are half-open ``[start, end)`` in code points of the article body. Two spans
*match* when they overlap and the overlap covers at least half of the shorter span::

    overlap = min(a.end, b.end) - max(a.start, b.start)
    match   = overlap > 0 and 2 * overlap >= min(len(a), len(b))

So a student who highlights a whole sentence still matches a key claim that is one clause
of it (the clause is the shorter span and lies fully inside), while a student span that
merely grazes the key claim's last word does not. In an exercise over several articles,
claims match only within one article: a claim's article is its ``article_id`` (or
``article``) attribute, and plain spans without one are taken to share an article.

One-to-one pairing
------------------
Each key claim is paired with at most one student claim and each student claim with at
most one key claim. Every matching (key, student) pair is a candidate; candidates are
sorted best first by

1. same label before different label,
2. longer overlap first,
3. then key order and student order (so the result never depends on dict ordering),

and taken greedily: a candidate is kept when neither of its claims is paired yet. This
prefers a right-label pairing over a wrong-label one and, among equals, the closer span.
It is not a global optimum in every contrived case, but it is predictable and easy to
explain to a class: "your best-fitting claim was paired with each key claim".

Outcomes and scores
-------------------
- per key claim: ``found`` (paired, same label), ``other_label`` (paired, different label;
  the student's label is kept), ``missed`` (no student claim paired);
- ``extras``: student claims paired with no key claim — not wrong, just not in the key:
  something to bring to the discussion;
- ``per_label[L]``: true positives TP = student claims labelled L paired with a key claim
  labelled L; precision = TP / (student claims labelled L); recall = TP / (key claims
  labelled L); F1 = 2·TP / (student claims L + key claims L), which equals the harmonic
  mean of precision and recall whenever both are defined, and is 0 (not undefined) when
  one side has claims and the other none.
- ``overall``: the same three numbers micro-averaged (TP, student and key counts summed
  over all labels).

**Undefined values are ``None``** (a 0/0: no student claims with that label gives no
precision; no key claims with it gives no recall; neither gives no F1). Templates show
``None`` as an em dash: use :func:`percent` or ``Score.*_display``.

Link credit
-----------
For each key link (from a key claim to a passage in another article): one point when the
student claim paired with the key link's claim has a link with the same relation to the
same article whose target span matches the key link's target span (the same match rule).
A student link earns at most one point. Key links whose claim was missed cannot be earned.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any, Iterable, NamedTuple, Sequence

LABELS = ("attributed", "editorialized", "disputed")
LABEL_NAMES = {"attributed": "Attributed", "editorialized": "Editorialized", "disputed": "Disputed"}

FOUND = "found"
OTHER_LABEL = "other_label"
MISSED = "missed"
EXTRA = "extra"

OUTCOME_TEXT = {
    FOUND: "Found",
    OTHER_LABEL: "Found, different label",
    MISSED: "Missed",
    EXTRA: "Not in the key: bring it to the discussion",
}


class Span(NamedTuple):
    """A plain span for callers and tests that have no model rows at hand."""

    start: int
    end: int
    label: str = ""
    id: Any = None
    explanation: str = ""


class LinkSpec(NamedTuple):
    """A plain link: the claim it starts from, its relation and its target span."""

    from_id: Any
    relation: str
    to_article: Any
    to_start: int
    to_end: int


def overlap(a, b) -> int:
    """Code points shared by two half-open spans (0 when they do not touch)."""
    return max(0, min(a.end, b.end) - max(a.start, b.start))


def spans_match(a, b) -> bool:
    """True when the spans overlap and the overlap is at least half of the shorter span."""
    shared = overlap(a, b)
    shorter = min(a.end - a.start, b.end - b.start)
    return shared > 0 and 2 * shared >= shorter


# --- scores -----------------------------------------------------------------------------

def percent(value) -> str:
    """0.8 -> "80%"; None (undefined) -> "—"."""
    return "—" if value is None else f"{round(value * 100)}%"


@dataclass(frozen=True)
class Score:
    """Precision, recall and F1 from counts; each is a float in [0, 1] or None when 0/0."""

    tp: int
    n_student: int
    n_key: int

    @property
    def precision(self):
        return self.tp / self.n_student if self.n_student else None

    @property
    def recall(self):
        return self.tp / self.n_key if self.n_key else None

    @property
    def f1(self):
        total = self.n_student + self.n_key
        return 2 * self.tp / total if total else None

    @property
    def precision_display(self):
        return percent(self.precision)

    @property
    def recall_display(self):
        return percent(self.recall)

    @property
    def f1_display(self):
        return percent(self.f1)


@dataclass
class LinkResult:
    link: Any  # the key link
    credited: bool
    student_link: Any = None


@dataclass
class FeedbackItem:
    """One key claim and what became of it."""

    key: Any
    outcome: str  # "found" | "other_label" | "missed"
    student: Any = None  # the paired student claim, if any
    links: list = field(default_factory=list)  # LinkResult for each key link from this claim

    @property
    def label(self):
        return self.key.label

    @property
    def student_label(self):
        return self.student.label if self.student is not None else None

    @property
    def explanation(self):
        return getattr(self.key, "explanation", "")

    @property
    def outcome_text(self):
        return OUTCOME_TEXT[self.outcome]

    @property
    def links_earned(self):
        return sum(1 for r in self.links if r.credited)


@dataclass
class Feedback:
    items: list  # FeedbackItem per key claim, in key order
    extras: list  # student claims paired with no key claim, in student order
    per_label: dict  # label -> Score, for each of LABELS
    overall: Score
    link_credit: tuple  # (earned, possible)
    link_results: list = field(default_factory=list)  # LinkResult per key link

    @property
    def counts(self):
        """{"found": n, "other_label": n, "missed": n, "extra": n}."""
        c = Counter(item.outcome for item in self.items)
        return {FOUND: c[FOUND], OTHER_LABEL: c[OTHER_LABEL], MISSED: c[MISSED], EXTRA: len(self.extras)}

    @property
    def pairs(self):
        """(key claim, student claim) for every pairing made."""
        return [(item.key, item.student) for item in self.items if item.student is not None]


def _link_from(link):
    value = getattr(link, "from_id", None)
    return value if value is not None else getattr(link, "source_annotation_id", None)


def _link_article(link):
    value = getattr(link, "to_article_id", None)
    return value if value is not None else link.to_article


class _Target(NamedTuple):
    start: int
    end: int


def _article_of(claim):
    value = getattr(claim, "article_id", None)
    return value if value is not None else getattr(claim, "article", None)


def pair_claims(key: Sequence, student: Sequence) -> dict:
    """The one-to-one pairing described in the module docstring: {key index: student index}."""
    # Claims of different articles never match (plain spans without an article always may):
    # compare within each article, not every pair.
    by_article = defaultdict(list)
    for si, s in enumerate(student):
        by_article[_article_of(s)].append((si, s))
    candidates = []
    for ki, k in enumerate(key):
        for si, s in by_article.get(_article_of(k), ()):
            if spans_match(k, s):
                candidates.append((k.label != s.label, -overlap(k, s), ki, si))
    candidates.sort()
    paired_key, paired_student = {}, set()
    for _, _, ki, si in candidates:
        if ki not in paired_key and si not in paired_student:
            paired_key[ki] = si
            paired_student.add(si)
    return paired_key


def grade(key: Sequence, student: Sequence, key_links: Iterable = (), student_links: Iterable = ()) -> Feedback:
    """Compare one student's claims (and links) with the answer key. See the module docstring."""
    key, student = list(key), list(student)
    pairing = pair_claims(key, student)

    items = []
    for ki, k in enumerate(key):
        si = pairing.get(ki)
        if si is None:
            items.append(FeedbackItem(key=k, outcome=MISSED))
        else:
            s = student[si]
            items.append(FeedbackItem(key=k, outcome=FOUND if s.label == k.label else OTHER_LABEL, student=s))
    paired_students = set(pairing.values())
    extras = [s for si, s in enumerate(student) if si not in paired_students]

    tp = Counter(item.label for item in items if item.outcome == FOUND)
    n_student = Counter(s.label for s in student)
    n_key = Counter(k.label for k in key)
    per_label = {label: Score(tp[label], n_student[label], n_key[label]) for label in LABELS}
    overall = Score(sum(tp.values()), len(student), len(key))

    # Links
    item_by_key_id = {item.key.id: item for item in items}
    links_by_student_claim = {}
    for link in student_links:
        links_by_student_claim.setdefault(_link_from(link), []).append(link)
    used = set()
    link_results = []
    for kl in key_links:
        item = item_by_key_id.get(_link_from(kl))
        result = LinkResult(link=kl, credited=False)
        if item is not None and item.student is not None:
            target = _Target(kl.to_start, kl.to_end)
            for sl in links_by_student_claim.get(item.student.id, ()):
                if (id(sl) not in used and sl.relation == kl.relation
                        and _link_article(sl) == _link_article(kl)
                        and spans_match(_Target(sl.to_start, sl.to_end), target)):
                    used.add(id(sl))
                    result = LinkResult(link=kl, credited=True, student_link=sl)
                    break
        link_results.append(result)
        if item is not None:
            item.links.append(result)
    earned = sum(1 for r in link_results if r.credited)

    return Feedback(items=items, extras=extras, per_label=per_label, overall=overall,
                    link_credit=(earned, len(link_results)), link_results=link_results)


# --- confusion matrix --------------------------------------------------------------------

@dataclass
class ConfusionMatrix:
    """Rows: key label, then "extra"; columns: student label, then "missed".

    ``counts[i][j]`` is the number of claims with row label ``rows[i]`` and column label
    ``columns[j]``. The ("extra", "missed") cell cannot happen and is always 0.
    """

    rows: list
    columns: list
    counts: list

    @property
    def max(self):
        return max((c for row in self.counts for c in row), default=0)

    @property
    def total(self):
        return sum(c for row in self.counts for c in row)

    def cell(self, row, column):
        return self.counts[self.rows.index(row)][self.columns.index(column)]

    def table(self):
        """[(row label, [(column label, count), ...]), ...] for a template loop."""
        return [(r, list(zip(self.columns, counts))) for r, counts in zip(self.rows, self.counts)]


def confusion(pairs: Iterable) -> ConfusionMatrix:
    """Count (row, column) pairs: row = key label or "extra", column = student label or "missed"."""
    counts = Counter(pairs)
    seen_rows = {r for r, _ in counts} - {EXTRA} - set(LABELS)
    seen_cols = {c for _, c in counts} - {MISSED} - set(LABELS)
    rows = list(LABELS) + sorted(seen_rows) + [EXTRA]
    columns = list(LABELS) + sorted(seen_cols) + [MISSED]
    return ConfusionMatrix(rows=rows, columns=columns,
                           counts=[[counts[(r, c)] for c in columns] for r in rows])


def feedback_pairs(feedback: Feedback):
    """The (row, column) pairs one student's feedback adds to the confusion matrix."""
    for item in feedback.items:
        yield item.label, (item.student_label if item.student is not None else MISSED)
    for s in feedback.extras:
        yield EXTRA, s.label


def confusion_matrix(feedbacks) -> ConfusionMatrix:
    """Aggregate many students' Feedback (or a single one) into one ConfusionMatrix."""
    if isinstance(feedbacks, Feedback):
        feedbacks = [feedbacks]
    return confusion(pair for fb in feedbacks for pair in feedback_pairs(fb))
