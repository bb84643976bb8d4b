"""The reader page: server-side highlights, the sidebar, and the htmx actions."""

import html
import json
import re

from django.test import Client

from annotator.annotations.models import Annotation
from annotator.annotations.reader import Highlight
from annotator.annotations.rendering import geometry, render_body

from .factories import client_for, make_article, make_claim, make_link, words

BODY = "Headline here\nPutin praised the attack, PressTV claimed.\nRussia urged restraint 👍🇺🇦 today."
OTHER = "Other\nRussia urged restraint elsewhere."


def segments(html):
    """[(offset, text)] of every text segment the page draws."""
    return [(int(o), t) for o, t in re.findall(r'data-o="(\d+)"[^>]*>([^<]*)<', html)]


def decoded(geometry_json):
    """[(id, start, end, label)] from the compact geometry, read as its docstring says."""
    g = json.loads(geometry_json)
    claims, pk, start = [], 0, 0
    for step, advance, length, label in zip(g["ids"], g["starts"], g["lengths"], g["label"], strict=True):
        pk, start = pk + step, start + advance
        claims.append((pk, start, start + length, g["labels"][int(label)]))
    return claims


def page_geometry(page):
    return decoded(html.unescape(re.search(r'data-geometry="([^"]*)"', page).group(1)))


def test_segments_cover_the_body_exactly_with_offsets_in_code_points(reader):
    article = make_article("a", BODY)
    make_claim(reader, article, "Russia urged restraint 👍🇺🇦 today")
    html = render_body(article, article.annotations.all())
    pieces = segments(html)
    rebuilt = "\n".join(p for _, p in article.paragraphs())
    assert "".join(t for _, t in pieces) == rebuilt.replace("\n", "")
    for offset, text in pieces:
        assert article.body[offset : offset + len(text)] == text


def test_overlapping_and_nested_claims_are_cut_at_every_boundary(reader):
    article = make_article("a", BODY)
    outer = make_claim(reader, article, "Putin praised the attack, PressTV claimed", "attributed")
    inner = make_claim(reader, article, "praised the attack", "editorialized")
    crossing = make_claim(reader, article, "PressTV claimed.\nRussia urged", "disputed")
    claims = [outer, inner, crossing]
    html = render_body(article, claims)
    marks = re.findall(r'<mark class="([^"]+)" data-o="(\d+)">([^<]*)</mark>', html)
    spans = decoded(geometry(sorted(claims, key=lambda c: (c.start, c.end, c.pk))))

    def under(offset):
        return {pk for pk, start, end, _ in spans if start <= offset < end}

    by_text = {text: (classes, under(int(offset))) for classes, offset, text in marks}
    assert by_text["praised the attack"][1] == {outer.pk, inner.pk}
    assert "hl-editorialized" in by_text["praised the attack"][0]  # the innermost claim colours it
    assert "depth-2" in by_text["praised the attack"][0]
    assert by_text["PressTV claimed"][1] == {outer.pk, crossing.pk}
    assert by_text["Russia urged"][1] == {crossing.pk}  # carries on across the paragraph break


def test_the_compact_geometry_gives_back_every_claim_with_its_span_and_label(reader):
    article = make_article("a", BODY)
    phrases = [("Russia urged restraint 👍🇺🇦 today", "disputed"), ("Putin praised", "editorialized"),
               ("praised the attack, PressTV", "attributed"), ("Putin praised", "attributed"), ("today", "disputed")]
    made = [make_claim(reader, article, phrase, label) for phrase, label in phrases]
    page = client_for(reader).get(article.get_absolute_url()).content.decode()
    # In the order of the text (and the sidebar); ids may go down as well as up.
    assert page_geometry(page) == sorted(((c.pk, c.start, c.end, c.label) for c in made),
                                         key=lambda t: (t[1], t[2], t[0]))
    for pk, start, end, _ in page_geometry(page):
        assert article.body[start:end] == Annotation.objects.get(pk=pk).exact
    filtered = client_for(reader).get(article.get_absolute_url(), {"show": "disputed"}).content.decode()
    assert [label for *_, label in page_geometry(filtered)] == ["disputed", "disputed"]


def test_the_drawn_text_grows_with_the_places_claims_start_not_with_the_claims(reader):
    article = make_article("a", BODY)
    first = make_claim(reader, article, "Putin praised the attack", "editorialized")
    one = render_body(article, [first])
    # Many readers' claims on the same words (rendering needs only pk, span and label).
    others = [Highlight(first.pk + n, first.start, first.end, ("attributed", "disputed")[n % 2], "anchored", "x")
              for n in range(1, 201)]
    many = render_body(article, [first, *others])
    assert len(many) - len(one) < 200
    assert "(201 claims begin: 100 attributed, 100 disputed, 1 editorialized:)" in many
    assert "(end of 201 claims)" in many


def test_each_highlight_is_announced_with_its_label(reader):
    article = make_article("a", BODY)
    c = make_claim(reader, article, "PressTV claimed", "disputed")
    html = render_body(article, [c])
    assert f'<span class="sr-only">(disputed claim {c.pk}:)</span>' in html
    assert f"(end of claim {c.pk})" in html


def test_headline_is_the_first_paragraph_unless_the_title_is_derived(db):
    assert render_body(make_article("h", BODY)).startswith('<h1 class="headline"')
    assert render_body(make_article("d", BODY, title_derived=True)).startswith("<p ")


def test_a_derived_title_says_where_it_came_from(client, db):
    body = "Russia urged restraint on Tuesday. Officials said more."
    article = make_article("d", body, title="Russia urged restraint on Tuesday", title_derived=True)
    page = client.get(article.get_absolute_url()).content.decode()
    assert "this title is taken from its first sentence" in page
    article.title = "Restraint, says Moscow"
    article.save()
    page = client.get(article.get_absolute_url()).content.decode()
    assert "this title was given when the article was added" in page and "first sentence" not in page


def test_article_text_is_escaped(db):
    article = make_article("x", "Title\n<script>alert(1)</script> & <b>bold</b>")
    html = render_body(article)
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_link_targets_are_drawn_with_a_jump_anchor(reader):
    a, b = make_article("a", BODY), make_article("b", OTHER)
    link = make_link(reader, make_claim(reader, a, "Putin praised the attack"), b, "Russia urged restraint")
    html = render_body(b, [], [link])
    assert f'id="passage-{link.pk}"' in html and 'class="lt lt-contradicts"' in html


def test_reader_page_shows_claims_counts_and_notes_to_anonymous_readers_only_when_public(reader, client):
    article = make_article("a", BODY)
    make_claim(reader, article, "PressTV claimed", source="PressTV", note="Check the <b>original</b>",
               visibility="public")
    make_claim(reader, article, "Putin praised", "editorialized", visibility="private")
    page = client.get(article.get_absolute_url()).content.decode()
    assert 'href="/sources/find/?name=PressTV" class="source-link"><strong>PressTV</strong>' in page
    assert "Check the &lt;b&gt;original&lt;/b&gt;" in page
    assert "Attributed · 1" in page and "Editorialized · 0" in page
    assert "Putin praised</mark>" not in page


def test_reader_filters_claims_by_label_and_author(reader, other):
    article = make_article("a", BODY)
    make_claim(reader, article, "PressTV claimed", visibility="public")
    make_claim(other, article, "Putin praised", "editorialized", visibility="public")
    client = client_for(reader)
    page = client.get(article.get_absolute_url(), {"show": "editorialized"}).content.decode()
    assert "“Putin praised”" in page and "“PressTV claimed”" not in page
    page = client.get(article.get_absolute_url(), {"by": "reader"}).content.decode()
    assert "“PressTV claimed”" in page and "“Putin praised”" not in page


def test_creating_a_claim_through_the_form_redraws_the_reader(reader):
    article = make_article("a", BODY)
    client = client_for(reader)
    start = article.body.index("PressTV")
    response = client.post(f"/articles/{article.slug}/claims/", {
        "start": start, "end": start + 7, "exact": "PressTV", "label": "attributed", "source": "PressTV",
        "note": "", "visibility": "private"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    claim = Annotation.objects.get()
    assert claim.source == "PressTV"
    assert page_geometry(response.content.decode()) == [(claim.pk, start, start + 7, "attributed")]


def test_a_bad_form_submission_shows_the_error_in_the_toolbar_and_writes_nothing(reader):
    article = make_article("a", BODY)
    client = client_for(reader)
    response = client.post(f"/articles/{article.slug}/claims/", {
        "start": 0, "end": 5, "exact": "Wrong", "label": "attributed", "visibility": "private"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    assert response["HX-Retarget"] == "#toolbar-error"
    assert "exact" in response.content.decode()
    assert not Annotation.objects.exists()


def test_anonymous_form_post_is_sent_to_sign_in_and_writes_nothing(db):
    article = make_article("a", BODY)
    response = Client().post(f"/articles/{article.slug}/claims/", {"start": 0, "end": 8, "exact": "Headline",
                                                                   "label": "attributed"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Annotation.objects.exists()


def test_only_the_author_can_edit_or_delete_through_the_reader(reader, other):
    article = make_article("a", BODY)
    c = make_claim(reader, article, "PressTV claimed", visibility="public")
    client = client_for(other)
    # The claim is public: the other reader sees it, and is told it is not theirs to change.
    assert client.post(f"/claims/{c.pk}/edit/", {"label": "disputed"}).status_code == 403
    assert client.post(f"/claims/{c.pk}/delete/").status_code == 403
    client.force_login(reader)
    assert client.post(f"/claims/{c.pk}/edit/", {"label": "disputed", "visibility": "public",
                                                 "version": c.version}).status_code == 200
    c.refresh_from_db()
    assert c.label == "disputed"
    assert client.post(f"/claims/{c.pk}/delete/").status_code == 200
    assert not Annotation.objects.exists()


def test_reader_query_count_does_not_grow_with_the_number_of_claims(reader):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    article = make_article("a", BODY)
    other = make_article("o", OTHER)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            Client().get(article.get_absolute_url())
        return len(ctx.captured_queries)

    make_claim(reader, article, "PressTV claimed", visibility="public")
    few = count()
    for i in range(30):
        # Thirty different spans: the same claim twice is refused.
        c = make_claim(reader, article, words(article, i % 10, count=i // 10 + 2), ["attributed", "disputed"][i % 2],
                       visibility="public")
        make_link(reader, c, other, "Russia", "corroborates")
    assert count() == few
