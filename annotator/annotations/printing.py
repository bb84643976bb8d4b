"""An article laid out for paper: numbered paragraphs, with numbered spans marked in the text
and listed in the margin beside their paragraph.

Used by the annotated print of an article (a reader's own claims, annotations.views) and by
the classroom's handouts (the key, in the teacher's version). Offsets are code points of
`Article.body`, as everywhere; paragraphs are its lines.
"""

from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import mark_safe


@dataclass
class Mark:
    """A numbered span to print: `note` is what the margin says beside its number."""

    start: int
    end: int
    number: int
    label: str
    note: str = ""


@dataclass
class Paragraph:
    number: int
    html: str
    marks: list = field(default_factory=list)  # the marks ending in this paragraph: its margin lists them


def paragraphs(body, marks=()):
    """The paragraphs of `body` with `marks` (overlapping allowed) drawn in: each stretch covered
    by a mark is a <mark> with its labels as classes, and each mark's number follows its last word."""
    marks = sorted(marks, key=lambda m: (m.start, m.end, m.number))
    laid_out, offset = [], 0
    for number, text in enumerate(body.split("\n"), start=1):
        begin, end = offset, offset + len(text)
        offset = end + 1
        if not text.strip():
            continue
        inside = [m for m in marks if m.start < end and m.end > begin]
        laid_out.append(Paragraph(len(laid_out) + 1, _drawn(text, begin, inside),
                                  [m for m in inside if m.end <= end]))
    return laid_out


def _drawn(text, begin, marks):
    """`text` (starting at `begin` in the body) as HTML with `marks` drawn in."""
    cuts = sorted({0, len(text)} | {max(0, min(len(text), p - begin)) for m in marks for p in (m.start, m.end)})
    html = []
    for left, right in zip(cuts, cuts[1:]):
        piece = escape(text[left:right])
        covering = [m for m in marks if m.start - begin <= left and m.end - begin >= right]
        if covering:
            labels = " ".join(sorted({f"print-{m.label}" for m in covering}))
            piece = f'<mark class="{labels}">{piece}</mark>'
        html.append(piece)
        html.extend(f'<sup class="print-ref">[{m.number}]</sup>' for m in marks if m.end - begin == right)
    return mark_safe("".join(html))
