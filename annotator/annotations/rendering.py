"""Server-side rendering of an article body with its highlights.

Overlapping and nested spans are drawn by cutting the text at every span boundary
into segments; each segment is coloured by the innermost claim covering it and shaded
by how many do. Every text segment carries `data-o`, its code-point offset into
`Article.body`, which is how the selection script turns a browser selection back into
body offsets.

Which claims cover a segment is not written on the segment: with thousands of
overlapping claims that list would be most of the page. The claims' spans travel once,
compactly, as `geometry()`; the script finds a segment's claims from its offset.
"""

import html
import json

from django.utils.html import escape
from django.utils.safestring import mark_safe

from annotator.corpus.languages import paragraph_direction

LABEL_NAMES = {"attributed": "Attributed", "editorialized": "Editorialized", "disputed": "Disputed"}
# Up to this many claims starting (or ending) at one place are announced one by one, by
# number and label; more are announced as a count per label, so the text read aloud, like
# the page, grows with the places where claims start rather than with the claims.
ANNOUNCED_ONE_BY_ONE = 3
GEOMETRY_LABELS = tuple(LABEL_NAMES)


def geometry(annotations):
    """The spans of `annotations` (in text order) as compact JSON, what the script reads to
    find the claims under a segment and the segments of a claim:

        {"labels": ["attributed", ...], "ids": [...], "starts": [...], "lengths": [...], "label": "0120"}

    "ids" and "starts" hold the first value, then each one's difference from the one before
    (starts never go down; ids may); "lengths" are end - start; "label" has one digit per
    claim, an index into "labels". Offsets are code points of Article.body.
    """
    ids, starts, lengths, label = [], [], [], []
    index = {name: str(n) for n, name in enumerate(GEOMETRY_LABELS)}
    last_id = last_start = 0
    for a in annotations:
        ids.append(a.pk - last_id)
        starts.append(a.start - last_start)
        lengths.append(a.end - a.start)
        label.append(index[a.label])
        last_id, last_start = a.pk, a.start
    return json.dumps({"labels": GEOMETRY_LABELS, "ids": ids, "starts": starts, "lengths": lengths,
                       "label": "".join(label)}, separators=(",", ":"))


def render_body(article, annotations=(), link_targets=()):
    """The article body as HTML paragraphs (the first one a heading when it is the headline).

    `annotations` are the anchored claims to draw (anything with pk, start, end and label);
    `link_targets` are Link rows whose target is this article.
    """
    starts_at, ends_at = {}, {}
    for a in annotations:
        # Sorting key first: the innermost (shortest) claim decides a segment's colour.
        entry = ("a", a.pk, (a.end - a.start, -a.pk, a.label), a)
        starts_at.setdefault(a.start, []).append(entry)
        ends_at.setdefault(a.end, []).append(entry)
    for t in link_targets:
        entry = ("t", t.pk, (t.relation, str(t.pk)), t)
        starts_at.setdefault(t.to_start, []).append(entry)
        ends_at.setdefault(t.to_end, []).append(entry)
    cuts = sorted(set(starts_at) | set(ends_at))

    out = []
    claims, targets = {}, {}  # pk -> drawing data of the spans covering the current position
    pending = iter(cuts)
    next_cut = next(pending, None)

    def apply_cuts_up_to(position):
        nonlocal next_cut
        while next_cut is not None and next_cut <= position:
            ending, starting = [], []
            for kind, pk, _, obj in ends_at.get(next_cut, ()):
                if kind == "a":
                    claims.pop(pk, None)
                    ending.append(obj)
                else:
                    targets.pop(pk, None)
            for kind, pk, data, obj in starts_at.get(next_cut, ()):
                if kind == "a":
                    claims[pk] = data
                    starting.append(obj)
                else:
                    targets[pk] = data
                    out.append(_passage_start(obj))
            # One element for all that is said at one place: the browser lays out each one.
            notes = _claims_end(ending) + _claims_start(starting)
            if notes:
                out.append(f'<span class="sr-only">{" ".join(notes)}</span>')
            next_cut = next(pending, None)

    body = article.body
    for number, (p_start, text) in enumerate(article.paragraphs()):
        p_end = p_start + len(text)
        heading = number == 0 and not article.title_derived
        tag = "h1" if heading else "p"
        attrs = ' class="headline" id="headline"' if heading else ""
        direction = paragraph_direction(text)
        if direction:
            attrs += f' dir="{direction}"'
        out.append(f'<{tag}{attrs} data-p="{p_start}">')
        position = p_start
        apply_cuts_up_to(position)
        while position < p_end:
            segment_end = p_end if next_cut is None else min(next_cut, p_end)
            out.append(_segment(body[position:segment_end], position, claims, targets))
            position = segment_end
            # Boundaries at the paragraph's end (the newline) are closed inside it, so
            # a claim's end is announced where it ends; spans crossing it carry on.
            apply_cuts_up_to(position)
        out.append(f"</{tag}>")
    return mark_safe("".join(out))


def _claims_start(annotations):
    if len(annotations) <= ANNOUNCED_ONE_BY_ONE:
        return [f"({_label(a.label)} claim {a.pk}:)" for a in annotations]
    per_label = {}
    for a in annotations:
        per_label[a.label] = per_label.get(a.label, 0) + 1
    each = ", ".join(f"{n} {_label(label)}" for label, n in sorted(per_label.items()))
    return [f"({len(annotations)} claims begin: {each}:)"]


def _claims_end(annotations):
    if len(annotations) <= ANNOUNCED_ONE_BY_ONE:
        return [f"(end of claim {a.pk})" for a in annotations]
    return [f"(end of {len(annotations)} claims)"]


def _label(value):
    return LABEL_NAMES.get(value, value).lower()


def _passage_start(link):
    # The id is where a claim card's link jumps to in this (the target) article.
    return (f'<span class="sr-only" id="passage-{link.pk}">(passage that {escape(link.relation)} '
            f"claim {link.source_annotation_id} in another article:)</span>")


def _segment(text, offset, claims, targets):
    text = html.escape(text, quote=False)
    if not claims and not targets:
        return f'<span data-o="{offset}">{text}</span>'
    classes, data = [], [f'data-o="{offset}"']
    if claims:
        entries = claims.values()
        _, _, label = min(entries)
        classes += ["hl", f"hl-{label}", f"depth-{min(len(claims), 3)}"]
    if targets:
        entries = targets.values()
        relation = "contradicts" if any(entry[0] == "contradicts" for entry in entries) else "corroborates"
        classes += ["lt", f"lt-{relation}"]
        data.append(f'data-link="{" ".join(entry[1] for entry in entries)}"')
    tag = "mark" if claims else "span"
    return f'<{tag} class="{" ".join(classes)}" {" ".join(data)}>{text}</{tag}>'
