"""Requests built to break the server get a clear 4xx and write nothing: JSON nested too deep,
half a character (a lone UTF-16 surrogate), page numbers past any database's integers,
malformed ids in query strings, and an HTML upload whose JSON-LD is nested too deep."""

import json

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from annotator.annotations.models import Annotation, Link
from annotator.classroom.models import Classroom, Exercise, Membership
from annotator.roles import TEACHERS_GROUP
from annotator.corpus.models import Article
from annotator.discussion.models import Reply

from .factories import BODY_A, BODY_B, article, client_for, span

pytestmark = pytest.mark.django_db

SURROGATE = "\ud83d"  # the first half of 😀, alone


def send(client, method, url, body):
    """`body` as JSON text; json.dumps writes a lone surrogate as the escape \\ud83d, as a browser would."""
    raw = body if isinstance(body, (str, bytes)) else json.dumps(body)
    return getattr(client, method)(url, raw, content_type="application/json")


def assert_refused(response, status=400, field=None, says=""):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    answer = response.json()
    assert says in answer["error"]
    if field is not None:
        assert answer.get("field") == field


def nested(depth, inner="1"):
    return "[" * depth + inner + "]" * depth


@pytest.fixture
def world(db):
    """Two articles; Sam's public claim with a link and a reply; a class with Sam in it."""
    teacher = User.objects.create_user("tess", password="x-pass-12345")
    teacher.groups.add(Group.objects.create(name=TEACHERS_GROUP))
    sam = User.objects.create_user("sam", password="x-pass-12345")
    a, b = article("a", BODY_A), article("b", BODY_B)
    claim = Annotation.objects.create(article=a, author=sam, label="attributed", visibility="public",
                                      **{k: v for k, v in span(a, "Putin urged restraint").items()})
    link = Link.objects.create(source_annotation=claim, author=sam, to_article=b, relation="contradicts",
                               to_start=0, to_end=6, to_exact=b.body[:6])
    reply = Reply.objects.create(claim=claim, author=sam, text="Said who?")
    classroom = Classroom.objects.create(name="Period 3", teacher=teacher, join_code="maple-otter-42")
    exercise = Exercise.objects.create(classroom=classroom, title="Restraint or praise?")
    exercise.articles.set([a, b])
    Membership.objects.create(classroom=classroom, student=sam)
    return {"teacher": teacher, "sam": sam, "a": a, "b": b, "claim": claim, "link": link, "reply": reply,
            "exercise": exercise}


def rows(world):
    return (Annotation.objects.count(), Link.objects.count(), Reply.objects.count(),
            list(Annotation.objects.values_list("note", "source", "label", "visibility")),
            list(Reply.objects.values_list("text", flat=True)))


# --- JSON nested too deep -----------------------------------------------------------------


@pytest.mark.parametrize("depth", [100, 950, 1_000, 100_000])
def test_json_nested_deeper_than_any_request_needs_is_a_400_not_a_crash(world, depth):
    sam = client_for(world["sam"])
    before = rows(world)
    assert_refused(send(sam, "post", "/api/annotations/", nested(depth)))
    assert_refused(send(sam, "post", "/api/annotations/", '{"note": ' + nested(depth) + "}"), says="nested")
    body = '{"text": ' + nested(depth, '"deep"') + "}"
    assert_refused(send(sam, "post", f"/api/annotations/{world['claim'].pk}/replies/", body), says="nested")
    assert rows(world) == before


def test_json_a_few_levels_deep_still_gets_the_fields_own_message(world):
    response = send(client_for(world["sam"]), "patch", f"/api/annotations/{world['claim'].pk}/",
                    {"note": [[["three levels"]]]})
    assert_refused(response, field="note", says="note must be a string")


# --- half a character ---------------------------------------------------------------------


@pytest.mark.parametrize("field", ["note", "source", "article", "label", "exact"])
def test_a_lone_surrogate_in_a_claim_is_refused_by_field(world, field):
    body = {**span(world["a"], "Critics"), "article": "a", "label": "disputed", "note": "", "source": ""}
    body[field] = f"ok {SURROGATE} ok"
    before = rows(world)
    assert_refused(send(client_for(world["sam"]), "post", "/api/annotations/", body), field=field,
                   says="half of a character")
    assert rows(world) == before


@pytest.mark.parametrize("method, path, body, field", [
    ("patch", "/api/annotations/{claim}/", {"note": SURROGATE}, "note"),
    ("patch", "/api/annotations/{claim}/", {"source": "Kremlin " + SURROGATE}, "source"),
    ("post", "/api/links/", {"from": "{claim}", "to_article": SURROGATE, "to_start": 0, "to_end": 6,
                             "to_exact": "PressT", "relation": "contradicts"}, "to_article"),
    ("post", "/api/links/", {"from": "{claim}", "to_article": "b", "to_start": 0, "to_end": 6,
                             "to_exact": "PressT", "relation": "contradicts", "note": SURROGATE}, "note"),
    ("post", "/api/annotations/{claim}/replies/", {"text": SURROGATE}, "text"),
    ("post", "/api/annotations/{claim}/replies/", {"text": "see", "to_article": SURROGATE, "to_start": 0,
                                                    "to_end": 6, "to_exact": "PressT"}, "to_article"),
    ("patch", "/api/replies/{reply}/", {"text": "edited " + SURROGATE}, "text"),
    ("post", "/api/articles/a/suggestions/dismiss/", {"start": 0, "end": 6, "label": SURROGATE}, "label"),
])
def test_a_lone_surrogate_anywhere_in_a_json_write_is_refused_and_writes_nothing(world, method, path, body, field):
    ids = {"{claim}": world["claim"].pk, "{reply}": world["reply"].pk}
    for name, pk in ids.items():
        path = path.replace(name, str(pk))
    body = {key: ids.get(value, value) if isinstance(value, str) else value for key, value in body.items()}
    before = rows(world)
    assert_refused(send(client_for(world["sam"]), method, path, body), field=field, says="half of a character")
    assert rows(world) == before


def test_a_lone_surrogate_in_a_key_or_inside_a_list_is_refused_and_the_message_can_be_sent(world):
    sam = client_for(world["sam"])
    url = f"/api/annotations/{world['claim'].pk}/"
    response = send(sam, "patch", url, {"note" + SURROGATE: "x"})
    assert_refused(response, says="half of a character")
    assert "\\ud83d" in response.json()["error"]  # shown escaped, never sent raw
    assert_refused(send(sam, "patch", url, {"note": ["fine", {"deeper": SURROGATE}]}), field="note",
                   says="half of a character")


def test_a_nul_character_anywhere_in_a_json_write_is_refused(world):
    sam = client_for(world["sam"])
    before = rows(world)
    assert_refused(send(sam, "post", "/api/links/", {"from": world["claim"].pk, "to_article": "b\x00",
                                                     "to_start": 0, "to_end": 6, "to_exact": "PressT",
                                                     "relation": "contradicts"}), field="to_article", says="NUL")
    assert rows(world) == before


@pytest.mark.parametrize("url", [
    "/api/annotations/?article=%00", "/api/annotations/?article=a%00b", "/api/annotations/?page=%00",
    "/api/passages/search/?q=%00", "/api/passages/search/?q=a&exclude=%00", "/api/articles/?x%00=1",
    "/api/articles/a/related/?start=0&end=%00", "/api/articles/a/suggestions/?x=%00",
])
def test_a_nul_character_in_a_query_string_is_a_400(world, url):
    assert_refused(Client().get(url), says="NUL")


@pytest.mark.parametrize("url", ["/api/annotations/?article=%ED%A0%BD", "/api/passages/search/?q=%ED%A0%BD",
                                 "/api/passages/search/?q=a&exclude=%ED%A0%BD"])
def test_a_surrogates_bytes_in_a_query_string_read_as_a_replacement_character(world, url):
    # Django decodes the query string as UTF-8 with replacement, so no half character gets through.
    response = Client().get(url)
    assert response.status_code in (200, 400, 404), response.content
    assert response.json().get("results", []) == [] or response.json()["error"]


# --- page numbers past any integer column ----------------------------------------------------


@pytest.mark.parametrize("url", ["/api/articles/", "/api/annotations/", "/api/annotations/{claim}/replies/"])
@pytest.mark.parametrize("number", ["99999999999999999999", "1" * 5000, "0", "-3", "two", "1.5"])
def test_an_impossible_page_number_is_a_400_naming_the_page(world, url, number):
    url = url.replace("{claim}", str(world["claim"].pk))
    assert_refused(client_for(world["sam"]).get(url, {"page": number}), field="page", says="page")


def test_a_page_past_the_last_is_an_empty_list(world):
    answer = client_for(world["sam"]).get("/api/annotations/", {"page": "1000"}).json()
    assert answer == {"results": [], "next": None}


@pytest.mark.parametrize("method, path, body", [
    ("get", "/api/annotations/{id}/", None), ("patch", "/api/annotations/{id}/", {"note": "x"}),
    ("delete", "/api/annotations/{id}/", None), ("delete", "/api/links/{id}/", None),
    ("get", "/api/annotations/{id}/replies/", None), ("post", "/api/annotations/{id}/replies/", {"text": "x"}),
    ("patch", "/api/replies/{id}/", {"text": "x"}), ("post", "/api/replies/{id}/flag/", None),
    ("get", "/api/exercises/{id}/discussion/", None), ("get", "/exercises/{id}/", None),
    ("get", "/claims/{id}/edit/", None), ("post", "/claims/{id}/delete/", None),
])
@pytest.mark.parametrize("pk", ["2147483648", "9223372036854775808", "9" * 40])
def test_an_id_past_any_integer_column_is_not_found(world, method, path, body, pk):
    client, url = client_for(world["sam"]), path.replace("{id}", pk)
    response = send(client, method, url, body) if body else getattr(client, method)(url)
    assert response.status_code == 404, response.content


# --- a teacher's feedback page with a malformed student ------------------------------------


@pytest.mark.parametrize("student", ["abc", "99999999999999999999", "999999999999999999", "-1", "1.0", "", "%00"])
def test_feedback_for_a_malformed_student_id_is_not_found(world, student):
    url = reverse("classroom:feedback", args=[world["exercise"].pk])
    response = client_for(world["teacher"]).get(f"{url}?student={student}")
    assert response.status_code == 404
    assert "Nothing here" in response.content.decode()


def test_feedback_for_a_student_of_the_class_still_opens(world):
    url = reverse("classroom:feedback", args=[world["exercise"].pk])
    response = client_for(world["teacher"]).get(url, {"student": world["sam"].pk})
    assert response.status_code == 200


# --- an HTML article whose JSON-LD is nested too deep ---------------------------------------

DEEP_LD_PAGE = """<!doctype html><html><head><title>Ferry fares rise - Harbour News</title>
<script type="application/ld+json">{ld}</script>
<script type="application/ld+json">{{"@type": "NewsArticle", "headline": "Ferry fares rise",
 "author": {{"name": "Anna Kowalski"}}, "datePublished": "2025-03-03"}}</script>
</head><body><article><h1>Ferry fares rise</h1>
<p>The ferry company said on Monday that fares would rise by a fifth in April, blaming fuel costs.</p>
</article></body></html>"""


@pytest.mark.parametrize("depth", [900, 950, 1_000, 50_000])
@pytest.mark.parametrize("shape", ["list", "graph"])
def test_an_upload_with_json_ld_nested_too_deep_imports_with_the_metadata_it_can_read(depth, shape):
    if shape == "list":
        ld = nested(depth, '{"@type": "NewsArticle", "headline": "Lost"}')
    else:
        ld = '{"@graph": ' * depth + '{"@type": "NewsArticle"}' + "}" * depth
    page = DEEP_LD_PAGE.format(ld=ld)
    teacher = User.objects.create_user("tess", password="x-pass-12345")
    teacher.groups.add(Group.objects.create(name=TEACHERS_GROUP))
    client = client_for(teacher)
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(reverse("corpus:add"),
                           {"files": [SimpleUploadedFile("ferry.html", page.encode(), "text/html")]})
    assert response.status_code == 200
    assert "Anna Kowalski" in response.content.decode()  # read from the second, readable script
    assert Article.objects.count() == 0


def test_the_import_command_reads_a_page_with_json_ld_nested_too_deep(db, tmp_path):
    (tmp_path / "ferry.html").write_text(DEEP_LD_PAGE.format(ld=nested(990)))
    call_command("import_articles", str(tmp_path), verbosity=0)
    stored = Article.objects.get()
    assert stored.byline == "Anna Kowalski" and stored.title == "Ferry fares rise"
