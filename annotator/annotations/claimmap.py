"""The claim map: claims linked to passages of other articles, laid out for an SVG graph and a table.

Each article is a column, read top to bottom: a claim sits at its position in its article
(its start as a share of the body's length), and so does each linked passage. An edge runs
from a claim to each passage that corroborates or contradicts it. The layout is computed
here, the drawing is templates/annotations/claim_map.html.

`claim_map(annotations, links)` takes any querysets of claims and links, so the open map
(every claim a user may see) and a classroom exercise's map (that exercise's claims) share it.
It costs one query, whatever the number of claims.
"""

from dataclasses import dataclass, field

from django.db.models.functions import Length
from django.urls import reverse

from .models import Label, Relation

# Geometry, in SVG user units (pixels at the natural size).
COLUMN_WIDTH = 220
MARGIN_X = 16
HEADER_HEIGHT = 92
PLOT_TOP = HEADER_HEIGHT + 22
PLOT_MIN_HEIGHT = 420
NODE_GAP = 18  # the least vertical distance between two nodes of one column
BOTTOM_MARGIN = 28
TITLE_LINE_CHARS = 25
TITLE_TOP = 22
TITLE_LINE_HEIGHT = 16
TITLE_LINES = 3
# Beyond this many links the map would be unreadable (and slow to draw): the first ones are shown.
MAX_LINKS = 500

SHAPES = {Label.ATTRIBUTED: "circle", Label.EDITORIALIZED: "diamond", Label.DISPUTED: "triangle"}


@dataclass
class Column:
    article_id: int
    slug: str
    title: str
    published: object
    length: int
    x: float = 0
    title_lines: list = field(default_factory=list)

    url: str = ""

    # Positions as the SVG writes them (fixed decimals, whatever the locale).
    @property
    def cx(self):
        return _n(self.x)

    @property
    def date_y(self):
        return _n(TITLE_TOP + TITLE_LINE_HEIGHT * max(len(self.title_lines), 1) + 2)


@dataclass
class Node:
    column: Column
    share: float  # position in the article, 0 (start) to 1 (end)
    y: float = 0

    @property
    def x(self):
        return self.column.x

    @property
    def cx(self):
        return _n(self.x)

    @property
    def cy(self):
        return _n(self.y)


@dataclass
class ClaimNode(Node):
    annotation: object = None
    links: list = field(default_factory=list)

    @property
    def shape(self):
        return SHAPES.get(self.annotation.label, "circle")

    @property
    def path(self):
        """The outline for the diamond and triangle shapes (circles are drawn as circles)."""
        x, y = self.x, self.y
        if self.shape == "diamond":
            return f"M{x:.1f} {y - 8:.1f}L{x + 8:.1f} {y:.1f}L{x:.1f} {y + 8:.1f}L{x - 8:.1f} {y:.1f}Z"
        return f"M{x:.1f} {y - 8:.1f}L{x + 8:.1f} {y + 6:.1f}L{x - 8:.1f} {y + 6:.1f}Z"

    @property
    def url(self):
        return f"{self.column.url}#claim-{self.annotation.pk}"

    @property
    def name(self):
        counts = _relation_counts(self.links)
        return (f"{self.annotation.get_label_display()} claim in {self.column.title}: "
                f"“{_short(self.annotation.exact, 140)}” — {counts}")


@dataclass
class PassageNode(Node):
    start: int = 0
    end: int = 0
    exact: str = ""
    links: list = field(default_factory=list)

    @property
    def url(self):
        return f"{self.column.url}#passage-{self.links[0].pk}"

    @property
    def box(self):
        """x, y of the passage mark: a small upright bar centred on the node."""
        return _n(self.x - 5), _n(self.y - 7)

    @property
    def name(self):
        return f"Linked passage in {self.column.title}: “{_short(self.exact, 140)}”"


@dataclass
class Edge:
    link: object
    source: ClaimNode
    target: PassageNode

    @property
    def relation(self):
        return self.link.relation

    @property
    def passage_url(self):
        return f"{self.target.column.url}#passage-{self.link.pk}"

    @property
    def name(self):
        verb = "contradicted" if self.relation == Relation.CONTRADICTS else "corroborated"
        return (f"“{_short(self.source.annotation.exact, 80)}” ({self.source.column.title}) {verb} by "
                f"“{_short(self.link.to_exact, 80)}” ({self.target.column.title})")

    @property
    def path(self):
        """A horizontal S-curve from the claim to the passage, stopping short of the passage's mark."""
        x1, y1, x2, y2 = self.source.x, self.source.y, self.target.x, self.target.y
        direction = 1 if x2 > x1 else -1
        x1 += 9 * direction
        x2 -= 9 * direction
        bend = (x2 - x1) / 2
        return f"M{x1:.1f} {y1:.1f}C{x1 + bend:.1f} {y1:.1f} {x2 - bend:.1f} {y2:.1f} {x2:.1f} {y2:.1f}"


def claim_map(annotations, links, article_url=None):
    """The map of the claims in `annotations` that have links in `links`.

    `article_url(slug)` is where a node opens its article (the open reader by default; an
    exercise passes its own reader's address).

    Returns the template context: columns, claims (ClaimNode), passages (PassageNode),
    edges, rows for the table (one per link), counts, the SVG's width and height, and
    `truncated` when over MAX_LINKS links exist.
    """
    if article_url is None:
        article_url = _reader_url
    rows = list(
        links.filter(source_annotation__in=annotations.order_by().values("pk"))
        .annotate(from_length=Length("source_annotation__article__body"), to_length=Length("to_article__body"))
        .order_by("source_annotation__article_id", "source_annotation__start", "source_annotation_id", "id")
        [: MAX_LINKS + 1]
    )
    truncated = len(rows) > MAX_LINKS
    rows = rows[:MAX_LINKS]

    columns = {}

    def column(article, length):
        if article.pk not in columns:
            columns[article.pk] = Column(article.pk, article.slug, article.title, article.published, length or 1,
                                         url=article_url(article.slug))
        return columns[article.pk]

    claims, passages, edges = {}, {}, []
    for link in rows:
        claim = link.source_annotation
        source = column(claim.article, link.from_length)
        target = column(link.to_article, link.to_length)
        node = claims.get(claim.pk)
        if node is None:
            node = claims[claim.pk] = ClaimNode(source, _share(claim.start, source.length), annotation=claim)
        node.links.append(link)
        key = (link.to_article_id, link.to_start, link.to_end)
        passage = passages.get(key)
        if passage is None:
            passage = passages[key] = PassageNode(target, _share(link.to_start, target.length), start=link.to_start,
                                                  end=link.to_end, exact=link.to_exact)
        passage.links.append(link)
        edges.append(Edge(link, node, passage))

    ordered = sorted(columns.values(), key=lambda c: (c.published is None, c.published or 0, c.title.lower(), c.article_id))
    for index, col in enumerate(ordered):
        col.x = MARGIN_X + COLUMN_WIDTH * index + COLUMN_WIDTH / 2
        col.title_lines = _wrap(col.title, TITLE_LINE_CHARS, TITLE_LINES)

    per_column = {}
    for node in [*claims.values(), *passages.values()]:
        per_column.setdefault(node.column.article_id, []).append(node)
    densest = max((len(nodes) for nodes in per_column.values()), default=0)
    plot_height = max(PLOT_MIN_HEIGHT, densest * NODE_GAP + NODE_GAP)
    for nodes in per_column.values():
        _place(nodes, PLOT_TOP, PLOT_TOP + plot_height)

    order = {col.article_id: i for i, col in enumerate(ordered)}
    table = sorted(edges, key=lambda e: (order[e.source.column.article_id], e.source.annotation.start,
                                         e.source.annotation.pk, e.link.pk))
    relations = {value: sum(1 for e in edges if e.relation == value) for value in Relation.values}
    return {
        "columns": ordered,
        "claims": list(claims.values()),
        "passages": list(passages.values()),
        "edges": edges,
        "rows": table,
        "counts": {"claims": len(claims), "links": len(edges), "articles": len(ordered), **relations},
        "width": max(2 * MARGIN_X + COLUMN_WIDTH * len(ordered), 1),
        "height": PLOT_TOP + plot_height + BOTTOM_MARGIN,
        "plot_top": _n(PLOT_TOP - 8),
        "plot_bottom": _n(PLOT_TOP + plot_height + 8),
        "title_top": TITLE_TOP,
        "truncated": truncated,
        "max_links": MAX_LINKS,
    }


def _reader_url(slug):
    return reverse("annotations:reader", args=[slug])


def _n(value):
    return f"{value:.1f}"


def _share(offset, length):
    return min(max(offset / length, 0.0), 1.0) if length else 0.0


def _place(nodes, top, bottom):
    """Put nodes at their share of the column, then push apart those closer than NODE_GAP."""
    for node in nodes:
        node.y = top + node.share * (bottom - top)
    nodes.sort(key=lambda n: (n.y, isinstance(n, PassageNode)))
    previous = top - NODE_GAP
    for node in nodes:
        node.y = max(node.y, previous + NODE_GAP)
        previous = node.y
    following = bottom + NODE_GAP
    for node in reversed(nodes):
        node.y = min(node.y, following - NODE_GAP)
        following = node.y


def _wrap(text, width, lines):
    """`text` in at most `lines` lines of about `width` characters, the last one cut with an ellipsis."""
    words, out, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            out.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    if line:
        out.append(line)
    if len(out) > lines:
        out = out[: lines - 1] + [_short(" ".join(out[lines - 1 :]), width)]
    return [_short(line, width + 6) for line in out]


def _short(text, limit):
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _relation_counts(links):
    corroborated = sum(1 for link in links if link.relation == Relation.CORROBORATES)
    contradicted = len(links) - corroborated
    parts = []
    if corroborated:
        parts.append(f"corroborated by {corroborated}")
    if contradicted:
        parts.append(f"contradicted by {contradicted}")
    return " · ".join(parts)
