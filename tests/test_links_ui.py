"""Linking claims across articles through the reader (the htmx panel) and the claim map."""

import html
import json
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from annotator.annotations import services
from annotator.annotations.claimmap import PLOT_TOP, claim_map
from annotator.annotations.passages import marked
from annotator.annotations.models import Annotation, Link
from annotator.corpus.models import Article
from annotator.corpus.search import related_passages

from .factories import client_for, make_class, make_claim, make_exercise, make_link, passage

HX = {"HTTP_HX_REQUEST": "true"}
CLAIM = "Putin praised Iran’s unprecedented, 300+ missile and drone assault against Israel"


def seed(seeded, number):
    return next(a for name, a in seeded.items() if name.startswith(f"{number:03d}_"))


def link_data(article, phrase, relation="contradicts", note=""):
    """The panel's form fields for a link to `phrase` in `article`."""
    return {**passage(article, phrase), "relation": relation, "note": note}


def listed_passages(page):
    """[(slug, start, end, exact)] of the passages a panel offers, in order."""
    buttons = re.findall(r'data-link-pick data-article="([^"]+)" data-title="[^"]*"\s+data-start="(\d+)" '
                         r'data-end="(\d+)" data-exact="([^"]*)"', page)
    return [(slug, int(start), int(end), html.unescape(exact)) for slug, start, end, exact in buttons]


# The panel


def test_marked_escapes_the_text_then_wraps_whole_words_only():
    text = '<b>Putin</b> & "Putinism" amp Iran’s'
    out = marked(text, ["Putin", "amp", "Iran"])
    assert out == ('&lt;b&gt;<mark class="term">Putin</mark>&lt;/b&gt; &amp; &quot;Putinism&quot; '
                   '<mark class="term">amp</mark> <mark class="term">Iran</mark>’s')
    assert marked("<i>x</i>", []) == "&lt;i&gt;x&lt;/i&gt;"


def test_panel_lists_ranked_passages_of_other_articles_only_with_marked_terms(seeded, reader):
    article = seed(seeded, 0)
    claim = make_claim(reader, article, CLAIM)
    response = client_for(reader).get(f"/claims/{claim.pk}/links/", **HX)
    assert response.status_code == 200
    page = response.content.decode()
    offered = listed_passages(page)
    expected = related_passages(article, claim.start, claim.end, limit=10)
    assert offered == [(r["article"], r["start"], r["end"], r["text"]) for r in expected]
    assert offered and all(slug != article.slug for slug, *_ in offered)
    bodies = {a.slug: a.body for a in Article.objects.all()}
    assert all(bodies[slug][start:end] == exact for slug, start, end, exact in offered)
    assert '<mark class="term">' in page
    assert 'hx-trigger="input changed delay:300ms, search"' in page
    assert f'hx-post="/claims/{claim.pk}/links/save/"' in page
    assert "related passages in other articles, best first" in page


def test_free_search_finds_words_leaves_out_the_claims_article_and_survives_operators(seeded, reader):
    article = seed(seeded, 0)
    claim = make_claim(reader, article, CLAIM)
    client = client_for(reader)
    url = f"/claims/{claim.pk}/links/passages/"
    page = client.get(url, {"q": "Lavrov Putin"}, **HX).content.decode()
    offered = listed_passages(page)
    assert offered and all(slug != article.slug for slug, *_ in offered)
    assert '<mark class="term">Lavrov</mark>' in page
    for query in ['Putin AND "Iran', "NEAR(Putin Iran) OR -x", "title:Putin*", "'; DROP TABLE x; --", "(((",
                  "the of and", "!!!", "Putin & | ! <-> :*"]:
        response = client.get(url, {"q": query}, **HX)
        assert response.status_code == 200, query
        assert all(slug != article.slug for slug, *_ in listed_passages(response.content.decode()))
    assert "No passage of another article matches" in client.get(url, {"q": "!!!"}, **HX).content.decode()
    # An empty query goes back to the passages related to the claim.
    assert listed_passages(client.get(url, {"q": "  "}, **HX).content.decode()) == listed_passages(
        client.get(f"/claims/{claim.pk}/links/", **HX).content.decode())


def test_opening_another_article_gives_its_segments_and_body_for_offsets(seeded, reader):
    article, other_article = seed(seeded, 0), seed(seeded, 2)
    claim = make_claim(reader, article, CLAIM)
    client = client_for(reader)
    response = client.get(f"/claims/{claim.pk}/links/articles/{other_article.slug}/", {"start": 5, "end": 40}, **HX)
    assert response.status_code == 200
    page = response.content.decode()
    body = html.unescape(re.search(r'data-body="([^"]*)"', page).group(1))
    assert body == other_article.body
    assert 'data-start="5" data-end="40"' in page
    segments = [(int(o), html.unescape(t)) for o, t in re.findall(r'data-o="(\d+)"[^>]*>([^<]*)<', page)]
    assert segments and all(other_article.body[o : o + len(t)] == t for o, t in segments)
    # The reader's page already has its h1 and #headline: the picker's headline is a plain paragraph.
    assert "<h1" not in page and 'id="headline"' not in page and '<p class="headline"' in page
    # Offsets that are not a span of it are ignored rather than failing.
    for bad in ({"start": "²", "end": "5"}, {"start": "9", "end": "3"}, {"start": "0", "end": "99999999"}):
        response = client.get(f"/claims/{claim.pk}/links/articles/{other_article.slug}/", bad, **HX)
        assert response.status_code == 200 and "data-start=" not in response.content.decode()
    # The claim's own article cannot be a link target.
    assert client.get(f"/claims/{claim.pk}/links/articles/{article.slug}/", **HX).status_code == 404


# Saving and deleting


def test_saving_a_link_through_the_panel_redraws_the_reader_and_shows_both_ends(seeded, reader):
    article, target = seed(seeded, 0), seed(seeded, 2)
    claim = make_claim(reader, article, CLAIM)
    client = client_for(reader)
    response = client.post(f"/claims/{claim.pk}/links/save/", link_data(target, "Ironclad Security"), **HX)
    assert response.status_code == 204
    trigger = json.loads(response["HX-Trigger"])
    assert trigger["claims-changed"]["claim"] == claim.pk
    saved = Link.objects.get()
    assert (saved.source_annotation, saved.to_article, saved.relation) == (claim, target, "contradicts")
    assert target.body[saved.to_start : saved.to_end] == saved.to_exact == "Ironclad Security"
    assert saved.author == reader

    source_page = client.get(article.get_absolute_url()).content.decode()
    assert "contradicted by 1" in source_page
    assert f'href="{target.get_absolute_url()}#passage-{saved.pk}"' in source_page
    assert f'hx-post="/links/{saved.pk}/delete/"' in source_page
    target_page = client.get(target.get_absolute_url()).content.decode()
    assert f'id="passage-{saved.pk}"' in target_page and "lt-contradicts" in target_page
    assert re.search(r"contradicts a claim in\s*<a href=\"" + re.escape(article.get_absolute_url())
                     + f"#claim-{claim.pk}\">", target_page)


def test_the_card_summarises_links_per_relation(seeded, reader):
    article, target = seed(seeded, 0), seed(seeded, 1)
    claim = make_claim(reader, article, CLAIM)
    sentences = [s for s in target.body.split("\n") if len(s) > 40]
    make_link(reader, claim, target, sentences[0], "corroborates")
    make_link(reader, claim, target, sentences[1], "contradicts")
    make_link(reader, claim, target, sentences[2], "contradicts", note="Says the <b>opposite</b>")
    page = client_for(reader).get(article.get_absolute_url()).content.decode()
    assert re.search(r"corroborated by 1</span> · <span[^>]*>contradicted by 2", page)
    assert "Says the &lt;b&gt;opposite&lt;/b&gt;" in page


def test_a_link_to_the_same_article_is_refused_in_the_panel_and_nothing_is_written(seeded, reader):
    article = seed(seeded, 0)
    claim = make_claim(reader, article, CLAIM)
    response = client_for(reader).post(f"/claims/{claim.pk}/links/save/",
                                       link_data(article, "Russian strongman"), **HX)
    assert response.status_code == 422
    assert response["HX-Retarget"] == f"#link-error-{claim.pk}"
    assert "different article" in response.content.decode()
    assert not Link.objects.exists()


def test_a_duplicate_link_is_refused_in_the_panel(seeded, reader):
    article, target = seed(seeded, 0), seed(seeded, 2)
    claim = make_claim(reader, article, CLAIM)
    client = client_for(reader)
    data = link_data(target, "Lavrov")
    assert client.post(f"/claims/{claim.pk}/links/save/", data, **HX).status_code == 204
    response = client.post(f"/claims/{claim.pk}/links/save/", data, **HX)
    assert response.status_code == 409
    assert "already contradicts that passage" in response.content.decode()
    assert Link.objects.count() == 1
    # The same passage with the other relation is a different link.
    assert client.post(f"/claims/{claim.pk}/links/save/", {**data, "relation": "corroborates"}, **HX).status_code == 204


@pytest.mark.parametrize("change", [
    {"to_exact": "not the text"}, {"to_start": "-1"}, {"to_end": "999999"}, {"relation": "agrees"},
    {"to_article": "no-such-article"}, {"to_start": "x"}, {"note": "n" * 10_001},
])
def test_a_bad_target_shows_an_error_in_the_panel_and_writes_nothing(seeded, reader, change):
    article, target = seed(seeded, 0), seed(seeded, 2)
    claim = make_claim(reader, article, CLAIM)
    response = client_for(reader).post(f"/claims/{claim.pk}/links/save/", {**link_data(target, "Lavrov"), **change},
                                       **HX)
    assert response.status_code == (404 if "to_article" in change else 422)
    assert response["HX-Retarget"] == f"#link-error-{claim.pk}"
    assert 'class="form-error"' in response.content.decode()
    assert not Link.objects.exists()


def test_another_users_claim_cannot_be_linked_nor_browsed(seeded, reader, other):
    article, target = seed(seeded, 0), seed(seeded, 2)
    public = make_claim(other, article, CLAIM, visibility="public")
    private = make_claim(other, article, "Russian strongman", visibility="private")
    client = client_for(reader)
    for claim, refused in ((public, 403), (private, 404)):
        assert client.get(f"/claims/{claim.pk}/links/", **HX).status_code == 404
        assert client.get(f"/claims/{claim.pk}/links/passages/", {"q": "Lavrov"}, **HX).status_code == 404
        assert client.get(f"/claims/{claim.pk}/links/articles/{target.slug}/", **HX).status_code == 404
        assert client.post(f"/claims/{claim.pk}/links/save/", link_data(target, "Lavrov"), **HX).status_code == refused
    assert not Link.objects.exists()
    # Only its author sees the button.
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Find in other articles" not in page
    assert "Find in other articles" in client_for(other).get(article.get_absolute_url()).content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(seeded, reader):
    article, target = seed(seeded, 0), seed(seeded, 2)
    claim = make_claim(reader, article, CLAIM, visibility="public")
    for response in (Client().get(f"/claims/{claim.pk}/links/"),
                     Client().post(f"/claims/{claim.pk}/links/save/", link_data(target, "Lavrov"))):
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Link.objects.exists()


def test_deleting_a_link_leaves_both_spans(seeded, reader, other):
    article, target = seed(seeded, 0), seed(seeded, 2)
    claim = make_claim(reader, article, CLAIM, visibility="public")
    made = make_link(reader, claim, target, "Lavrov")
    body_before = target.body
    # Someone else who can see the (public) claim cannot delete its link.
    response = client_for(other).post(f"/links/{made.pk}/delete/", **HX)
    assert response.status_code == 403 and "Only the link&#x27;s author" in response.content.decode()
    assert Link.objects.filter(pk=made.pk).exists()
    response = client_for(reader).post(f"/links/{made.pk}/delete/", **HX)
    assert response.status_code == 204 and "claims-changed" in response["HX-Trigger"]
    assert not Link.objects.exists()
    assert Annotation.objects.get() == claim
    target.refresh_from_db()
    assert target.body == body_before
    assert client_for(reader).post(f"/links/{made.pk}/delete/", **HX).status_code == 404


def test_without_htmx_a_saved_link_goes_back_to_the_claim(seeded, reader):
    article, target = seed(seeded, 0), seed(seeded, 2)
    claim = make_claim(reader, article, CLAIM)
    response = client_for(reader).post(f"/claims/{claim.pk}/links/save/", link_data(target, "Lavrov"))
    assert response.status_code == 302
    assert response["Location"] == f"{article.get_absolute_url()}#claim-{claim.pk}"
    assert Link.objects.count() == 1


# The claim map


@pytest.fixture
def linked(seeded, reader, other):
    """Claims of two users across the seeds, some linked; one private claim of `other`."""
    a, b, c = seed(seeded, 0), seed(seeded, 1), seed(seeded, 2)
    disputed = make_claim(reader, a, CLAIM, "disputed", visibility="public")
    attributed = make_claim(reader, b, "Russia wants to avoid a larger war, not fuel one", visibility="public")
    # No links: not on the map.
    lonely = make_claim(reader, a, "Russian strongman", "editorialized", visibility="public")
    secret = make_claim(other, c, "Lavrov", "editorialized", visibility="private")
    return {
        "a": a, "b": b, "c": c, "disputed": disputed, "attributed": attributed, "lonely": lonely, "secret": secret,
        "contra": make_link(reader, disputed, b, "Russia wants to avoid a larger war"),
        "corro": make_link(reader, attributed, c, "Lavrov", "corroborates"),
        "hidden": make_link(other, secret, a, "Vladimir Putin", "corroborates", note="private"),
    }


def map_page(client, **params):
    response = client.get("/map/", params)
    assert response.status_code == 200
    return response.content.decode()


def test_map_draws_claims_edges_and_the_table(linked, reader):
    page = map_page(client_for(reader))
    assert page.count('class="map-node map-claim"') == 2
    assert page.count('class="map-node map-passage"') == 2
    assert len(re.findall(r'<path class="map-edge contradicts"[^>]*stroke="#b91c1c" stroke-dasharray', page)) == 1
    assert len(re.findall(r'<path class="map-edge corroborates"[^>]*stroke="#15803d"', page)) == 1
    for claim in (linked["disputed"], linked["attributed"]):
        assert f'href="{claim.article.get_absolute_url()}#claim-{claim.pk}"' in page
    assert f'#passage-{linked["contra"].pk}"' in page
    assert page.count("<tr class=") == 2
    assert "contradicted by" in page and "corroborated by" in page
    for article in (linked["a"], linked["b"], linked["c"]):
        assert html.escape(article.title[:20]) in page
    assert f"#claim-{linked['lonely'].pk}\"" not in page


def test_map_filters_by_label_and_relation(linked, reader):
    client = client_for(reader)
    page = map_page(client, label="attributed")
    assert page.count("<tr class=") == 1 and '<tr class="corroborates">' in page
    assert 'option value="attributed" selected' in page
    page = map_page(client, relation="contradicts")
    assert page.count("<tr class=") == 1 and '<tr class="contradicts">' in page
    page = map_page(client, label="attributed", relation="contradicts")
    assert "<tr class=" not in page and "No linked claims match these filters." in page
    # Unknown values are ignored rather than erroring.
    assert map_page(client, label="nonsense", relation="<x>").count("<tr class=") == 2


def test_private_claims_of_others_and_exercise_claims_never_appear_on_the_map(linked, reader, other):
    secret_note = linked["secret"].exact
    for client in (client_for(reader), Client()):
        page = map_page(client)
        assert f"#claim-{linked['secret'].pk}" not in page
        assert f"#passage-{linked['hidden'].pk}" not in page
    assert map_page(Client()).count("<tr class=") == 2  # the public ones
    own = map_page(client_for(other))
    assert f"#claim-{linked['secret'].pk}" in own and secret_note in own
    # Work inside an exercise stays off the open map, even for its author.
    exercise = make_exercise(make_class(other, [reader], name="7B"), [linked["a"]], title="E")
    work = make_claim(reader, linked["a"], CLAIM, "disputed", exercise=exercise)
    make_link(reader, work, linked["b"], "Russia wants to avoid a larger war")
    page = map_page(client_for(reader))
    assert f"#claim-{work.pk}" not in page and page.count("<tr class=") == 2


def test_claim_map_builder_places_claims_by_position_and_keeps_its_inputs(linked, reader):
    annotations = services.visible_annotations(reader).filter(exercise__isnull=True)
    context = claim_map(annotations, services.visible_links(reader))
    assert context["counts"]["claims"] == 2 and context["counts"]["links"] == 2
    assert {c.annotation.pk for c in context["claims"]} == {linked["disputed"].pk, linked["attributed"].pk}
    disputed = next(c for c in context["claims"] if c.annotation.pk == linked["disputed"].pk)
    assert disputed.shape == "triangle"
    assert disputed.share == pytest.approx(linked["disputed"].start / len(linked["a"].body))
    assert disputed.y >= PLOT_TOP
    # Claims from a narrower queryset (an exercise's, say) give a narrower map.
    only = claim_map(annotations.filter(pk=linked["attributed"].pk), services.visible_links(reader))
    assert [e.link.pk for e in only["edges"]] == [linked["corro"].pk]
    assert claim_map(annotations.none(), services.visible_links(reader))["edges"] == []


def test_map_query_count_does_not_grow_with_the_number_of_claims(linked, reader):
    client = client_for(reader)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            map_page(client)
        return len(ctx.captured_queries)

    few = count()
    b = linked["b"]
    sentences = [s for s in b.body.split("\n") if len(s) > 40]
    phrases = ["Russian strongman Vladimir Putin", "Russian strongman", "Vladimir Putin", "strongman", "Russian", "Putin"]
    for i in range(12):
        claim = make_claim(reader, linked["a"], phrases[i // 2], ["attributed", "disputed"][i % 2])
        make_link(reader, claim, b, sentences[i % len(sentences)], ["corroborates", "contradicts"][i % 2])
    assert count() == few
    assert map_page(client).count('class="map-node map-claim"') == 14


def test_map_is_public_and_says_so_when_empty(db):
    page = map_page(Client())
    assert "No claims are linked across articles yet." in page
