"""Sources: claims matched to who said them through aliases, the source page, the map filter, the API."""

import csv
import io
import json
import re

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from annotator.annotations import exports, sources
from annotator.annotations.models import Source, SourceAlias
from annotator.classroom.models import Exercise
from annotator.corpus.models import Article
from annotator.discussion.services import hide_claim
from annotator.errors import Duplicate, Forbidden, NotAuthenticated, ServiceError

from .factories import (
    BODY_A,
    BODY_B,
    client_for,
    make_article,
    make_claim,
    make_link,
    make_teacher,
    make_user,
)

BODY_C = "Tass story\nPutin urged restraint on all sides, the presidential press service said."


@pytest.fixture
def corpus(db):
    teacher, student, other = make_teacher("teacher"), make_user("student"), make_user("other")
    a, b, c = make_article("a", BODY_A), make_article("b", BODY_B), make_article("c", BODY_C)
    kremlin = sources.create_source(teacher, {"name": "Kremlin", "kind": "office"})
    said = make_claim(student, a, "Putin urged restraint", source="the Kremlin", visibility="public")
    make_link(student, said, b, "Putin praised the attack as wise", "contradicts")
    press = make_claim(student, c, "Putin urged restraint on all sides", source="Presidential press service",
                       visibility="public")
    private = make_claim(other, a, "Critics called it", source="Kremlin")
    return {"teacher": teacher, "student": student, "other": other, "kremlin": kremlin, "said": said,
            "press": press, "private": private}


def test_alias_keys_ignore_case_spacing_and_a_leading_the():
    assert sources.alias_key("  The   KREMLIN ") == sources.alias_key("kremlin") == "kremlin"
    assert sources.alias_key("Theodore") == "theodore"


@pytest.mark.django_db
def test_a_claim_written_with_an_alias_belongs_to_its_source_and_an_added_alias_brings_old_claims_in(corpus):
    kremlin, teacher = corpus["kremlin"], corpus["teacher"]
    assert sources.source_for("the kremlin") == kremlin
    claims = [claim for claim, _ in sources.source_claims(corpus["student"], kremlin)]
    assert claims == [corpus["said"]]
    sources.add_alias(teacher, kremlin.slug, {"alias": "the presidential press service"})
    claims = [claim for claim, _ in sources.source_claims(corpus["student"], sources.get_source(kremlin.slug))]
    assert set(claims) == {corpus["said"], corpus["press"]}


@pytest.mark.django_db
def test_the_source_page_lists_claims_by_article_with_their_links_and_hides_claims_the_reader_cannot_see(corpus):
    response = client_for(corpus["student"]).get("/sources/kremlin/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Putin urged restraint" in page and "Contradicted by" in page and "PressTV story" in page
    assert "Critics called it" not in page  # the other student's private claim
    assert "Critics called it" in client_for(corpus["other"]).get("/sources/kremlin/").content.decode()


def listed_counts(client):
    """{source name: the counts line of its card} on the sources page, as a reader sees it."""
    response = client.get("/sources/")
    assert response.status_code == 200
    cards = response.content.decode().split('<li class="card">')[1:]
    found = {}
    for card in cards:
        name = re.search(r"<strong>(.*?)</strong>", card).group(1)
        counts = re.search(r'<p class="[^"]*source-counts">(.*?)</p>', card, re.DOTALL)
        found[name] = " ".join(re.sub(r"<[^>]+>", " ", counts.group(1)).split())
    return found


@pytest.mark.django_db
def test_the_sources_list_counts_each_sources_claims_by_label_and_the_articles_they_span(corpus):
    sources.create_source(corpus["teacher"], {"name": "PressTV", "kind": "outlet"})
    d = make_article("d", "Dispute\nThe KREMLIN  denied it.")
    make_claim(corpus["student"], d, "denied it", label="disputed", source="THE KREMLIN", visibility="public")
    # A second claim on article a, written another way: still one article.
    make_claim(corpus["other"], Article.objects.get(slug="a"), "a strongman's bluff", label="editorialized",
               source="Kremlin", visibility="public")
    assert listed_counts(Client()) == {
        "Kremlin": "3 claims in 2 articles: 1 attributed , 1 editorialized , 1 disputed",
        "PressTV": "No claim you can see is attributed to it yet.",
    }
    # The private claim's author counts it too, as the sources CSV does for them.
    assert listed_counts(client_for(corpus["other"]))["Kremlin"] == (
        "4 claims in 2 articles: 2 attributed , 1 editorialized , 1 disputed")
    kremlin = next(row for row in csv_rows(client_for(corpus["other"]).get("/export/sources.csv"))
                   if row["slug"] == "kremlin")
    assert [kremlin[k] for k in ("claims", "articles", "attributed", "editorialized", "disputed")] == [
        "4", "2", "2", "1", "1"]


def test_a_claim_the_reader_may_not_read_is_not_counted_on_the_sources_list(lesson):
    sources.create_source(lesson["teacher"], {"name": "Kremlin", "kind": "office"})
    # kim's exercise work, attributed to the Kremlin; the key's claim names it too.
    kims = make_claim(lesson["kim"], lesson["a"], "Critics called it", source="the Kremlin",
                      exercise=lesson["exercise"])
    sam, kim, teacher = (client_for(lesson[name]) for name in ("sam", "kim", "teacher"))
    # Before the key is revealed, or the class discusses, sam reads neither.
    assert listed_counts(sam)["Kremlin"] == "No claim you can see is attributed to it yet."
    assert listed_counts(kim)["Kremlin"] == "1 claim in 1 article: 1 attributed"
    assert listed_counts(teacher)["Kremlin"] == "2 claims in 1 article: 2 attributed"
    # The class discusses the exercise: its work and its key are open to the class.
    lesson["exercise"].discussion = True
    lesson["exercise"].save(update_fields=["discussion"])
    assert listed_counts(sam)["Kremlin"] == "2 claims in 1 article: 2 attributed"
    # The teacher hides kim's claim from the class: sam no longer counts it, kim still does.
    hide_claim(lesson["teacher"], kims.pk)
    assert listed_counts(sam)["Kremlin"] == "1 claim in 1 article: 1 attributed"
    assert listed_counts(kim)["Kremlin"] == "2 claims in 1 article: 2 attributed"
    assert listed_counts(teacher)["Kremlin"] == "2 claims in 1 article: 2 attributed"


def test_the_sources_list_takes_as_many_queries_for_thirty_sources_as_for_one(lesson):
    teacher, sam = lesson["teacher"], client_for(lesson["sam"])
    lesson["exercise"].discussion = True
    lesson["exercise"].save(update_fields=["discussion"])

    def add_source(number):
        name = f"Ministry {number}"
        source = sources.create_source(teacher, {"name": name, "kind": "government"})
        sources.add_alias(teacher, source.slug, {"alias": f"Minister {number}"})
        one, other = make_article(f"m{number}", BODY_A), make_article(f"n{number}", BODY_B)
        make_claim(lesson["kim"], one, "Critics called it", source=f"the minister {number}", label="disputed",
                   visibility="class")
        make_claim(lesson["lee"], other, "PressTV claimed", source=name, visibility="public")
        make_claim(lesson["outsider"], other, "Putin praised", source=name)  # private: not counted

    def queries():
        with CaptureQueriesContext(connection) as context:
            assert sam.get("/sources/").status_code == 200
        return len(context)

    add_source(1)
    sam.get("/sources/")  # sessions and caches warmed alike for both counts
    one = queries()
    for number in range(2, 31):
        add_source(number)
    assert queries() == one
    assert listed_counts(sam)["Ministry 30"] == "2 claims in 2 articles: 1 attributed , 1 disputed"


@pytest.mark.django_db
def test_an_alias_already_held_by_another_source_is_refused_by_name_and_nothing_changes(corpus):
    presstv = sources.create_source(corpus["teacher"], {"name": "PressTV", "kind": "outlet"})
    with pytest.raises(Duplicate, match="already an alias of Kremlin"):
        sources.add_alias(corpus["teacher"], presstv.slug, {"alias": "The Kremlin"})
    assert list(presstv.aliases.values_list("alias", flat=True)) == ["PressTV"]
    response = client_for(corpus["teacher"]).post("/sources/pressv/aliases/", {"alias": "x"})
    assert response.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("data, field", [
    ({"name": "", "kind": "office"}, "name"),
    ({"name": "the", "kind": "office"}, "name"),
    ({"name": "Kremlin", "kind": "office"}, "name"),
    ({"name": "Tass", "kind": "wire"}, "kind"),
    ({"name": ["Tass"], "kind": "outlet"}, "name"),
    ({"name": "T" * 201, "kind": "outlet"}, "name"),
])
def test_a_bad_new_source_is_refused_naming_the_field(corpus, data, field):
    with pytest.raises(ServiceError) as refused:
        sources.create_source(corpus["teacher"], data)
    assert refused.value.field == field
    assert Source.objects.count() == 1


@pytest.mark.django_db
def test_only_teachers_edit_sources_and_a_source_keeps_its_own_name(corpus):
    with pytest.raises(Forbidden):
        sources.create_source(corpus["student"], {"name": "Tass", "kind": "outlet"})
    with pytest.raises(NotAuthenticated):
        sources.add_alias(Client().get("/").wsgi_request.user, "kremlin", {"alias": "Peskov"})
    own = SourceAlias.objects.get(alias="Kremlin")
    with pytest.raises(ServiceError, match="own name"):
        sources.remove_alias(corpus["teacher"], own.pk)
    response = client_for(corpus["student"]).post(f"/sources/aliases/{own.pk}/delete/")
    assert response.status_code == 403
    assert SourceAlias.objects.filter(pk=own.pk).exists()


@pytest.mark.django_db
def test_a_teacher_adds_and_removes_an_alias_through_the_page(corpus):
    teacher = client_for(corpus["teacher"])
    response = teacher.post("/sources/kremlin/aliases/", {"alias": "Peskov"})
    assert response.status_code == 302
    alias = SourceAlias.objects.get(alias="Peskov")
    refused = teacher.post("/sources/kremlin/aliases/", {"alias": "  "})
    assert refused.status_code == 422 and "Type the alias" in refused.content.decode()
    assert teacher.post(f"/sources/aliases/{alias.pk}/delete/").status_code == 302
    assert not SourceAlias.objects.filter(pk=alias.pk).exists()
    assert teacher.post("/sources/aliases/999999/delete/").status_code == 404


@pytest.mark.django_db
def test_a_card_source_leads_to_its_page_or_to_suggestions_when_unknown(corpus):
    client = client_for(corpus["student"])
    assert client.get("/sources/find/?name=the+Kremlin")["Location"] == "/sources/kremlin/"
    missing = client.get("/sources/find/?name=Kreml")
    assert missing.status_code == 404
    assert "No source is written “Kreml”" in missing.content.decode()
    assert 'href="/sources/kremlin/"' in missing.content.decode()
    reader = client.get("/articles/a/").content.decode()
    assert "/sources/find/?name=the%20Kremlin" in reader


@pytest.mark.django_db
def test_typing_a_source_suggests_the_sources_it_may_mean(corpus):
    sources.add_alias(corpus["teacher"], "kremlin", {"alias": "Russian presidential press service"})
    options = client_for(corpus["student"]).get("/sources/suggest/?source=press+serv").content.decode()
    assert '<option value="Kremlin">' in options
    assert client_for(corpus["student"]).get("/sources/suggest/?source=k").content.decode().strip() == ""


@pytest.mark.django_db
def test_the_claim_map_can_be_narrowed_to_one_source(corpus):
    page = client_for(corpus["student"]).get("/map/?source=kremlin").content.decode()
    assert '<option value="kremlin" selected>' in page
    assert "Putin urged restraint" in page
    unknown = client_for(corpus["student"]).get("/map/?source=nobody").content.decode()
    assert '<option value="kremlin" >' in unknown or '<option value="kremlin">' in unknown


@pytest.mark.django_db
def test_the_api_lists_creates_and_shows_sources_with_their_claims_and_links(corpus):
    teacher = client_for(corpus["teacher"])
    created = teacher.post("/api/sources/", {"name": "PressTV", "kind": "outlet"}, content_type="application/json")
    assert created.status_code == 201 and created.json()["slug"] == "presstv"
    shown = Client().get("/api/sources/kremlin/").json()
    assert [c["exact"] for c in shown["claims"]] == ["Putin urged restraint"]
    assert shown["claims"][0]["links"][0]["relation"] == "contradicts"
    assert [s["name"] for s in Client().get("/api/sources/?q=press").json()["results"]] == ["PressTV"]
    added = teacher.post("/api/sources/kremlin/aliases/", {"alias": "Peskov"}, content_type="application/json")
    assert added.status_code == 201 and "Peskov" in [a["alias"] for a in added.json()["aliases"]]
    bad = teacher.post("/api/sources/kremlin/aliases/", "{not json", content_type="application/json")
    assert bad.status_code == 400 and "valid JSON" in bad.json()["error"]
    alias_id = SourceAlias.objects.get(alias="Peskov").pk
    assert teacher.delete(f"/api/sources/aliases/{alias_id}/").status_code == 204
    assert teacher.delete(f"/api/sources/aliases/{alias_id}/").status_code == 404
    student = client_for(corpus["student"])
    assert student.post("/api/sources/", json.dumps({"name": "X", "kind": "outlet"}),
                        content_type="application/json").status_code == 403


@pytest.mark.django_db
def test_the_json_ld_export_names_the_source_a_claim_is_attributed_to(corpus):
    response = client_for(corpus["student"]).get("/export/annotations.jsonld?mine=1")
    exported = json.loads(b"".join(response.streaming_content))
    claims = {item["target"]["selector"][1]["exact"]: item for item in exported["first"]["items"]
              if item["motivation"] == "tagging"}
    named = [body for body in claims["Putin urged restraint"]["body"] if body.get("id", "").startswith("urn:annotator:source:")]
    assert named == [{"id": "urn:annotator:source:kremlin", "type": "schema:Organization", "purpose": "identifying",
                      "schema:name": "Kremlin"}]
    assert not any("id" in body for body in claims["Putin urged restraint on all sides"]["body"])


def csv_rows(response):
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode(), newline="")))


@pytest.mark.django_db
def test_the_sources_csv_counts_the_claims_the_downloader_may_read_by_label_and_link(corpus):
    sources.create_source(corpus["teacher"], {"name": "=Reuters", "kind": "outlet"})
    make_claim(corpus["student"], make_article("d", "Dispute\nThe KREMLIN  denied it."), "denied it",
               label="disputed", source="THE KREMLIN", visibility="public")
    rows = csv_rows(Client().get("/export/sources.csv"))
    assert list(rows[0]) == list(exports.SOURCE_COLUMNS)
    assert sorted((r["slug"], r["name"], r["kind"], r["aliases"]) for r in rows) == [
        ("kremlin", "Kremlin", "office", "Kremlin"), ("reuters", "'=Reuters", "outlet", "'=Reuters")]
    kremlin, reuters = sorted(rows, key=lambda row: row["slug"])
    # The anonymous visitor reads the public claims: "the Kremlin" and "THE KREMLIN", not the private "Kremlin".
    assert {k: kremlin[k] for k in exports.SOURCE_COLUMNS[4:]} == {
        "claims": "2", "attributed": "1", "editorialized": "0", "disputed": "1", "corroborates": "0",
        "contradicts": "1", "articles": "2"}
    assert reuters["claims"] == "0"
    # The private claim's author counts it too; an added alias brings the press service claim in.
    sources.add_alias(corpus["teacher"], "kremlin", {"alias": "presidential press service"})
    mine = next(row for row in csv_rows(client_for(corpus["other"]).get("/export/sources.csv"))
                if row["slug"] == "kremlin")
    assert (mine["claims"], mine["aliases"]) == ("4", "Kremlin\npresidential press service")


@pytest.mark.django_db
def test_only_staff_count_every_claim_in_the_sources_csv(corpus):
    assert client_for(corpus["student"]).get("/export/sources.csv?all=1").status_code == 403
    assert Client().get("/export/sources.csv?all=1").status_code == 401
    corpus["teacher"].is_staff = True
    corpus["teacher"].save()
    rows = csv_rows(client_for(corpus["teacher"]).get("/export/sources.csv?all=1"))
    assert rows[0]["claims"] == "2"  # the two written as the Kremlin's aliases, the private one included


@pytest.mark.django_db
def test_the_claims_csv_names_the_matched_source_in_a_column_after_the_others(corpus):
    rows = csv_rows(client_for(corpus["student"]).get("/export/annotations.csv?mine=1"))
    assert list(rows[0])[-2:] == ["links", "source_slug"]
    assert {r["quote"]: r["source_slug"] for r in rows} == {
        "Putin urged restraint": "kremlin", "Putin urged restraint on all sides": ""}


@pytest.mark.django_db
def test_the_export_command_writes_the_sources_csv_of_every_claim(corpus, tmp_path):
    call_command("export_annotations", "--what", "sources", "--output", str(tmp_path / "sources.csv"))
    rows = list(csv.DictReader(io.StringIO((tmp_path / "sources.csv").read_text(), newline="")))
    assert [(r["slug"], r["claims"], r["contradicts"]) for r in rows] == [("kremlin", "2", "1")]
    with pytest.raises(CommandError, match="CSV"):
        call_command("export_annotations", "--what", "sources", "--format", "jsonld")


def test_the_demo_lesson_reads_laterally_by_source_and_by_the_one_outlet_the_seeds_name(seeded):
    call_command("load_demo", verbosity=0)
    visitor = Client()
    kremlin = visitor.get("/api/sources/kremlin/").json()
    articles = {claim["article"] for claim in kremlin["claims"]}
    assert len(kremlin["claims"]) == 2 and len(articles) == 2
    assert all(claim["links"] for claim in kremlin["claims"])
    examiner = seeded["004_405ef5057e510925.txt"]
    profile = visitor.get("/api/outlets/").json()["results"]
    assert [(p["name"], p["kind"]) for p in profile] == [("Washington Examiner", "newspaper")]
    assert visitor.get("/api/outlets/washington-examiner/").json()["articles"] == [examiner.slug]
    # Every other seed names no outlet, so none has a profile to show.
    assert sorted(a.outlet for a in seeded.values()) == ["", "", "", "", "Washington Examiner"]
    lesson = Exercise.objects.get()
    assert "the Kremlin's page" in lesson.instructions and "Washington Examiner" in lesson.instructions
