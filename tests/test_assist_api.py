"""Suggestions over HTTP and on the command line: the JSON API, the reader's htmx panel, the
dismissals each reader keeps, the teacher's switch, the cache and `manage.py suggest`."""

import json
import re

import pytest
from django.core.management import CommandError, call_command
from django.template import Context, Template
from django.test import RequestFactory

from annotator.annotations.models import Annotation
from annotator.assist import services
from annotator.assist.models import Dismissal

from .factories import client_for, make_article

pytestmark = pytest.mark.django_db

BODY = (
    "Officials deny leak, residents say water was unsafe\n"
    "The mayor said that the water had always been safe to drink. "
    "Residents of the Flats say they were never warned, and the utility has reportedly hired a lawyer.\n"
    "“Nobody in this building sat on a public health warning,” Mayor Denise Alvarado told reporters.\n"
    "The disgraced former director of the utility did not respond to a request for comment."
)
FIELDS = {"start", "end", "exact", "label", "source", "cue", "confidence"}


@pytest.fixture(autouse=True)
def fresh_cache():
    services.clear_cache()
    yield
    services.clear_cache()


@pytest.fixture
def article():
    return make_article("water", BODY)


@pytest.fixture
def as_reader(reader):
    return client_for(reader)


def api(slug):
    return f"/api/articles/{slug}/suggestions/"


def post_json(client, url, payload):
    body = payload if isinstance(payload, str) else json.dumps(payload)
    return client.post(url, body, content_type="application/json")


def first(client, slug, label=None):
    results = client.get(api(slug)).json()["results"]
    return next(r for r in results if label is None or r["label"] == label)


def span(suggestion):
    return {key: suggestion[key] for key in ("start", "end", "label")}


# the JSON API


def test_list_has_the_contract_shape_and_exact_text(client, article):
    response = client.get(api(article.slug))
    assert response.status_code == 200
    results = response.json()["results"]
    assert results and list(response.json()) == ["results"]
    for item in results:
        assert set(item) == FIELDS
        assert article.body[item["start"] : item["end"]] == item["exact"]
    labels = {item["label"] for item in results}
    assert labels == {"attributed", "disputed", "editorialized"}


def test_list_on_every_seed_never_offers_a_whole_paragraph(client, seeded):
    for article in seeded.values():
        paragraphs = {p.strip() for p in article.body.split("\n")}
        results = client.get(api(article.slug)).json()["results"]
        assert results, article.slug
        assert not [r for r in results if r["exact"].strip() in paragraphs]


def test_unknown_article_is_404_in_the_api_shape(client, as_reader):
    response = client.get(api("no-such-article"))
    assert response.status_code == 404
    assert response.json()["field"] == "article"
    assert post_json(as_reader, api("no-such-article") + "dismiss/", {"start": 0, "end": 4, "label": "disputed"}).status_code == 404


def test_dismissal_is_remembered_for_that_reader_only(client, as_reader, article):
    target = first(as_reader, article.slug, "disputed")
    response = post_json(as_reader, api(article.slug) + "dismiss/", span(target))
    assert response.status_code == 201
    assert response.json() == {**span(target), "dismissed": True}
    assert span(target) not in [span(r) for r in as_reader.get(api(article.slug)).json()["results"]]
    assert span(target) in [span(r) for r in client.get(api(article.slug)).json()["results"]]
    again = post_json(as_reader, api(article.slug) + "dismiss/", span(target))
    assert again.status_code == 200
    assert Dismissal.objects.count() == 1


def test_anonymous_dismiss_is_401_and_writes_nothing(client, article):
    target = first(client, article.slug)
    response = post_json(client, api(article.slug) + "dismiss/", span(target))
    assert response.status_code == 401
    assert Dismissal.objects.count() == 0


@pytest.mark.parametrize("payload, field", [
    ({"start": "x", "end": 10, "label": "disputed"}, "start"),
    ({"start": -1, "end": 10, "label": "disputed"}, "start"),
    ({"start": True, "end": 10, "label": "disputed"}, "start"),
    ({"start": 0, "end": 10 ** 6, "label": "disputed"}, "end"),
    ({"start": 20, "end": 10, "label": "disputed"}, "start"),
    ({"start": 0, "label": "disputed"}, "end"),
    ({"start": 0, "end": 10, "label": "opinion"}, "label"),
    ({"start": 0, "end": 10, "label": "disputed"}, "start"),  # well-formed, but nothing suggested there
    ({"start": 0, "end": 10, "label": "disputed", "note": "x"}, "note"),
])
def test_bad_dismissals_are_400_naming_the_field(as_reader, article, payload, field):
    response = post_json(as_reader, api(article.slug) + "dismiss/", payload)
    assert response.status_code == 400, response.content
    assert response.json()["field"] == field
    assert Dismissal.objects.count() == 0


@pytest.mark.parametrize("body", ["", "not json", "[1, 2]"])
def test_a_body_that_is_not_a_json_object_is_400(as_reader, article, body):
    assert post_json(as_reader, api(article.slug) + "dismiss/", body).status_code == 400


def test_only_get_and_post_where_they_belong(as_reader, article):
    assert as_reader.delete(api(article.slug)).status_code == 405
    assert as_reader.get(api(article.slug) + "dismiss/").status_code == 405


def test_a_dismissal_lapses_when_the_text_under_it_changes(as_reader, article):
    target = first(as_reader, article.slug, "attributed")
    post_json(as_reader, api(article.slug) + "dismiss/", span(target))
    old = article.body[target["start"] : target["end"]]
    article.body = article.body.replace(old, old.replace("water", "juice"))
    article.save()
    shown = [r for r in as_reader.get(api(article.slug)).json()["results"] if r["label"] == "attributed"]
    assert any(r["start"] == target["start"] and "juice" in r["exact"] for r in shown)


# the teacher's switch: one function


def test_switched_off_assists_hide_everything(client, as_reader, article, monkeypatch, reader):
    target = first(as_reader, article.slug)
    monkeypatch.setattr(services, "assist_allowed", lambda user, article: False)
    assert client.get(api(article.slug)).status_code == 403
    assert post_json(as_reader, api(article.slug) + "dismiss/", span(target)).status_code == 403
    assert as_reader.get(f"/articles/{article.slug}/suggestions/?show=1").status_code == 403
    assert as_reader.post(f"/articles/{article.slug}/suggestions/accept/", span(target)).status_code == 403
    assert Annotation.objects.count() == 0
    assert render_tag(article, reader).strip() == ""


def render_tag(article, user):
    request = RequestFactory().get(article.get_absolute_url())
    request.user = user
    return Template("{% load assist %}{% assist_panel article %}").render(Context({"article": article, "request": request}))


# the as_reader's panel


def test_tag_renders_the_closed_toggle_and_the_assets(article, reader):
    html = render_tag(article, reader)
    assert 'id="assist-toggle"' in html and "Show suggestions" in html and 'aria-expanded="false"' in html
    assert "assist-card" not in html
    assets = Template("{% load assist %}{% assist_assets %}").render(Context())
    assert "css/assist.css" in assets and "js/assist.js" in assets and "<script src=" in assets


def test_panel_lists_cards_with_cue_source_and_buttons(as_reader, article, reader):
    response = as_reader.get(f"/articles/{article.slug}/suggestions/?show=1", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Hide suggestions" in html and 'aria-expanded="true"' in html
    suggestions = services.suggestions_for(reader, article)
    assert html.count('class="card assist-card') == len({(s.start, s.end) for s in suggestions})
    assert html.count('class="assist-reading') == len(suggestions)
    assert "Cue: reporting verb ‘said’" in html and "Source: <strong>the mayor</strong>" in html
    assert 'Accept<span class="sr-only"> as attributed</span></button>' in html and ">Dismiss<span" in html
    closed = as_reader.get(f"/articles/{article.slug}/suggestions/?show=0").content.decode()
    assert "assist-card" not in closed and "Show suggestions" in closed


def test_two_readings_of_one_passage_share_a_card_and_leave_it_one_at_a_time(as_reader, reader):
    body = "Strike report\nPressTV claimed the strike hit only military targets."
    article = make_article("strike", body)
    readings = [s for s in services.suggestions_for(reader, article) if s.exact.startswith("the strike hit")]
    assert sorted(s.label for s in readings) == ["attributed", "disputed"]
    start, end = readings[0].start, readings[0].end
    html = as_reader.get(f"/articles/{article.slug}/suggestions/?show=1").content.decode()
    assert html.count(f'id="suggestion-{start}-{end}"') == 1
    assert 'data-labels="attributed disputed"' in html
    assert f'id="suggestion-{start}-{end}-attributed"' in html and f'id="suggestion-{start}-{end}-disputed"' in html
    dismissed = as_reader.post(f"/articles/{article.slug}/suggestions/dismiss/",
                            {"start": start, "end": end, "label": "disputed"}).content.decode()
    assert f'id="suggestion-{start}-{end}"' in dismissed and 'data-labels="attributed"' in dismissed
    assert f'id="suggestion-{start}-{end}-disputed"' not in dismissed


def test_anonymous_panel_has_no_accept_or_dismiss(client, article):
    html = client.get(f"/articles/{article.slug}/suggestions/?show=1").content.decode()
    assert "assist-card" in html and "Show in text" in html and "Sign in" in html
    assert "/suggestions/accept/" not in html and "/suggestions/dismiss/" not in html


def test_accept_creates_the_claim_with_label_and_source_and_tells_the_reader(as_reader, article, reader):
    target = first(as_reader, article.slug, "attributed")
    response = as_reader.post(f"/articles/{article.slug}/suggestions/accept/", span(target), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response["HX-Trigger"] == "claims-changed"
    claim = Annotation.objects.get()
    assert (claim.start, claim.end, claim.exact, claim.label, claim.source, claim.author) == (
        target["start"], target["end"], target["exact"], "attributed", target["source"], reader)
    assert span(target) not in [span(r) for r in as_reader.get(api(article.slug)).json()["results"]]
    assert f'id="suggestion-{target["start"]}-{target["end"]}-attributed"' not in response.content.decode()


def test_dismiss_from_the_panel_hides_the_card(as_reader, article, reader):
    target = first(as_reader, article.slug, "editorialized")
    response = as_reader.post(f"/articles/{article.slug}/suggestions/dismiss/", span(target))
    assert response.status_code == 200 and "Dismissed" in response.content.decode()
    assert Dismissal.objects.filter(user=reader, label="editorialized").count() == 1
    assert f'id="suggestion-{target["start"]}-{target["end"]}-editorialized"' not in response.content.decode()


def test_a_bad_accept_answers_in_the_panel_and_writes_nothing(as_reader, article):
    response = as_reader.post(f"/articles/{article.slug}/suggestions/accept/", {"start": "0", "end": "3", "label": "x"})
    assert response.status_code == 422
    assert "label must be one of" in response.content.decode()
    assert Annotation.objects.count() == 0


def test_anonymous_accept_is_sent_to_sign_in(client, article):
    target = first(client, article.slug)
    response = client.post(f"/articles/{article.slug}/suggestions/accept/", span(target))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert Annotation.objects.count() == 0


# the cache


def test_suggestions_are_computed_once_per_text(article, monkeypatch):
    calls = []
    real = services.suggest
    monkeypatch.setattr(services, "suggest", lambda body: calls.append(body) or real(body))
    services.article_suggestions(article.body)
    services.article_suggestions(article.body)
    assert len(calls) == 1
    services.article_suggestions(article.body + " The end.")
    assert len(calls) == 2


# manage.py suggest


def test_command_prints_text_and_json(article, capsys):
    call_command("suggest", article.slug)
    text = capsys.readouterr().out
    assert "attributed (0.85) reporting verb ‘said’ — source: the mayor" in text
    assert re.search(r"^\d+ suggestions for water: \d+ attributed, \d+ disputed, \d+ editorialized\.$", text, re.M)
    call_command("suggest", article.slug, "--format", "json")
    results = json.loads(capsys.readouterr().out)["results"]
    assert results and all(set(r) == FIELDS for r in results)


def test_command_names_an_unknown_slug():
    with pytest.raises(CommandError, match="No article with slug 'nope'"):
        call_command("suggest", "nope")
