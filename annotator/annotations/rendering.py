"""Server-side rendering of an article body with its highlights.

Overlapping and nested spans are drawn by cutting the text at every span boundary
into segments; each segment knows which claims (and which link targets) cover it.
Every text segment carries `data-o`, its code-point offset into `Article.body`, which
is how the selection script turns a browser selection back into body offsets.
"""

from django.utils.html import escape
from django.utils.safestring import mark_safe

LABEL_NAMES = {"attributed": "Attributed", "editorialized": "Editorialized", "disputed": "Disputed"}


def render_body(article, annotations=(), link_targets=()):
    """The article body as HTML paragraphs (the first one a heading when it is the headline).

    `annotations` are anchored Annotation rows of this article; `link_targets` are Link
    rows whose target is this article. Orphaned spans are not drawn in the text.
    """
    spans = [(a.start, a.end, "a", a) for a in annotations] + [(t.to_start, t.to_end, "t", t) for t in link_targets]
    starts_at, ends_at = {}, {}
    for start, end, kind, obj in spans:
        starts_at.setdefault(start, []).append((kind, obj))
        ends_at.setdefault(end, []).append((kind, obj))
    cuts = sorted(set(starts_at) | set(ends_at))

    out = []
    active = {}  # (kind, pk) -> obj: the spans covering the current position
    pending = iter(cuts)
    next_cut = next(pending, None)

    def apply_cuts_up_to(position):
        nonlocal next_cut
        while next_cut is not None and next_cut <= position:
            for kind, obj in ends_at.get(next_cut, ()):
                active.pop((kind, obj.pk), None)
                if kind == "a":
                    out.append(f'<span class="sr-only">(end of claim {obj.pk})</span>')
            for kind, obj in starts_at.get(next_cut, ()):
                active[(kind, obj.pk)] = obj
                out.append(_claim_start(obj) if kind == "a" else _passage_start(obj))
            next_cut = next(pending, None)

    for number, (p_start, text) in enumerate(article.paragraphs()):
        p_end = p_start + len(text)
        heading = number == 0 and not article.title_derived
        tag = "h1" if heading else "p"
        attrs = ' class="headline" id="headline"' if heading else ""
        out.append(f'<{tag}{attrs} data-p="{p_start}">')
        position = p_start
        apply_cuts_up_to(position)
        while position < p_end:
            segment_end = p_end if next_cut is None else min(next_cut, p_end)
            out.append(_segment(article.body[position:segment_end], position, active))
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


def _segment(text, offset, active):
    if not active:
        return f'<span data-o="{offset}">{escape(text)}</span>'
    claims = [obj for (kind, _), obj in active.items() if kind == "a"]
    targets = [obj for (kind, _), obj in active.items() if kind == "t"]
    classes = []
    data = [f'data-o="{offset}"']
    if claims:
        # The innermost (shortest) claim decides the colour; deeper overlaps get darker.
        top = min(claims, key=lambda a: (a.end - a.start, -a.pk))
        classes += ["hl", f"hl-{top.label}", f"depth-{min(len(claims), 3)}"]
        data.append('data-ann="%s"' % " ".join(str(a.pk) for a in claims))
    if targets:
        relation = "contradicts" if any(t.relation == "contradicts" for t in targets) else "corroborates"
        classes += ["lt", f"lt-{relation}"]
        data.append('data-link="%s"' % " ".join(str(t.pk) for t in targets))
    tag = "mark" if claims else "span"
    return f'<{tag} class="{" ".join(classes)}" {" ".join(data)}>{escape(text)}</{tag}>'
