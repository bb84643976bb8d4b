"""The annotations JSON API and the services behind it: every bad input gets a clear answer
and writes nothing."""

import json
from unittest import mock

import pytest
from django.conf import settings
from django.db import connection
from django.db.models.query import QuerySet
from django.test import Client
from django.test.utils import CaptureQueriesContext

from annotator.annotations import services
from annotator.annotations.models import Annotation, Link
from annotator.errors import Conflict, ServiceError

from .factories import client_for, make_article

ANNOTATIONS = "/api/annotations/"
LINKS = "/api/links/"

BRIDGE = (
    "Bridge to reopen in May, officials say\n"
    "The city's transport office said on Monday that the bridge will reopen in May. "
    "Critics call the plan a reckless gamble with public money."
)
REPORT = (
    "Inspectors doubt May reopening\n"
    "An inspection report seen by this paper says repairs will take until autumn. "
    "The transport office did not comment."
)


def claim(article, text, **fields):
    """A valid POST body for the first occurrence of `text` in `article`."""
    start = article.body.index(text)
    return {"article": article.slug, "start": start, "end": start + len(text), "exact": text,
            "label": "attributed", **fields}


def link_to(annotation, article, text, **fields):
    start = article.body.index(text)
    return {"from": annotation.pk, "to_article": article.slug, "to_start": start, "to_end": start + len(text),
            "to_exact": text, "relation": "contradicts", **fields}


def send(client, method, url, payload):
    body = payload if isinstance(payload, (str, bytes)) else json.dumps(payload)
    return getattr(client, method)(url, body, content_type="application/json")


def assert_error(response, status, field=None, says=""):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert data["error"]
    assert data.get("field") == field
    assert says in data["error"]


@pytest.fixture
def bridge(db):
    return make_article("bridge", BRIDGE)


@pytest.fixture
def report(db):
    return make_article("report", REPORT)


@pytest.fixture
def as_alice(alice):
    return client_for(alice)


@pytest.fixture
def as_bob(bob):
    return client_for(bob)


def save_claim(user, article, text, **fields):
    data = claim(article, text, **fields)
    return services.create_annotation(user, data.pop("article"), data)


# Creating a claim


def test_a_claim_is_saved_and_reads_back_in_the_documented_shape(as_alice, bridge):
    response = send(as_alice, "post", ANNOTATIONS, claim(bridge, "the bridge will reopen in May",
                                                         source="the city's transport office", note="Named source."))
    assert response.status_code == 201
    data = response.json()
    assert set(data) == {"id", "article", "start", "end", "exact", "prefix", "suffix", "label", "source", "note",
                         "visibility", "version", "author", "created", "modified", "anchor", "links"}
    assert data["version"] == 1
    start = BRIDGE.index("the bridge will reopen in May")
    assert data["article"] == "bridge"
    assert (data["start"], data["end"]) == (start, start + len("the bridge will reopen in May"))
    assert data["prefix"] == BRIDGE[start - 32 : start]
    assert data["suffix"] == BRIDGE[data["end"] : data["end"] + 32]
    assert data["author"] == "alice"
    assert data["visibility"] == "private"
    assert data["anchor"] == "anchored"
    assert data["links"] == []
    assert data["created"].startswith("20") and "T" in data["modified"]
    assert as_alice.get(f"{ANNOTATIONS}{data['id']}/").json() == data


def test_offsets_are_code_points_so_emoji_and_flags_before_a_span_anchor_exactly(as_alice, db):
    article = make_article("emoji", "👍🇺🇦 The minister said the grain deal is dead.")
    response = send(as_alice, "post", ANNOTATIONS, {
        "article": "emoji", "start": 4, "end": 16, "exact": "The minister", "label": "attributed"})
    assert response.status_code == 201, response.content
    assert response.json()["prefix"] == "👍🇺🇦 "
    assert article.body[4:16] == "The minister"


def test_offsets_sent_as_digit_strings_by_a_form_are_accepted(alice, bridge):
    data = claim(bridge, "Critics")
    data.update(start=str(data["start"]), end=f" {data['end']} ")
    annotation = services.create_annotation(alice, bridge, {k: v for k, v in data.items() if k != "article"})
    assert annotation.exact == "Critics"


@pytest.mark.parametrize(
    "change, field, says",
    [
        ({"start": 20, "end": 10}, "start", "start must be before end"),
        ({"start": 10, "end": 10}, "start", "start must be before end"),
        ({"start": -1}, "start", "start must be 0 or more"),
        ({"end": len(BRIDGE) + 1}, "end", f"end is past the end of the article (length {len(BRIDGE)})"),
        ({"start": "ten"}, "start", "start must be an integer"),
        ({"start": "1e3"}, "start", "start must be an integer"),
        ({"end": 12.0}, "end", "end must be an integer"),
        ({"end": 12.5}, "end", "end must be an integer"),
        ({"start": True}, "start", "start must be an integer"),
        ({"end": False}, "end", "end must be an integer"),
        ({"start": None}, "start", "start must be an integer"),
        ({"start": [1]}, "start", "start must be an integer"),
        ({"end": 10**30}, "end", "past the end"),
        ({"exact": "Critics call"}, "exact", "exact does not match the article text at"),
        ({"exact": 7}, "exact", "exact must be a string"),
        ({"label": "opinion"}, "label", "label must be one of attributed, editorialized, disputed"),
        ({"label": None}, "label", "label must be one of"),
        ({"visibility": "everyone"}, "visibility", "visibility must be one of private, class, public"),
        ({"source": "x" * 201}, "source", "source is too long"),
        ({"source": 3}, "source", "source must be a string"),
        ({"note": ["a", "list"]}, "note", "note must be a string"),
        ({"note": "nul\x00byte"}, "note", "note must not contain NUL characters"),
        ({"article": "bridge\x00"}, "article", "NUL"),
        ({"colour": "red"}, "colour", "'colour'"),
    ],
)
def test_a_bad_field_is_refused_with_its_name_and_nothing_is_written(as_alice, bridge, change, field, says):
    data = {**claim(bridge, "the plan"), **change}
    assert_error(send(as_alice, "post", ANNOTATIONS, data), 400, field, says)
    assert not Annotation.objects.exists()


@pytest.mark.parametrize("missing", ["article", "start", "end", "exact", "label"])
def test_a_missing_required_field_is_named(as_alice, bridge, missing):
    data = claim(bridge, "the plan")
    del data[missing]
    assert_error(send(as_alice, "post", ANNOTATIONS, data), 400, missing, f"{missing} is required")


def test_exact_not_matching_text_is_refused_and_nothing_written(as_alice, bridge):
    data = claim(bridge, "the plan")
    data["exact"] = "the plot"
    response = send(as_alice, "post", ANNOTATIONS, data)
    assert_error(response, 400, "exact", f"at [{data['start']}, {data['end']}): expected 'the plan'")
    assert not Annotation.objects.exists()


def test_a_long_mismatched_span_is_quoted_short_in_the_message(alice, bridge):
    with pytest.raises(ServiceError) as refused:
        services.validate_span(bridge, 0, len(BRIDGE), "something else")
    assert len(refused.value.message) < 200 and refused.value.message.endswith("…'.")


def test_an_unknown_article_is_not_found(as_alice, bridge):
    assert_error(send(as_alice, "post", ANNOTATIONS, {**claim(bridge, "the plan"), "article": "nope"}), 404,
                 "article", "No article with slug 'nope'")
    assert_error(send(as_alice, "post", ANNOTATIONS, {**claim(bridge, "the plan"), "article": 12}), 400, "article")


def test_a_note_of_exactly_the_limit_is_accepted_and_one_more_character_refused(as_alice, bridge):
    assert settings.NOTE_MAX_LENGTH == 10_000
    at_limit = send(as_alice, "post", ANNOTATIONS, claim(bridge, "the plan", note="n" * 10_000))
    assert at_limit.status_code == 201
    assert len(at_limit.json()["note"]) == 10_000
    over = send(as_alice, "post", ANNOTATIONS, claim(bridge, "Critics", note="n" * 10_001))
    assert_error(over, 400, "note", "the limit is 10,000")
    assert Annotation.objects.count() == 1


def test_a_note_full_of_markup_is_stored_exactly_as_given(as_alice, bridge):
    note = '<script>alert(1)</script><img src=x onerror="alert(2)"> <a href="javascript:alert(3)">x</a>'
    response = send(as_alice, "post", ANNOTATIONS, claim(bridge, "the plan", note=note))
    assert response.status_code == 201
    assert Annotation.objects.get().note == note
    assert response.json()["note"] == note


@pytest.mark.parametrize(
    "body, says",
    [
        ("{not json", "not valid JSON"),
        ('["a", "list"]', "must be a JSON object"),
        ('"a string"', "must be a JSON object"),
        ("", "empty"),
        (b"\xff\xfe{}", "not valid JSON"),
    ],
)
def test_a_body_that_is_not_a_json_object_is_refused(as_alice, bridge, body, says):
    assert_error(send(as_alice, "post", ANNOTATIONS, body), 400, None, says)
    assert not Annotation.objects.exists()


def test_a_body_over_the_upload_limit_is_413(as_alice, bridge):
    data = claim(bridge, "the plan", note="n" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    assert_error(send(as_alice, "post", ANNOTATIONS, data), 413, None, "upload limit")
    assert not Annotation.objects.exists()


def test_an_anonymous_write_is_401_and_writes_nothing(client, alice, bridge):
    mine = save_claim(alice, bridge, "the plan", visibility="public")
    assert_error(send(client, "post", ANNOTATIONS, claim(bridge, "Critics")), 401, None, "Sign in")
    assert_error(send(client, "patch", f"{ANNOTATIONS}{mine.pk}/", {"note": "x"}), 401)
    assert_error(client.delete(f"{ANNOTATIONS}{mine.pk}/"), 401)
    assert_error(send(client, "post", LINKS, {}), 401)
    assert list(Annotation.objects.values_list("pk", "note")) == [(mine.pk, "")]


def test_a_write_without_the_csrf_token_is_403_json_and_with_it_succeeds(alice, bridge):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert_error(send(client, "post", ANNOTATIONS, claim(bridge, "the plan")), 403, None, "CSRF")
    assert not Annotation.objects.exists()
    token = "a" * 32
    client.cookies[settings.CSRF_COOKIE_NAME] = token
    response = client.post(ANNOTATIONS, json.dumps(claim(bridge, "the plan")), content_type="application/json",
                           headers={"X-CSRFToken": token})
    assert response.status_code == 201


def test_an_unsupported_method_is_405(as_alice, bridge):
    response = as_alice.put(ANNOTATIONS, "{}", content_type="application/json")
    assert_error(response, 405)
    assert response["Allow"] == "GET, POST"


# Reading


def test_each_reader_sees_public_claims_and_their_own(as_alice, as_bob, client, alice, bob, bridge, report):
    save_claim(alice, bridge, "the plan", visibility="private")
    save_claim(alice, bridge, "Critics", visibility="class")
    save_claim(alice, bridge, "the bridge will reopen in May", visibility="public")
    save_claim(bob, bridge, "reckless gamble", visibility="private")
    save_claim(bob, report, "repairs will take until autumn", visibility="public")

    def exacts(c, query="?article=bridge"):
        return sorted(a["exact"] for a in c.get(ANNOTATIONS + query).json()["results"])

    assert exacts(as_alice) == ["Critics", "the bridge will reopen in May", "the plan"]
    assert exacts(as_bob) == ["reckless gamble", "the bridge will reopen in May"]
    assert exacts(client) == ["the bridge will reopen in May"]
    assert exacts(as_bob, "") == ["reckless gamble", "repairs will take until autumn", "the bridge will reopen in May"]


def test_listing_an_unknown_article_is_404(as_alice):
    assert_error(as_alice.get(ANNOTATIONS + "?article=nope"), 404, "article")
    assert_error(as_alice.get(ANNOTATIONS + "?article=%00"), 400, "article")


def test_another_users_private_claim_cannot_be_read_edited_or_deleted(as_bob, client, alice, bridge):
    for visibility, text in (("private", "the plan"), ("class", "a reckless gamble")):
        secret = save_claim(alice, bridge, text, visibility=visibility, note="mine")
        url = f"{ANNOTATIONS}{secret.pk}/"
        assert_error(as_bob.get(url), 404, "id")
        assert_error(client.get(url), 404, "id")
        assert_error(send(as_bob, "patch", url, {"note": "hacked"}), 404, "id")
        assert_error(as_bob.delete(url), 404, "id")
        secret.refresh_from_db()
        assert secret.note == "mine"


def test_another_users_public_claim_can_be_read_but_not_edited_or_deleted(as_bob, alice, bridge):
    shared = save_claim(alice, bridge, "the plan", visibility="public", note="mine")
    url = f"{ANNOTATIONS}{shared.pk}/"
    assert as_bob.get(url).status_code == 200
    assert_error(send(as_bob, "patch", url, {"note": "hacked"}), 403, "id")
    assert_error(as_bob.delete(url), 403, "id")
    shared.refresh_from_db()
    assert shared.note == "mine"


def test_an_unknown_annotation_is_404(as_alice):
    for pk in (999999, 10**30):
        assert_error(as_alice.get(f"{ANNOTATIONS}{pk}/"), 404, "id")
        assert_error(send(as_alice, "patch", f"{ANNOTATIONS}{pk}/", {"note": "x"}), 404, "id")
        assert_error(as_alice.delete(f"{LINKS}{pk}/"), 404, "id")


# Editing and deleting


def test_patch_changes_only_the_fields_given(as_alice, alice, bridge):
    mine = save_claim(alice, bridge, "the plan", source="critics", note="first")
    response = send(as_alice, "patch", f"{ANNOTATIONS}{mine.pk}/", {"label": "disputed", "note": "second"})
    assert response.status_code == 200
    data = response.json()
    assert (data["label"], data["note"], data["source"], data["visibility"]) == ("disputed", "second", "critics",
                                                                                  "private")
    assert data["modified"] >= data["created"]


@pytest.mark.parametrize(
    "change, field",
    [({"start": 0}, "start"), ({"exact": "x"}, "exact"), ({"article": "report"}, "article"),
     ({"note": "n" * 10_001}, "note"), ({"label": "wrong"}, "label"), ({"visibility": 1}, "visibility")],
)
def test_a_patch_with_a_bad_or_fixed_field_changes_nothing(as_alice, alice, bridge, change, field):
    mine = save_claim(alice, bridge, "the plan", note="first")
    assert_error(send(as_alice, "patch", f"{ANNOTATIONS}{mine.pk}/", {"note": "second", **change}), 400, field)
    mine.refresh_from_db()
    assert (mine.note, mine.start, mine.label) == ("first", BRIDGE.index("the plan"), "attributed")


def test_deleting_a_claim_deletes_its_links(as_alice, alice, bridge, report):
    mine = save_claim(alice, bridge, "the bridge will reopen in May")
    services.create_link(alice, link_to(mine, report, "repairs will take until autumn"))
    assert as_alice.delete(f"{ANNOTATIONS}{mine.pk}/").status_code == 204
    assert not Annotation.objects.exists() and not Link.objects.exists()
    assert_error(as_alice.get(f"{ANNOTATIONS}{mine.pk}/"), 404, "id")


# Links


def test_a_link_is_saved_and_shows_on_its_claim(as_alice, alice, bridge, report):
    mine = save_claim(alice, bridge, "the bridge will reopen in May")
    response = send(as_alice, "post", LINKS, link_to(mine, report, "repairs will take until autumn", note="why"))
    assert response.status_code == 201
    link = response.json()
    assert set(link) == {"id", "from", "relation", "to_article", "to_start", "to_end", "to_exact", "note", "author",
                         "created", "anchor"}
    assert (link["from"], link["to_article"], link["relation"], link["author"], link["anchor"]) == (
        mine.pk, "report", "contradicts", "alice", "anchored")
    assert as_alice.get(f"{ANNOTATIONS}{mine.pk}/").json()["links"] == [link]
    assert Link.objects.get().to_prefix == REPORT[link["to_start"] - 32 : link["to_start"]]


@pytest.mark.parametrize(
    "change, status, field, says",
    [
        ({"to_article": "bridge"}, 400, "to_article", "different article"),
        ({"relation": "supports"}, 400, "relation", "relation must be one of corroborates, contradicts"),
        ({"to_exact": "repairs will take until winter"}, 400, "to_exact", "expected 'repairs will take"),
        ({"to_start": 50, "to_end": 40}, 400, "to_start", "to_start must be before to_end"),
        ({"to_end": len(REPORT) + 5}, 400, "to_end", "past the end of the article"),
        ({"to_start": "x"}, 400, "to_start", "must be an integer"),
        ({"to_article": "nope"}, 404, "to_article", "No article"),
        ({"to_article": "re\x00port"}, 400, "to_article", "NUL"),
        ({"from": "abc"}, 400, "from", "from must be an integer"),
        ({"from": 10**30}, 404, "from", "not visible"),
        ({"from": 999999}, 404, "from", "not visible"),
        ({"note": "n" * 10_001}, 400, "note", "too long"),
        ({"strength": 3}, 400, "strength", "'strength'"),
    ],
)
def test_a_bad_link_is_refused_and_nothing_written(as_alice, alice, bridge, report, change, status, field, says):
    mine = save_claim(alice, bridge, "the bridge will reopen in May")
    data = {**link_to(mine, report, "repairs will take until autumn"), **change}
    assert_error(send(as_alice, "post", LINKS, data), status, field, says)
    assert not Link.objects.exists()


def test_linking_from_someone_elses_claim_is_refused(as_bob, alice, bridge, report):
    shared = save_claim(alice, bridge, "the bridge will reopen in May", visibility="public")
    secret = save_claim(alice, bridge, "the plan")
    assert_error(send(as_bob, "post", LINKS, link_to(shared, report, "repairs")), 403, "from")
    assert_error(send(as_bob, "post", LINKS, link_to(secret, report, "repairs")), 404, "from")
    assert not Link.objects.exists()


def test_a_duplicate_link_is_409_and_stored_once(as_alice, alice, bridge, report):
    mine = save_claim(alice, bridge, "the bridge will reopen in May")
    data = link_to(mine, report, "repairs will take until autumn")
    assert send(as_alice, "post", LINKS, data).status_code == 201
    assert_error(send(as_alice, "post", LINKS, data), 409, None, "already contradicts")
    assert Link.objects.count() == 1
    assert send(as_alice, "post", LINKS, {**data, "relation": "corroborates"}).status_code == 201


def test_a_duplicate_that_slips_past_the_check_is_still_a_conflict(alice, bridge, report):
    mine = save_claim(alice, bridge, "the bridge will reopen in May")
    data = link_to(mine, report, "repairs will take until autumn")
    services.create_link(alice, data)
    # As if a concurrent request committed the twin between the check and the insert.
    with mock.patch.object(QuerySet, "exists", return_value=False), pytest.raises(Conflict):
        services.create_link(alice, data)
    assert Link.objects.count() == 1


def test_links_are_deleted_only_by_their_author(as_alice, as_bob, alice, bridge, report):
    shared = save_claim(alice, bridge, "the bridge will reopen in May", visibility="public")
    secret = save_claim(alice, bridge, "the plan")
    public_link = services.create_link(alice, link_to(shared, report, "repairs"))
    private_link = services.create_link(alice, link_to(secret, report, "repairs"))
    assert_error(as_bob.delete(f"{LINKS}{public_link.pk}/"), 403, "id")
    assert_error(as_bob.delete(f"{LINKS}{private_link.pk}/"), 404, "id")
    assert_error(Client().delete(f"{LINKS}{public_link.pk}/"), 401)
    assert Link.objects.count() == 2
    assert as_alice.delete(f"{LINKS}{public_link.pk}/").status_code == 204
    assert list(Link.objects.all()) == [private_link]


def test_backlinks_follow_the_claims_visibility(alice, bob, bridge, report):
    shared = save_claim(alice, bridge, "the bridge will reopen in May", visibility="public")
    secret = save_claim(alice, bridge, "the plan")
    services.create_link(alice, link_to(shared, report, "repairs"))
    services.create_link(alice, link_to(secret, report, "autumn"))
    assert [link.to_exact for link in services.visible_links(bob, to_article=report)] == ["repairs"]
    assert sorted(link.to_exact for link in services.visible_links(alice, to_article=report)) == ["autumn",
                                                                                                  "repairs"]


# Cost


def test_listing_50_claims_with_links_costs_the_same_queries_as_listing_5(as_alice, alice, bridge, report):
    def add(count):
        for _ in range(count):
            # A different span each time: the same claim twice is refused.
            start = Annotation.objects.count()
            mine = services.create_annotation(alice, bridge, {"start": start, "end": start + 10,
                                                              "exact": BRIDGE[start : start + 10],
                                                              "label": "attributed", "visibility": "public"})
            services.create_link(alice, link_to(mine, report, "repairs"))
            services.create_link(alice, link_to(mine, report, "autumn", relation="corroborates"))

    def queries_to_list():
        with CaptureQueriesContext(connection) as queries:
            response = as_alice.get(ANNOTATIONS + "?article=bridge")
        assert response.status_code == 200
        return len(queries), len(response.json()["results"])

    add(5)
    few, listed = queries_to_list()
    assert listed == 5
    add(45)
    many, listed = queries_to_list()
    assert listed == 50
    assert many == few
