"""Server-side rendering of an article body with its highlights.

Overlapping and nested spans are drawn by cutting the text at every span boundary
into segments; each segment knows which claims (and which link targets) cover it.
Every text segment carries `data-o`, its code-point offset into `Article.body`, which
is how the selection script turns a browser selection back into body offsets.
"""

import hashlib
import html

from django.core.cache import cache
from django.utils.html import escape
from django.utils.safestring import mark_safe

from annotator.corpus.languages import paragraph_direction

LABEL_NAMES = {"attributed": "Attributed", "editorialized": "Editorialized", "disputed": "Disputed"}


def cached_body(article, annotations=(), link_targets=()):
    """render_body(), remembered for exactly this text and these highlights.

    Readers reload and filter the same article far more often than its claims change; the
    key covers everything the drawing depends on, so a change draws afresh.
    """
    key = hashlib.sha256(repr((
        article.pk, article.title_derived, article.body,
        [(a.pk, a.start, a.end, a.label) for a in annotations],
        [(t.pk, t.to_start, t.to_end, t.relation, t.source_annotation_id) for t in link_targets],
    )).encode()).hexdigest()
    html_text = cache.get(f"body:{key}")
    if html_text is None:
        html_text = str(render_body(article, annotations, link_targets))
        cache.set(f"body:{key}", html_text, timeout=3600)
    return mark_safe(html_text)


def render_body(article, annotations=(), link_targets=()):
    """The article body as HTML paragraphs (the first one a heading when it is the headline).

    `annotations` are the anchored claims to draw (anything with pk, start, end and label);
    `link_targets` are Link rows whose target is this article.
    """
    starts_at, ends_at = {}, {}
    for a in annotations:
        # Sorting key first: the innermost (shortest) claim decides a segment's colour.
        entry = ("a", a.pk, (a.end - a.start, -a.pk, a.label, str(a.pk)), a)
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
            for kind, pk, _, obj in ends_at.get(next_cut, ()):
                if kind == "a":
                    claims.pop(pk, None)
                    out.append(f'<span class="sr-only">(end of claim {pk})</span>')
                else:
                    targets.pop(pk, None)
            for kind, pk, data, obj in starts_at.get(next_cut, ()):
                if kind == "a":
                    claims[pk] = data
                    out.append(_claim_start(obj))
                else:
                    targets[pk] = data
                    out.append(_passage_start(obj))
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


def _claim_start(annotation):
    label = LABEL_NAMES.get(annotation.label, annotation.label)
    return f'<span class="sr-only">({label.lower()} claim {annotation.pk}:)</span>'


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
        _, _, label, _ = min(entries)
        classes += ["hl", f"hl-{label}", f"depth-{min(len(claims), 3)}"]
        data.append(f'data-ann="{" ".join(entry[3] for entry in entries)}"')
    if targets:
        entries = targets.values()
        relation = "contradicts" if any(entry[0] == "contradicts" for entry in entries) else "corroborates"
        classes += ["lt", f"lt-{relation}"]
        data.append(f'data-link="{" ".join(entry[1] for entry in entries)}"')
    tag = "mark" if claims else "span"
    return f'<{tag} class="{" ".join(classes)}" {" ".join(data)}>{text}</{tag}>'
