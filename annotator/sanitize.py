"""Turning a reader's plain-text note into HTML that cannot run anything.

This is the only module that imports bleach, so replacing it (nh3 is its usual successor)
touches one file. Notes are stored exactly as typed; they become HTML only here, on output.
"""

import re
import threading

from bleach.linkifier import Linker
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WEB_SCHEMES = ("http://", "https://")

# Only explicit http(s) URLs become links: a bare "example.com" stays text, and no other
# scheme (javascript:, data:, ...) can match. The linker sees escaped text, where the only
# "&" is the start of an entity: "&amp;" belongs to a URL, while an escaped <, >, " or '
# ends it. A URL may not end in sentence punctuation ("see https://example.org." links
# without the full stop); a leading "(" is taken along so bleach can balance parentheses.
_URL_CHAR = r"(?:&amp;|[^&\s<>\"'`\x00-\x1f\x7f])"
_URL_END = r"(?:&amp;|[^&\s<>\"'`\x00-\x1f\x7f.,:;!?])"
WEB_URL = re.compile(rf"\(*\bhttps?://{_URL_CHAR}*{_URL_END}", re.IGNORECASE)


def _web_link_attributes(attrs, new=False):
    href = attrs.get((None, "href"), "")
    if not href.lower().startswith(WEB_SCHEMES):
        return None
    attrs[(None, "rel")] = "nofollow noopener"
    return attrs


# bleach's parsers keep internal state, so each thread gets its own linker.
_local = threading.local()


def _linker():
    if not hasattr(_local, "linker"):
        _local.linker = Linker(callbacks=[_web_link_attributes], url_re=WEB_URL, parse_email=False)
    return _local.linker


def _render_line(line):
    escaped = escape(line)
    # Most lines hold no URL; skipping bleach's HTML parser for them keeps a page with a
    # thousand notes fast, and the output is the same.
    return _linker().linkify(escaped) if WEB_URL.search(escaped) else escaped


def render_note(text) -> SafeString:
    """The note as inert HTML: every character escaped, line breaks as <br>, web URLs linked.

    The text is escaped before bleach sees it, so markup in a note shows as the characters
    the reader typed and bleach only ever adds <a> elements of its own.
    """
    # A NUL becomes U+FFFD, as every HTML parser (bleach's, the browser's) would make it.
    text = str(text or "").replace("\x00", "\ufffd").replace("\r\n", "\n").replace("\r", "\n")
    return mark_safe("<br>\n".join(_render_line(line) for line in text.split("\n")))
