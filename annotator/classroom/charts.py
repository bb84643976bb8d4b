"""Server-drawn pictures for the class dashboard and feedback pages.

Everything returned as HTML is a SafeString built from escaped text; nothing uses inline
``style`` (the site's CSP forbids it): HTML is coloured by the classes in
``static/css/classroom.css``, SVG by presentation attributes (``fill="…"``).

- :func:`coverage_segments` / :func:`coverage_html`: the article as a heat map of how many
  students tagged each stretch of text, underlined by the most common label.
- :func:`confusion_html`: the key-label × student-label table from
  :func:`annotator.classroom.matching.confusion_matrix`.
- :func:`score_bars_svg`: a horizontal bar chart of scores in [0, 1] (None = undefined).
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import mark_safe

from .agreement import bounds, covered_units
from .matching import EXTRA, LABEL_NAMES, LABELS, MISSED

HEAT_BUCKETS = 5
MIXED = "mixed"

# The site's palette (static/css/site.css): line colours and tints per label.
PALETTE = {
    "attributed": ("#1d4ed8", "#dbeafe"),
    "editorialized": ("#a16207", "#fde68a"),
    "disputed": ("#be123c", "#fecdd3"),
    "neutral": ("#5b636b", "#e2ded6"),
}
INK, MUTED, RULE, TRACK = "#1d2125", "#5b636b", "#e2ded6", "#f1eee8"


def _bucket(count, total, buckets=HEAT_BUCKETS):
    """0 for nothing, else 1..buckets by the share count/total (rounded up)."""
    if count <= 0 or total <= 0:
        return 0
    return max(1, min(buckets, math.ceil(buckets * count / total)))


def _plural(n, word):
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


# --- coverage ----------------------------------------------------------------------------

@dataclass
class Segment:
    """A stretch [start, end) of one paragraph that the same students tagged the same way."""

    start: int
    end: int
    text: str
    paragraph: int  # index of the paragraph (line of the body) it lies in
    count: int = 0  # students whose claims cover it
    labels: dict = field(default_factory=dict)  # label -> students, non-zero only, LABELS order first

    @property
    def dominant(self):
        """The label most students gave here; "mixed" on a tie; None when untagged."""
        if not self.labels:
            return None
        top = max(self.labels.values())
        winners = [label for label, n in self.labels.items() if n == top]
        return winners[0] if len(winners) == 1 else MIXED

    def summary(self):
        """ "2 attributed, 1 disputed" """
        return ", ".join(f"{n} {label}" for label, n in self.labels.items())


def _paragraphs(body):
    offset = 0
    for line in body.split("\n"):
        yield offset, line
        offset += len(line) + 1


def coverage_segments(body: str, spans_by_student) -> list:
    """The body cut into Segments at every claim boundary and every paragraph break.

    `spans_by_student` maps a student to their claims (.start, .end, .label, or
    (start, end, label) tuples). Each student counts once per segment, with the label of
    their shortest claim covering it (the rule agreement.unit_labels uses). The newlines
    between paragraphs belong to no segment; empty paragraphs have none.
    """
    paragraphs = list(_paragraphs(body))
    cuts = set()
    spans_by_student = {student: list(spans) for student, spans in spans_by_student.items()}
    for spans in spans_by_student.values():
        for span in spans:
            start, end = (span[0], span[1]) if isinstance(span, tuple) and not hasattr(span, "start") else (span.start, span.end)
            cuts.add(max(0, min(len(body), start)))
            cuts.add(max(0, min(len(body), end)))
    stretches = []
    for number, (p_start, text) in enumerate(paragraphs):
        p_end = p_start + len(text)
        inner = sorted(c for c in cuts if p_start < c < p_end)
        edges = [p_start] + inner + [p_end]
        stretches += [(a, b, number) for a, b in zip(edges, edges[1:]) if b > a]

    # Tallied from each student's covered segments only: a class of 200 costs what its claims cost.
    segment_bounds = bounds([(a, b) for a, b, _ in stretches])
    tallies = [Counter() for _ in stretches]
    for spans in spans_by_student.values():
        for i, label in covered_units(segment_bounds, spans).items():
            tallies[i][label] += 1
    segments = []
    for (a, b, number), given in zip(stretches, tallies):
        ordered = {label: given[label] for label in LABELS if given[label]}
        ordered.update({label: n for label, n in sorted(given.items()) if label not in ordered})
        segments.append(Segment(a, b, body[a:b], number, sum(given.values()), ordered))
    return segments


def _heat_ranges(n_students):
    """[(bucket, lowest count, highest count)] for the buckets some count can reach."""
    ranges = {}
    for count in range(1, n_students + 1):
        k = _bucket(count, n_students)
        low, _ = ranges.get(k, (count, count))
        ranges[k] = (low, count)
    return [(k, low, high) for k, (low, high) in sorted(ranges.items())]


def coverage_legend_html(n_students: int) -> str:
    parts = ['<div class="coverage-legend">',
             '<p class="legend-title">Shade: how many students tagged the words</p>',
             '<ul class="legend heat-scale">']
    for k, low, high in _heat_ranges(n_students):
        text = f"{low}" if low == high else f"{low}–{high}"
        parts.append(f'<li><span class="heat-swatch heat-{k}" aria-hidden="true"></span>{escape(text)}</li>')
    parts.append(f'<li class="muted">of {escape(n_students)}</li></ul>')
    parts.append('<p class="legend-title">Underline: the label most of them gave</p><ul class="legend heat-labels">')
    for label in LABELS:
        parts.append(f'<li><span class="heat heat-3 heat-{label}">{escape(label)}</span></li>')
    parts.append(f'<li><span class="heat heat-3 heat-{MIXED}">tie</span></li></ul></div>')
    return "".join(parts)


def coverage_html(article_body: str, spans_by_student, n_students: int | None = None, *, headline: bool = False,
                  legend: bool = True):
    """The article text shaded by how many of `n_students` tagged each stretch (a SafeString).

    `n_students` defaults to len(spans_by_student); pass the class size when students
    who tagged nothing are not in the mapping. `headline=True` styles the first paragraph
    as the article's headline. Each tagged stretch is a
    ``<mark class="heat heat-K heat-LABEL" title="3 of 5 students: 2 attributed, 1 disputed">``;
    screen readers hear a short "(3 of 5: …)" where the counts change.
    """
    if n_students is None:
        n_students = len(spans_by_student)
    n_students = max(n_students, 0)
    segments = coverage_segments(article_body, spans_by_student)
    by_paragraph = {}
    for segment in segments:
        by_paragraph.setdefault(segment.paragraph, []).append(segment)

    out = ['<figure class="coverage">']
    if legend:
        out.append(f'<figcaption>{coverage_legend_html(n_students)}</figcaption>')
    out.append('<div class="coverage-text">')
    starts = {number: p_start for number, (p_start, _) in enumerate(_paragraphs(article_body))}
    for number, paragraph in sorted(by_paragraph.items()):
        classes = ' class="coverage-headline"' if headline and number == 0 else ""
        out.append(f'<p{classes} data-p="{starts[number]}">')
        previous = (0, {})
        for segment in paragraph:
            state = (segment.count, segment.labels)
            if state != previous:
                if segment.count:
                    said = f"({segment.count} of {n_students}: {segment.summary()})"
                else:
                    said = "(untagged)"
                out.append(f'<span class="sr-only">{escape(said)}</span>')
            previous = state
            if not segment.count:
                out.append(escape(segment.text))
                continue
            bucket = _bucket(segment.count, n_students)
            title = f"{segment.count} of {_plural(n_students, 'student')}: {segment.summary()}"
            out.append(f'<mark class="heat heat-{bucket} heat-{escape(segment.dominant)}" data-o="{segment.start}" '
                       f'title="{escape(title)}">{escape(segment.text)}</mark>')
        out.append("</p>")
    out.append("</div></figure>")
    return mark_safe("".join(out))


# --- confusion matrix ---------------------------------------------------------------------

ROW_NAMES = {**LABEL_NAMES, EXTRA: "Not in the key"}
COLUMN_NAMES = {**LABEL_NAMES, MISSED: "Missed"}
# Shown instead of the full column names on narrow screens (classroom.css swaps them).
SHORT_NAMES = {"attributed": "Attr.", "editorialized": "Edit.", "disputed": "Disp."}


def _header_text(key, names):
    """The full name, plus a short one that classroom.css shows instead on a phone."""
    name, short = names.get(key, key), SHORT_NAMES.get(key)
    if not short:
        return escape(name)
    return f'<span class="cm-long">{escape(name)}</span><span class="cm-short" aria-hidden="true">{escape(short)}</span>'


def confusion_html(matrix, caption: str = "Answer key label (rows) against the label students gave (columns)"):
    """An accessible table of a matching.ConfusionMatrix (a SafeString).

    Cells are shaded ``cm-0``…``cm-5`` relative to the largest count; agreeing cells (same
    label in key and answer) are ``cm-diag``; the impossible "not in the key" × "missed"
    cell is ``cm-na``.
    """
    top = matrix.max
    # A keyboard user can focus the region to scroll it when the table is wider than the screen.
    out = [f'<div class="table-scroll" role="region" tabindex="0" aria-label="{escape(caption)}"><table class="confusion">',
           f'<caption>{escape(caption)}</caption>',
           '<thead><tr><td class="cm-corner"></td>',
           f'<th scope="colgroup" colspan="{len(matrix.columns)}" class="cm-axis">Students tagged it</th>',
           '<td class="cm-corner"></td></tr>',
           '<tr><th scope="col" class="cm-axis">Answer key</th>']
    for column in matrix.columns:
        out.append(f'<th scope="col" class="cm-col cm-{escape(column)}">{_header_text(column, COLUMN_NAMES)}</th>')
    out.append('<th scope="col" class="cm-total">Total</th></tr></thead><tbody>')
    for row, counts in zip(matrix.rows, matrix.counts):
        out.append(f'<tr><th scope="row" class="cm-row cm-{escape(row)}">{_header_text(row, ROW_NAMES)}</th>')
        for column, count in zip(matrix.columns, counts):
            if row == EXTRA and column == MISSED:
                out.append('<td class="cm-na"><span aria-hidden="true">·</span>'
                           '<span class="sr-only">does not apply</span></td>')
                continue
            classes = [f"cm-{_bucket(count, top)}"]
            if row == column:
                classes.append("cm-diag")
            elif row == EXTRA or column == MISSED:
                classes.append("cm-edge")
            out.append(f'<td class="{" ".join(classes)}">{count}</td>')
        out.append(f'<td class="cm-total">{sum(counts)}</td></tr>')
    out.append("</tbody></table></div>")
    return mark_safe("".join(out))


# --- bar chart ---------------------------------------------------------------------------

_ids = itertools.count(1)


def _row(row):
    if isinstance(row, dict):
        return row["label"], row.get("value"), row.get("kind", "neutral"), row.get("group")
    row = tuple(row) + (None,) * (4 - len(row))
    label, value, kind, group = row[:4]
    return label, value, kind or "neutral", group


def _clip(text, limit=52):
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _patterns(prefix, kinds):
    """SVG <pattern>s: attributed solid, editorialized diagonal stripes, disputed dots, neutral solid."""
    out = []
    for kind in kinds:
        line, tint = PALETTE.get(kind, PALETTE["neutral"])
        pid = f"{prefix}-{kind}"
        if kind == "editorialized":
            out.append(f'<pattern id="{pid}" width="7" height="7" patternUnits="userSpaceOnUse" '
                       f'patternTransform="rotate(45)"><rect width="7" height="7" fill="{tint}"/>'
                       f'<rect width="3.5" height="7" fill="{line}"/></pattern>')
        elif kind == "disputed":
            out.append(f'<pattern id="{pid}" width="6" height="6" patternUnits="userSpaceOnUse">'
                       f'<rect width="6" height="6" fill="{tint}"/><circle cx="3" cy="3" r="1.9" fill="{line}"/></pattern>')
        else:
            out.append(f'<pattern id="{pid}" width="4" height="4" patternUnits="userSpaceOnUse">'
                       f'<rect width="4" height="4" fill="{line}"/></pattern>')
    return "".join(out)


KIND_CUE = {"attributed": "solid", "editorialized": "striped", "disputed": "dotted", "neutral": "solid grey"}


def score_bars_svg(rows, *, title: str = "Scores", axis_label: str = "Score (0–100%)", id_prefix: str | None = None):
    """A horizontal bar chart as an inline ``<svg role="img">`` (a SafeString).

    `rows`: dicts ``{"label", "value", "kind", "group"}`` or tuples ``(label, value[, kind[, group]])``;
    value in [0, 1] or None (drawn as "no data"); kind is "attributed", "editorialized",
    "disputed" or "neutral" (default) and picks the colour *and* the pattern (solid,
    stripes, dots) so colour is never the only cue; consecutive rows sharing a group get
    one group heading above them. Every bar carries its label and its value as text.

    The SVG has no viewBox: it is as wide as its container (CSS caps it) and its height
    is fixed in px by the number of rows, so text stays legible at any width.
    """
    rows = [_row(r) for r in rows]
    prefix = id_prefix or f"bars-{next(_ids)}"
    # No viewBox: x positions and widths are percentages of the drawn width, y in px, so
    # the chart stretches to its container while its text keeps its size on a phone.
    label_h, bar_h, gap, group_h = 19, 14, 11, 26
    top = 4

    body, desc, y = [], [], top
    current_group = None
    for label, value, kind, group in rows:
        if group is not None and group != current_group:
            if y > top:
                y += 8
            body.append(f'<text x="0" y="{y + 15}" font-size="14" font-weight="700" fill="{INK}">{escape(_clip(group))}</text>')
            y += group_h
        current_group = group
        kind = kind if kind in PALETTE else "neutral"
        line, _tint = PALETTE[kind]
        name = f"{group}: {label}" if group is not None else str(label)
        body.append(f'<text x="0" y="{y + 13}" font-size="13" fill="{INK}">{escape(_clip(label, 34))}</text>')
        if value is None:
            body.append(f'<text x="100%" y="{y + 13}" font-size="12.5" font-style="italic" text-anchor="end" '
                        f'fill="{MUTED}">no data</text>')
            desc.append(f"{name}: no data")
        else:
            value = max(0.0, min(1.0, float(value)))
            shown = f"{round(value * 100)}%"
            body.append(f'<text x="100%" y="{y + 13}" font-size="13" font-weight="700" text-anchor="end" '
                        f'fill="{INK}">{shown}</text>')
            desc.append(f"{name}: {shown}")
        y += label_h
        body.append(f'<rect x="0" y="{y}" width="100%" height="{bar_h}" rx="2" fill="{TRACK}"/>')
        body += [f'<line x1="{t}%" y1="{y}" x2="{t}%" y2="{y + bar_h}" stroke="{RULE}" stroke-width="1"/>' for t in (25, 50, 75)]
        if value:
            body.append(f'<rect x="0" y="{y}" width="{round(value * 100, 2):g}%" height="{bar_h}" rx="2" '
                        f'fill="url(#{prefix}-{kind})" stroke="{line}" stroke-width="1"/>')
        y += bar_h + gap

    axis_y = y
    axis = [f'<line x1="0" y1="{axis_y}" x2="100%" y2="{axis_y}" stroke="{MUTED}" stroke-width="1"/>']
    for tick in (0, 25, 50, 75, 100):
        axis.append(f'<line x1="{tick}%" y1="{axis_y}" x2="{tick}%" y2="{axis_y + 4}" stroke="{MUTED}" stroke-width="1"/>')
        anchor = "start" if tick == 0 else "end" if tick == 100 else "middle"
        axis.append(f'<text x="{tick}%" y="{axis_y + 17}" font-size="12" text-anchor="{anchor}" fill="{MUTED}">{tick}%</text>')
    axis.append(f'<text x="50%" y="{axis_y + 35}" font-size="12.5" text-anchor="middle" '
                f'fill="{INK}">{escape(axis_label)}</text>')
    height = axis_y + 42

    kinds = sorted({kind if kind in PALETTE else "neutral" for _, _, kind, _ in rows})
    cues = "; ".join(f"{KIND_CUE[k]} bars: {k}" for k in kinds if k != "neutral")
    summary = "; ".join(desc) or "no rows"
    svg = (f'<svg class="score-bars-svg" xmlns="http://www.w3.org/2000/svg" width="100%" height="{height}" '
           f'role="img" aria-labelledby="{prefix}-title {prefix}-desc" focusable="false">'
           f'<title id="{prefix}-title">{escape(title)}</title>'
           f'<desc id="{prefix}-desc">{escape(summary)}{escape(". " + cues) if cues else ""}</desc>'
           f'<defs>{_patterns(prefix, kinds)}</defs>'
           f'<g aria-hidden="true">{"".join(body)}{"".join(axis)}</g></svg>')
    return mark_safe(svg)


def per_label_rows(per_label, overall=None):
    """Rows for score_bars_svg from matching.Feedback.per_label (and .overall): P, R, F1 per label."""
    rows = []
    for label in LABELS:
        score = per_label.get(label)
        if score is None:
            continue
        name = LABEL_NAMES[label]
        rows += [("Precision", score.precision, label, name), ("Recall", score.recall, label, name),
                 ("F1", score.f1, label, name)]
    if overall is not None:
        rows += [("Precision", overall.precision, "neutral", "All labels"), ("Recall", overall.recall, "neutral", "All labels"),
                 ("F1", overall.f1, "neutral", "All labels")]
    return rows
