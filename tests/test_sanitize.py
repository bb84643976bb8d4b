"""Notes are plain text: rendered, markup shows as typed and only http(s) URLs become links."""

from html.parser import HTMLParser

import pytest
from django.template import Context, Template
from django.utils.safestring import SafeString
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.sanitize import render_note


class Elements(HTMLParser):
    """The elements, attributes and text of an HTML fragment, as a browser would see them."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.tags, self.text = [], []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def assert_inert(html):
    """Only <br> and web links with rel="nofollow noopener"; nothing else a browser would run."""
    for tag, attrs in Elements(html).tags:
        assert tag in {"a", "br"}, html
        if tag == "a":
            assert set(attrs) == {"href", "rel"}, html
            assert attrs["href"].lower().startswith(("http://", "https://")), html
            assert attrs["rel"] == "nofollow noopener"


@pytest.mark.parametrize(
    "note",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "<svg onload=alert(1)>",
        '<a href="javascript:alert(1)">click</a>',
        "javascript:alert(document.cookie)",
        "JaVaScRiPt:alert(1) and data:text/html,<script>alert(1)</script>",
        '"><script>alert(1)</script>',
        "</textarea><iframe src=javascript:alert(1)>",
        'https://example.org/"onmouseover="alert(1)',
        "https://example.org/<script>alert(1)</script>",
        "<!-- a comment --> <![CDATA[x]]> &lt;b&gt;",
    ],
)
def test_markup_and_scripts_in_a_note_render_inert_and_as_typed(note):
    html = render_note(note)
    assert_inert(html)
    assert "".join(Elements(html).text) == note


def test_javascript_urls_never_become_links():
    html = render_note("see javascript:alert(1) or JAVASCRIPT://%0aalert(1)")
    assert "<a" not in html


def test_web_urls_become_nofollow_links_without_trailing_punctuation():
    html = render_note("Source: https://example.org/report?id=1&page=2. And (http://example.com/a_(b)).")
    assert Elements(html).tags == [
        ("a", {"href": "https://example.org/report?id=1&page=2", "rel": "nofollow noopener"}),
        ("a", {"href": "http://example.com/a_(b)", "rel": "nofollow noopener"}),
    ]
    assert html.endswith(").")


def test_bare_domains_and_other_schemes_stay_text():
    assert render_note("example.com ftp://example.com mailto:a@example.com a@example.com") == (
        "example.com ftp://example.com mailto:a@example.com a@example.com"
    )


def test_line_breaks_become_br_and_entities_show_literally():
    html = render_note("first\r\nsecond\rthird\n\n&amp; &lt;tag&gt; 👍🇺🇦")
    assert html == "first<br>\nsecond<br>\nthird<br>\n<br>\n&amp;amp; &amp;lt;tag&amp;gt; 👍🇺🇦"
    assert isinstance(html, SafeString)


def test_an_empty_note_renders_empty():
    assert render_note("") == ""
    assert render_note(None) == ""


def test_the_note_html_filter_renders_inert_html_in_templates():
    template = Template("{% load notes %}<p>{{ note|note_html }}</p>")
    html = template.render(Context({"note": "<b>bold</b>\nhttps://example.org"}))
    assert html == ('<p>&lt;b&gt;bold&lt;/b&gt;<br>\n'
                    '<a href="https://example.org" rel="nofollow noopener">https://example.org</a></p>')


PIECES = st.sampled_from(
    [*"<>&\"'=/:;().,!? \n\r\tabjsx#%\x00👍", "http://", "https://", "javascript:", "<script>", "onerror", ".org",
     "&amp;", "&lt;"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, max_size=40).map("".join) | st.text())
def test_any_text_renders_inert_and_reads_as_typed(note):
    html = render_note(note)
    assert_inert(html)
    as_typed = note.replace("\x00", "\ufffd").replace("\r\n", "\n").replace("\r", "\n")
    assert "".join(Elements(html).text) == as_typed
