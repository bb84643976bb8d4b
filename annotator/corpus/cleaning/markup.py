"""HTML: the article found in a saved web page, its metadata from the page, then `clean_text` rules."""

import json
import re
from dataclasses import dataclass
from html.parser import HTMLParser

from .chrome import Cleaner, Hints, removed_lines
from .lines import INVISIBLE, is_prose
from .metadata import find_date

_SILENT_TAGS = {"script", "style", "noscript", "template", "svg", "iframe", "object", "canvas"}
_CHROME_TAGS = {"nav", "aside", "footer", "form", "button", "select", "dialog"}
_VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
_BLOCK_TAGS = {
    "p", "div", "section", "article", "main", "header", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol",
    "blockquote", "figure", "figcaption", "pre", "table", "tr", "td", "th", "br", "hr", "dd", "dt", "address",
}
_CHROME_ROLES = {"navigation", "banner", "complementary", "contentinfo", "search", "dialog", "alertdialog"}
# Words that sites put in the class or id of adverts, promotions and sharing widgets.
_CHROME_WORDS = {
    "ad", "ads", "advert", "adverts", "advertisement", "advertising", "adsbygoogle", "sponsor", "sponsored",
    "promo", "promoted", "newsletter", "share", "sharing", "social", "related", "recommended", "outbrain",
    "taboola", "cookie", "cookies", "consent", "paywall", "subscribe", "comments", "breadcrumb", "breadcrumbs",
}
_META_KEYS = {
    "title": ("og:title", "twitter:title", "headline"),
    "published": ("article:published_time", "datepublished", "date", "pubdate", "publish-date", "dc.date",
                  "dcterms.created", "parsely-pub-date", "sailthru.date", "og:published_time"),
    "byline": ("author", "article:author", "parsely-author", "sailthru.author", "dc.creator", "byl"),
    "outlet": ("og:site_name", "application-name"),
    "url": ("og:url",),
}


@dataclass
class _Block:
    text: str
    article: int | None  # which top-level <article> of the page it is in
    main: bool  # inside <main>
    chrome: str = ""  # why it is dropped; empty for text


def _drop_reason(tag, attrs):
    """"" for an element nobody sees, a reason for visible chrome, None for content."""
    if tag in _SILENT_TAGS or "hidden" in attrs:
        return ""
    if tag in _CHROME_TAGS:
        return f"site chrome: <{tag}> element"
    return None


def _suspect_reason(tag, attrs):
    """Why a block looks like an advert or widget by its markup, or "" when it does not."""
    if tag not in _BLOCK_TAGS or tag in ("article", "main"):
        return ""
    role = attrs.get("role", "").lower()
    if role in _CHROME_ROLES:
        return f'site chrome: role="{role}"'
    words = set(re.split(r"[\W_]+", f"{attrs.get('class', '')} {attrs.get('id', '')}".lower()))
    found = sorted(words & _CHROME_WORDS)
    return f"site chrome: marked “{found[0]}” in the page’s markup" if found else ""


class _HtmlText(HTMLParser):
    """Text blocks of an HTML page, in page order, plus the metadata its markup carries."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.items = []  # _Block, text and dropped chrome alike
        self.meta = {}
        self.ld_json = []
        self.canonical = ""
        self.page_title = ""
        self.h1 = ""
        self.time = ""
        self._open = []  # element names, outermost first
        self._pieces = []
        self._h1_pieces = []
        self._skip = None  # (depth, reason) of the element whose content is dropped
        self._skip_pieces = []
        self._ld_pieces = None
        self._suspect = None  # (depth, reason, first item) of a block that may be an advert
        self._article = None
        self._articles = 0
        self._article_depth = 0
        self._main_depth = 0
        self._in = set()  # "head", "title", "h1" while inside them

    def handle_starttag(self, tag, attrs):
        attrs = {k: v or "" for k, v in attrs}
        self._read_metadata(tag, attrs)
        if tag in _VOID_TAGS:
            if tag in _BLOCK_TAGS and not self._skip:
                self._flush()
            return
        self._open.append(tag)
        if self._skip:
            if tag in _BLOCK_TAGS:
                self._skip_pieces.append(" ")
            return
        reason = _drop_reason(tag, attrs)
        if reason is not None:
            if reason:
                self._flush()
            self._skip = (len(self._open) - 1, reason)
            if tag == "script" and attrs.get("type", "").lower() == "application/ld+json":
                self._ld_pieces = []
            return
        self._open_content(tag, attrs)

    def _open_content(self, tag, attrs):
        if self._suspect is None:
            reason = _suspect_reason(tag, attrs)
            if reason:
                self._flush()
                self._suspect = (len(self._open) - 1, reason, len(self.items))
        if tag in ("head", "title", "h1"):
            self._in.add(tag)
        elif tag == "body":
            self._in.discard("head")  # </head> is optional in HTML
        if tag == "article":
            self._flush()
            if not self._article_depth:
                self._article, self._articles = self._articles, self._articles + 1
            self._article_depth += 1
        elif tag == "main":
            self._flush()
            self._main_depth += 1
        if tag in _BLOCK_TAGS:
            self._flush()

    def _read_metadata(self, tag, attrs):
        if tag == "meta":
            key = (attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or "").lower()
            if key and attrs.get("content") and key not in self.meta:
                self.meta[key] = attrs["content"].strip()
        elif tag == "link" and "canonical" in attrs.get("rel", "").lower().split():
            self.canonical = attrs.get("href", "")
        elif tag == "time" and not self.time:
            self.time = attrs.get("datetime", "")

    def handle_endtag(self, tag):
        if tag not in self._open:
            return  # a stray end tag
        # Closing an element also closes the ones sloppy markup left open inside it.
        while True:
            closed = self._open.pop()
            self._close(closed)
            if closed == tag:
                break

    def _close(self, tag):
        depth = len(self._open)
        if self._skip:
            if depth > self._skip[0]:
                if tag in _BLOCK_TAGS:
                    self._skip_pieces.append(" ")
            else:
                self._end_skip()
            return
        self._in.discard(tag)
        if tag == "h1" and not self.h1:
            self.h1 = _collapse("".join(self._h1_pieces))
        if tag in _BLOCK_TAGS:
            self._flush()
        if tag == "article":
            self._article_depth = max(0, self._article_depth - 1)
            if not self._article_depth:
                self._article = None
        elif tag == "main":
            self._main_depth = max(0, self._main_depth - 1)
        if self._suspect and depth == self._suspect[0]:
            self._flush()
            self._end_suspect()

    def _end_skip(self):
        _, reason = self._skip
        text = _collapse("".join(self._skip_pieces))
        if reason and text:
            self.items.append(_Block(text, self._article, self._main_depth > 0, reason))
        if self._ld_pieces is not None:
            self.ld_json.append("".join(self._ld_pieces))
        self._skip, self._skip_pieces, self._ld_pieces = None, [], None

    def _end_suspect(self):
        _, reason, first = self._suspect
        self._suspect = None
        texts = [block for block in self.items[first:] if not block.chrome]
        # The module's first rule holds here too: prose is article text, whatever the markup says.
        if any(is_prose(block.text) for block in texts):
            return
        for block in texts:
            block.chrome = reason

    def handle_data(self, data):
        if self._skip:
            if self._ld_pieces is not None:
                self._ld_pieces.append(data)
            elif self._skip[1] and not _SILENT_TAGS.intersection(self._open[self._skip[0] :]):
                self._skip_pieces.append(data)
        elif "title" in self._in:
            self.page_title += data
        elif "head" not in self._in:
            self._pieces.append(data)
            if "h1" in self._in and not self.h1:
                self._h1_pieces.append(data)

    def _flush(self):
        text = _collapse("".join(self._pieces))
        if text:
            self.items.append(_Block(text, self._article, self._main_depth > 0))
        self._pieces = []

    def close(self):
        super().close()
        self._flush()
        if self._skip:
            self._end_skip()


def _collapse(text):
    return " ".join(text.translate(INVISIBLE).split())


def clean_html(source):
    """Clean an HTML page: drop script/style/nav and friends, prefer <article>, read meta tags.

    The result's `lines` are in page order, so dropped chrome shows where it was.
    """
    page = _HtmlText()
    page.feed(source)
    page.close()
    hints = _html_hints(page)
    inside, outside_reason = _story_container(page.items)
    story, others = [], []
    for position, block in enumerate(page.items):
        if block.chrome:
            others.append((position, block.text, block.chrome))
        elif inside(block):
            story.append((block.text, position))
        elif block.text != hints.headline:
            others.append((position, block.text, outside_reason(block)))
    if hints.headline and [text for text, _ in story[:1]] != [hints.headline]:
        at = next((pos for pos, block in enumerate(page.items) if block.text == hints.headline and not block.chrome), None)
        story = [item for item in story if item[0] != hints.headline]
        story.insert(0, (hints.headline, at if at is not None else (story[0][1] if story else 0)))
    cleaner = Cleaner(hints, "\n".join(text for text, _ in story))
    cleaned = cleaner.run([text for text, _ in story])
    positions = [story[origin][1] for origin in cleaner.origins]
    cleaned.lines = _in_page_order(cleaned.lines, positions, others)
    cleaned.removed = removed_lines(cleaned.lines)
    return cleaned


def _story_container(blocks):
    """Which text blocks hold the story: the longest <article>, else <main>, else the whole page."""
    sizes = {}
    for block in blocks:
        if not block.chrome and block.article is not None:
            sizes[block.article] = sizes.get(block.article, 0) + len(block.text)
    if sizes:
        best = max(sizes, key=sizes.get)
        return (lambda b: b.article == best), (
            lambda b: "outside <article>" if b.article is None else "another <article> on the page"
        )
    if any(block.main for block in blocks if not block.chrome):
        return (lambda b: b.main), (lambda b: "outside <main>")
    return (lambda b: True), None


def _in_page_order(lines, positions, others):
    """Merge the cleaner's decisions with the blocks dropped before it ran, by page position."""
    merged, waiting = [], list(reversed(others))
    for line, position in zip(lines, positions):
        while waiting and waiting[-1][0] < position:
            _, text, reason = waiting.pop()
            merged.append({"text": text, "removed": True, "reason": reason})
        merged.append(line)
    merged += [{"text": text, "removed": True, "reason": reason} for _, text, reason in reversed(waiting)]
    return merged


def _html_hints(page):
    meta = {key: next((page.meta[k] for k in keys if page.meta.get(k)), "") for key, keys in _META_KEYS.items()}
    described = _ld_article(page.ld_json)
    found = find_date(meta["published"] or _ld_text(described.get("datePublished")) or page.time)
    byline = "" if meta["byline"].startswith(("http://", "https://")) else meta["byline"]
    outlet = meta["outlet"] or _ld_names(described.get("publisher"))
    urls = (meta["url"], _ld_text(described.get("url")), page.canonical)
    title = meta["title"] or _ld_text(described.get("headline")) or _collapse(page.page_title)
    return Hints(
        headline=page.h1 or _page_headline(title, outlet),
        published=found[0] if found else None,
        byline=re.sub(r"^by\s+", "", byline or _ld_names(described.get("author")), flags=re.I),
        outlet=outlet,
        url=next((u for u in urls if u.startswith(("https://", "http://"))), ""),
    )


def _ld_article(scripts):
    """The schema.org article described by a page's JSON-LD scripts, or {}.

    A script that cannot be parsed (bad syntax, or nested deeper than the parser goes) is
    skipped: the page still imports with the metadata it can read.
    """
    for text in scripts:
        try:
            data = json.loads(text)
        except (ValueError, RecursionError):
            continue
        for node in _ld_nodes(data):
            kinds = node.get("@type")
            kinds = kinds if isinstance(kinds, list) else [kinds]
            if any(isinstance(k, str) and (k.endswith("Article") or k == "BlogPosting") for k in kinds):
                return node
    return {}


# Real pages put the article at the top, in a list or in an "@graph": a few levels at most.
_LD_DEPTH = 4


def _ld_nodes(data):
    """The objects of a JSON-LD document, outermost first, down to _LD_DEPTH lists or graphs."""
    pending = [(data, 0)]  # a stack: the next node to visit is last
    while pending:
        data, depth = pending.pop()
        if depth > _LD_DEPTH:
            continue
        if isinstance(data, list):
            pending.extend((item, depth + 1) for item in reversed(data))
        elif isinstance(data, dict):
            yield data
            pending.append((data.get("@graph", []), depth + 1))


def _ld_text(value):
    return _collapse(value) if isinstance(value, str) else ""


def _ld_names(value):
    """"A, B" from a JSON-LD person or organisation, a list of them, or plain names."""
    names = []
    for item in value if isinstance(value, list) else [value]:
        name = _ld_text(item.get("name") if isinstance(item, dict) else item)
        if name and not name.startswith(("http://", "https://")):
            names.append(name)
    return ", ".join(names)


def _page_headline(title, outlet):
    """A <title> without the " | Site Name" tail that most sites append."""
    if outlet:
        title = re.sub(rf"\s*[|–—-]\s*{re.escape(outlet)}\s*$", "", title)
    return _collapse(title)
