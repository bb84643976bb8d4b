"""Every JSON write endpoint answers malformed JSON with a 4xx in the API's error shape and
writes nothing.

The endpoints are read from the URL conf (everything under /api/ that takes POST, PATCH or
PUT and reads a JSON body), so a new one is fuzzed without touching this file. Each gets
bodies that are broken as documents (empty, bad UTF-8, nested thousands deep, not an object)
or valid bodies with one to three fields spoiled (half characters, NUL, huge and negative
numbers, floats, booleans where ids go, wrong types, nulls where a value is required,
unknown keys). They are sent by a student or by the class's teacher (whichever may make
the write) at real objects: a claim, its link and reply, an exercise, an article. No
request may send a statement that writes, and every row of every model must be as it was.
"""

import json
import re

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.contrib.auth.models import Group, User
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.annotations.models import Annotation, Link, Source, SourceAlias
from annotator.annotations.validation import SOURCE_MAX_LENGTH
from annotator.assist.services import article_suggestions
from annotator.classroom.models import Classroom, Exercise, Membership, TeacherComment
from annotator.corpus.models import Outlet
from annotator.roles import TEACHERS_GROUP
from annotator.discussion.models import REPLY_MAX_LENGTH, Reply

from .factories import BODY_A, BODY_B, article, span

pytestmark = pytest.mark.django_db

BODY_METHODS = ("POST", "PATCH", "PUT")
# Write endpoints that read no body at all: what is sent is ignored, so there is nothing to fuzz.
TAKES_NO_BODY = {("api/replies/<int:pk>/flag/", "POST")}
EXAMPLES = 25  # per endpoint and method, beside the wrong type of each field in turn


def api_routes(patterns=None, prefix=""):
    """Every route of the URL conf under api/, as written there ("api/annotations/<int:pk>/")."""
    routes = []
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            routes += api_routes(entry.url_patterns, route)
        elif isinstance(entry, URLPattern) and route.startswith("api/"):
            routes.append(route)
    return sorted(set(routes))


ROUTES = api_routes()


# --- what to aim at ---------------------------------------------------------------------------


@pytest.fixture
def world(db):
    """A class with an exercise in discussion mode on two articles; Sam's claim in it, with a
    link and a reply, and Kim's reply; the two signed-in clients: Sam and the teacher."""
    teacher = User.objects.create_user("tess", password="x-pass-12345")
    teacher.groups.add(Group.objects.create(name=TEACHERS_GROUP))
    sam, kim = (User.objects.create_user(name, password="x-pass-12345") for name in ("sam", "kim"))
    a, b = article("a", BODY_A), article("b", BODY_B)
    classroom = Classroom.objects.create(name="Period 3", teacher=teacher)
    exercise = Exercise.objects.create(classroom=classroom, title="Restraint or praise?", discussion=True)
    exercise.articles.set([a, b])
    for student in (sam, kim):
        Membership.objects.create(classroom=classroom, student=student)
    claim = Annotation.objects.create(article=a, author=sam, label="attributed", exercise=exercise,
                                      **span(a, "Putin urged restraint"))
    link = Link.objects.create(source_annotation=claim, author=sam, to_article=b, relation="contradicts",
                               **{f"to_{k}": v for k, v in span(b, "PressTV claimed").items()})
    reply = Reply.objects.create(claim=claim, author=sam, text="Said who?")
    Reply.objects.create(claim=claim, author=kim, text="The Kremlin.")
    # Staff, last: only they may lock an outlet's profile.
    staff = User.objects.create_user("stella", password="x-pass-12345", is_staff=True)
    clients = {}
    for user in (sam, teacher, staff):
        clients[user.username] = Client()
        clients[user.username].force_login(user)
    Outlet.objects.create(name="Examiner", slug="examiner", kind="newspaper")
    kremlin = Source.objects.create(name="Kremlin", slug="kremlin", kind="office")
    alias = SourceAlias.objects.create(source=kremlin, alias="Peskov", key="peskov")
    comment = TeacherComment.objects.create(claim=claim, author=teacher, text="Who said it?")
    objects = {"annotations": claim.pk, "links": link.pk, "replies": reply.pk, "exercises": exercise.pk,
               "articles": a.slug, "accounts": sam.pk, "students": sam.pk, "outlets": "examiner", "sources": "kremlin",
               "aliases": alias.pk, "teacher-comments": comment.pk}
    return {"clients": clients, "objects": objects, "claim": claim, "a": a, "b": b, "classroom": classroom}


def url_for(route, objects):
    """The route with each <converter:name> filled by the object its preceding segment names."""
    def fill(match):
        segment = route[: match.start()].rstrip("/").rsplit("/", 1)[-1]
        assert segment in objects, f"nothing to aim {route} at: add a {segment!r} object to the world fixture"
        return str(objects[segment])

    return "/" + re.sub(r"<[^>]+>", fill, route)


def valid_bodies(world):
    """A body each known endpoint accepts, so that spoiling one field reaches that field's check."""
    a, b = world["a"], world["b"]
    suggestion = article_suggestions(a.body)[0]
    return {
        ("api/annotations/", "POST"): {"article": "a", **span(a, "Critics"), "label": "disputed", "note": "Who?",
                                       "source": "", "visibility": "private", "exercise": None},
        ("api/annotations/<int:pk>/", "PATCH"): {"label": "editorialized", "note": "On second reading."},
        ("api/links/", "POST"): {"from": world["claim"].pk, "to_article": "b", **{
            f"to_{k}": v for k, v in span(b, "Putin praised the attack").items()}, "relation": "contradicts",
            "note": "Opposite."},
        ("api/annotations/<int:pk>/replies/", "POST"): {"text": "See this.", "parent": None, "to_article": "b", **{
            f"to_{k}": v for k, v in span(b, "PressTV story").items()}},
        ("api/replies/<int:pk>/", "PATCH"): {"text": "Said whom?"},
        ("api/annotations/<int:pk>/moderation/", "PATCH"): {"hidden": True, "locked": True},
        ("api/replies/<int:pk>/moderation/", "PATCH"): {"hidden": True},
        ("api/exercises/<int:pk>/discussion/", "PATCH"): {"replies_off": True},
        ("api/accounts/<int:pk>/delete/", "POST"): {"confirm": "sam"},
        ("api/sources/", "POST"): {"name": "PressTV", "kind": "outlet"},
        ("api/outlets/", "POST"): {"name": "Tass", "kind": "state", "owner": "The Russian state", "country": "Russia",
                                   "notes": "Russia's state news agency."},
        ("api/outlets/<slug:slug>/", "PATCH"): {"kind": "newspaper", "notes": "A Washington news site."},
        ("api/outlets/<slug:slug>/lock/", "POST"): {"locked": True},
        ("api/sources/<slug:slug>/aliases/", "POST"): {"alias": "Russian presidential press service"},
        ("api/articles/<slug:slug>/suggestions/dismiss/", "POST"): {
            name: getattr(suggestion, name) for name in ("start", "end", "label")},
        ("api/annotations/<int:pk>/teacher-comments/", "POST"): {"text": "Check the source."},
        ("api/exercises/<int:pk>/students/<int:student_id>/score/", "PUT"): {"score": 80, "reason": "Good.",
                                                                              "version": 0},
        ("api/exercises/<int:pk>/students/<int:student_id>/due/", "PUT"): {"due": "2099-01-01T10:00"},
        ("api/exercises/<int:pk>/copy/", "POST"): {"classroom": world["classroom"].pk, "title": "Next term"},
        ("api/exercises/<int:pk>/class-key/", "POST"): {"article": "a", **span(a, "Critics"), "label": "disputed",
                                                        "explanation": "Whose words?"},
        ("api/annotations/<int:pk>/promote/", "POST"): {"explanation": "Sam saw it.", "label": "disputed"},
    }


# --- what to send -----------------------------------------------------------------------------

SURROGATES = ["\ud83d", "ok \udc00 ok", "\ude00\ud83d"]
TOO_LONG = "x" * (max(django_settings.NOTE_MAX_LENGTH, SOURCE_MAX_LENGTH, REPLY_MAX_LENGTH) + 1)


class Raw:
    """JSON text put into a body as it is: what json.dumps would refuse or fail to write."""

    def __init__(self, text):
        self.text = text

    def __repr__(self):
        return f"Raw({self.text[:40]!r}{'…' if len(self.text) > 40 else ''})"


# Wrong for any field: half characters, NUL, nesting past any use, numbers no field takes.
ANYWHERE = [
    *SURROGATES, "a\x00b", [SURROGATES[0]], {"deeper": ["\x00"]},
    Raw("[" * 20 + "]" * 20), Raw("[" * 3_000 + "]" * 3_000), Raw('{"a":' * 1_500 + "1" + "}" * 1_500),
    Raw("1" * 5_000), Raw("NaN"), Raw("-Infinity"), Raw("1e999"),
]
# Wrong for a field of this kind; nulls only where a value is required.
KINDS = {
    "offset": [True, False, 1.5, -1, -(10**30), 10**30, 2**63, "twelve", "", [], {}, [1]],
    "id": [True, False, 0, -1, 10**30, -(2**63), 0.0, 1.0, "one", [], {}],
    "text": [12, True, 1.5, [], {}, ["text"], TOO_LONG],
    "choice": ["Attributed", "", "attributed ", "corroborate", "public\x00", 1, True, [], {}],
    "slug": ["no-such-article", "A", 12, True, [], {}, {"slug": "a"}],
    "flag": ["true", "false", 1, 0, 1.0, [], {}],
}
FIELDS = {
    "article": "slug", "to_article": "slug",
    "start": "offset", "end": "offset", "to_start": "offset", "to_end": "offset",
    "from": "id", "parent": "id", "exercise": "id",
    "exact": "text", "to_exact": "text", "note": "text", "source": "text", "text": "text", "explanation": "text",
    "label": "choice", "relation": "choice", "visibility": "choice",
    "hidden": "flag", "locked": "flag", "replies_off": "flag",
    "name": "text", "owner": "text", "country": "text", "notes": "text", "kind": "choice",
}
# Fields for which null means "none" (no parent, no exercise, no passage) are left out.
NULL_REFUSED = {"article", "start", "end", "from", "exact", "note", "source", "text", "explanation", "label",
                "relation", "visibility", "hidden", "locked", "replies_off", "name", "owner", "country", "notes",
                "kind"}
UNKNOWN_KEYS = ["colour", "id", "author", "created", "modified", "anchor", "links", "", "Note", " note", "note\x00",
                "\ud83d", "__proto__"]

BROKEN_DOCUMENTS = [
    b"", b" ", b"{", b"}", b'{"note": }', b"{'note': 'single quotes'}", b'{"note": "x",}', b"\xff\xfe{}",
    b"\xef\xbb\xbf{}", b'{"note": "\xff"}', b'{"note": "\xed\xa0\xbd"}', b'{"note": "\xc3"}', b"\x00",
    b"null", b"true", b"0", b"-1", b"1e999", b"NaN", b'"a string"', b"[]", b"[{}]", b"[[[]]]",
    b"[" * 100_000 + b"]" * 100_000, b'{"a":' * 50_000 + b"1" + b"}" * 50_000,
    b'{"note": ' + b"[" * 990 + b"]" * 990 + b"}", b'{"note": "a"} trailing', b'{"note": "a"}{"note": "b"}',
]


def encode(body):
    """Bytes of `body`, with each Raw value written in as it is."""
    raws = {}

    def mark(value):
        if isinstance(value, Raw):
            raws[f"@raw{len(raws)}@"] = value.text
            return next(reversed(raws))
        if isinstance(value, list):
            return [mark(item) for item in value]
        if isinstance(value, dict):
            return {key: mark(item) for key, item in value.items()}
        return value

    text = json.dumps(mark(body))  # lone surrogates go out as \ud83d escapes, as a browser sends them
    for marker, raw in raws.items():
        text = text.replace(json.dumps(marker), raw)
    return text.encode()


def poisons(field):
    kind = FIELDS.get(field)
    wrong = list(ANYWHERE) + (KINDS[kind] if kind else [Raw("[]")])
    return wrong + ([None] if field in NULL_REFUSED else [])


@st.composite
def spoiled(draw, base):
    """`base` with one to three fields spoiled, or a key no endpoint accepts."""
    body = dict(base)
    for _ in range(draw(st.integers(1, 3))):
        if draw(st.integers(0, 3)):
            # Mostly the endpoint's own fields, whose checks are the ones worth reaching.
            field = draw(st.sampled_from(sorted(base if base and draw(st.booleans()) else FIELDS)))
            body[field] = draw(st.sampled_from(poisons(field)))
        else:
            body[draw(st.sampled_from(UNKNOWN_KEYS))] = draw(st.sampled_from(["x", 1, None, True, [], base]))
    return encode(body) if draw(st.integers(0, 9)) else encode([body])  # now and then, an array of it


def bodies(base):
    return st.one_of(st.sampled_from(BROKEN_DOCUMENTS), spoiled(base))


def every_case(base):
    """Each broken document; `base` with each value that is wrong anywhere in its first field;
    with one field of it (or of every field, if none is known) given each wrong value of its
    kind in turn; and with each unknown key: the cases too many to leave to chance."""
    yield from BROKEN_DOCUMENTS
    for value in ANYWHERE:
        yield encode({**base, min(base or FIELDS): value})
    for field in sorted(base or FIELDS):
        for value in [*KINDS.get(FIELDS.get(field), [[]]), *([None] if field in NULL_REFUSED else [])]:
            yield encode({**base, field: value})
    for key in UNKNOWN_KEYS:
        yield encode({**base, key: "x"})


# --- what must hold ---------------------------------------------------------------------------


def every_row():
    """Every row of every model (sessions and throttles included), to compare before and after."""
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values_list())
        for model in apps.get_models() if not model._meta.proxy
    }


def writes(queries):
    """The statements that would change rows, even if rolled back: a refusal comes before any."""
    return [q["sql"] for q in queries if q["sql"].split(None, 1)[0].upper() in ("INSERT", "UPDATE", "DELETE")]


def send(client, method, url, raw):
    return client.generic(method, url, raw, content_type="application/json")


def rolled_back(client, method, url, raw):
    """The answer to a request whose writes, if any, are undone at once."""
    with transaction.atomic():
        response = send(client, method, url, raw)
        transaction.set_rollback(True)
    return response


def write_methods(client, url):
    """The methods an endpoint allows, from the Allow header of its 405 to a method none offers."""
    response = client.generic("TRACE", url)
    assert response.status_code == 405, f"{url} answered TRACE with {response.status_code}"
    return [method.strip() for method in response["Allow"].split(",") if method.strip() in BODY_METHODS]


def aimers(world, url, method, base):
    """The users to send from: the first who may make the valid write, or everyone for an endpoint
    without a known valid body. None at all means the endpoint reads no JSON body."""
    clients = world["clients"]
    if base is not None:
        for name, client in clients.items():
            if 200 <= rolled_back(client, method, url, encode(base)).status_code < 300:
                return {name: client}
        raise AssertionError(f"nobody may {method} {url} with {base}: update valid_bodies or the world fixture")
    # An unparsable body is named as such by an endpoint that reads JSON.
    return {name: client for name, client in clients.items()
            if "not valid JSON" in rolled_back(client, method, url, b"{").content.decode()}


def test_the_fuzz_knows_valid_bodies_for_the_endpoints_the_api_documents(world):
    documented = {("api/annotations/", "POST"), ("api/links/", "POST"), ("api/annotations/<int:pk>/", "PATCH"),
                  ("api/annotations/<int:pk>/replies/", "POST"), ("api/replies/<int:pk>/", "PATCH"),
                  ("api/articles/<slug:slug>/suggestions/dismiss/", "POST")}
    assert documented <= set(valid_bodies(world))
    assert {route for route, _ in valid_bodies(world) | dict.fromkeys(TAKES_NO_BODY)} <= set(ROUTES)


@pytest.mark.parametrize("route", ROUTES)
def test_malformed_json_gets_a_4xx_in_the_error_shape_and_writes_nothing(world, route):
    url = url_for(route, world["objects"])
    for method in write_methods(world["clients"]["sam"], url):
        base = valid_bodies(world).get((route, method))
        senders = aimers(world, url, method, base)
        if not senders:
            assert (route, method) in TAKES_NO_BODY, f"{method} {route} writes without reading a JSON body"
            continue
        before = every_row()

        def check(raw):
            for name, client in senders.items():
                with CaptureQueriesContext(connection) as queries:
                    response = send(client, method, url, raw)
                said = f"{method} {url} as {name} with {raw[:200]!r}: {response.status_code} {response.content[:300]!r}"
                assert 400 <= response.status_code < 500, said
                assert response["Content-Type"] == "application/json", said
                answer = response.json()
                assert isinstance(answer.get("error"), str) and answer["error"], said
                assert isinstance(answer.get("field", ""), str), said
                assert not writes(queries), f"{said} sent {writes(queries)}"

        for raw in every_case(base or {}):
            check(raw)

        @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                  suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                         HealthCheck.data_too_large])
        @given(raw=bodies(base or {}))
        def fuzz(raw):
            check(raw)

        fuzz()
        assert every_row() == before
