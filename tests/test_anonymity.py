"""Discussion mode is anonymous in every output a student can reach.

Once the teacher opens discussion mode, classmates see each other's exercise work as
"Student A", "Student B"… and the answer key as "Teacher". Here a classmate (cy) opens every
page, API answer and download that could carry a name, and no other student's username may
appear anywhere in the body; the author, the teacher and staff still get usernames where the
output carries them (classroom.visibility.AuthorNames is the one rule).
"""

import csv
import io
import json
import re

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from annotator.annotations import services as annotations
from annotator.classroom.models import Classroom, Exercise, Membership
from annotator.roles import TEACHERS_GROUP
from annotator.classroom.visibility import AuthorNames
from annotator.discussion import services as discussion

from .factories import BODY_A, BODY_B, article, client_for, span

# Distinctive usernames, so that finding one in a body can only mean the name leaked.
TEACHER, ANA, BEN, CY = "ms_okafor_t", "ana_rivera_s", "ben_tanaka_s", "cy_lopez_s"
STUDENTS = (ANA, BEN)


@pytest.fixture
def lesson(db):
    """A class in discussion mode: ana (Student A) and ben (Student B) tagged claims, ana
    linked hers to a passage of article b, the teacher wrote a key claim, and cy (Student C)
    replied in ben's thread, where ana, ben and the teacher answered."""
    teacher = User.objects.create_user(TEACHER, password="x-pass-12345")
    teacher.groups.add(Group.objects.create(name=TEACHERS_GROUP))
    a, b = article("a", BODY_A), article("b", BODY_B)
    classroom = Classroom.objects.create(name="Period 3", teacher=teacher, join_code="maple-otter-42")
    exercise = Exercise.objects.create(classroom=classroom, title="Restraint or praise?")
    exercise.articles.set([a, b])
    ana, ben, cy = (User.objects.create_user(name, password="x-pass-12345") for name in (ANA, BEN, CY))
    for student in (ana, ben, cy):
        Membership.objects.create(classroom=classroom, student=student)
    key = annotations.create_annotation(teacher, a, {**span(a, "Putin urged restraint"), "label": "attributed",
                                                     "exercise": exercise.pk, "explanation": "Kremlin words."},
                                        key=True)
    anas = annotations.create_annotation(ana, a, {**span(a, "Putin urged restraint"), "label": "attributed",
                                                  "exercise": exercise.pk})
    link = annotations.create_link(ana, {"from": anas.pk, "to_article": "b", "relation": "contradicts",
                                         **{f"to_{k}": v for k, v in span(b, "Putin praised").items()}})
    bens = annotations.create_annotation(ben, a, {**span(a, "a strongman's bluff"), "label": "editorialized",
                                                  "exercise": exercise.pk})
    exercise.discussion = True
    exercise.save(update_fields=["discussion"])
    first = discussion.create_reply(cy, bens.pk, {"text": "Whose bluff?"})
    discussion.create_reply(ana, bens.pk, {"text": "The critics'.", "parent": first.pk})
    answer = discussion.create_reply(ben, bens.pk, {"text": "Critics, unnamed.", "parent": first.pk})
    discussion.create_reply(teacher, bens.pk, {"text": "Who are the critics?"})
    return {"teacher": teacher, "ana": ana, "ben": ben, "cy": cy, "exercise": exercise, "a": a, "b": b,
            "key": key, "anas": anas, "bens": bens, "link": link, "reply": answer, "classroom": classroom}


def body_of(response):
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def outputs(lesson):
    """Every output a classmate can reach that shows this exercise's work (or could), with the
    anonymous name each must show instead of a username (None: shows no author at all)."""
    ex, anas, bens, key = lesson["exercise"].pk, lesson["anas"].pk, lesson["bens"].pk, lesson["key"].pk
    return {
        # Pages
        f"/exercises/{ex}/discussion/a/": "Student A",
        f"/exercises/{ex}/discussion/a/?cards=all": "Student B",
        f"/exercises/{ex}/discussion/b/": None,  # the backlink from ana's claim
        f"/exercises/{ex}/": None,
        f"/exercises/{ex}/feedback/": None,
        f"/claims/{bens}/discussion/": "Student A",
        f"/claims/{anas}/discussion/": "Student A",
        "/whats-new/": "Student B",
        "/map/": None,
        "/articles/a/": None,
        "/articles/b/": None,
        "/my/annotations/": None,
        # The JSON API
        "/api/annotations/?article=a": "Student A",
        "/api/annotations/?article=b": None,
        f"/api/annotations/{anas}/": "Student A",
        f"/api/annotations/{bens}/": "Student B",
        f"/api/annotations/{key}/": "Teacher",
        f"/api/annotations/{bens}/replies/": "Student A",
        f"/api/replies/{lesson['reply'].pk}/": "Student B",
        # Downloads
        "/export/annotations.csv?article=a": "Student A",
        "/export/annotations.jsonld?article=a": "Student B",
        "/export/links.csv?article=a": "Student A",
        "/export/annotations.csv": None,
        "/export/annotations.jsonld?mine=1": None,
        "/export/replies.csv": "Student B",
        "/export/replies.jsonld": "Student A",
        f"/export/replies.csv?exercise={ex}": "Teacher",
        "/export/replies.jsonld?article=a": "Student B",
    }


def test_a_classmate_finds_no_other_students_username_in_any_output(lesson):
    cy = client_for(lesson["cy"])
    htmx = Client(HTTP_HX_REQUEST="true")
    htmx.force_login(lesson["cy"])
    for url, anonymous in outputs(lesson).items():
        for client in (cy, htmx) if "/discussion/" in url else (cy,):
            response = client.get(url)
            assert response.status_code == 200, url
            body = body_of(response)
            leaked = [name for name in (*STUDENTS, TEACHER) if name in body]
            assert not leaked, f"{url} shows {leaked}"
            if anonymous and client is cy:
                assert anonymous in body, f"{url} should show {anonymous}"


def test_the_api_and_downloads_name_the_author_to_themself_and_everyone_to_the_teacher(lesson):
    ana, teacher = client_for(lesson["ana"]), client_for(lesson["teacher"])
    listed = {item["id"]: item for item in ana.get("/api/annotations/", {"article": "a"}).json()["results"]}
    assert listed[lesson["anas"].pk]["author"] == ANA
    assert listed[lesson["anas"].pk]["links"][0]["author"] == ANA
    assert listed[lesson["bens"].pk]["author"] == "Student B"
    assert listed[lesson["key"].pk]["author"] == "Teacher"
    assert BEN not in json.dumps(listed)
    rows = list(csv.DictReader(io.StringIO(body_of(ana.get("/export/annotations.csv", {"article": "a"})))))
    assert {row["author"] for row in rows} == {ANA, "Student B", "Teacher"}

    listed = {item["id"]: item for item in teacher.get("/api/annotations/", {"article": "a"}).json()["results"]}
    assert (listed[lesson["anas"].pk]["author"], listed[lesson["bens"].pk]["author"]) == (ANA, BEN)
    assert teacher.get(f"/api/annotations/{lesson['anas'].pk}/").json()["links"][0]["author"] == ANA
    for url in ("/export/annotations.csv", "/export/links.csv", "/export/annotations.jsonld", "/export/replies.csv"):
        body = body_of(teacher.get(url, {"exercise": lesson["exercise"].pk}))
        assert ANA in body and "Student A" not in body, url


def test_staff_and_the_operators_command_export_usernames(lesson):
    staff = User.objects.create_user("staffer", password="x-pass-12345", is_staff=True)
    body = body_of(client_for(staff).get("/export/annotations.csv", {"all": "1"}))
    assert ANA in body and BEN in body and "Student A" not in body
    out = io.StringIO()
    call_command("export_annotations", stdout=out)
    assert ANA in out.getvalue() and BEN in out.getvalue()


def test_an_anonymous_json_ld_creator_has_a_nickname_but_no_account_id(lesson):
    data = json.loads(body_of(client_for(lesson["cy"]).get("/export/annotations.jsonld", {"article": "a"})))
    creators = {item["id"]: item["creator"] for item in data["first"]["items"]}
    assert creators[f"urn:annotator:annotation:{lesson['anas'].pk}"] == {"type": "Person", "nickname": "Student A"}
    assert creators[f"urn:annotator:link:{lesson['link'].pk}"] == {"type": "Person", "nickname": "Student A"}
    assert creators[f"urn:annotator:annotation:{lesson['key'].pk}"] == {"type": "Person", "nickname": "Teacher"}
    mine = json.loads(body_of(client_for(lesson["ana"]).get("/export/annotations.jsonld", {"article": "a"})))
    own = {item["id"]: item["creator"] for item in mine["first"]["items"]}
    assert own[f"urn:annotator:annotation:{lesson['anas'].pk}"]["id"] == f"urn:annotator:user:{ANA}"


def test_the_discussion_page_cannot_be_filtered_by_a_username(lesson):
    cy = client_for(lesson["cy"])
    url = f"/exercises/{lesson['exercise'].pk}/discussion/a/"
    claims = re.compile(r'id="claim-(\d+)"')
    everyone = set(claims.findall(body_of(cy.get(url))))
    assert {str(lesson["anas"].pk), str(lesson["bens"].pk)} <= everyone
    # A guessed username would otherwise narrow the page to that student's claims.
    for guess in (ANA, BEN, "nobody"):
        assert set(claims.findall(body_of(cy.get(url, {"by": guess})))) == everyone, guess


def test_a_student_who_left_the_class_is_a_former_student_not_a_username(lesson):
    Membership.objects.filter(student=lesson["ana"]).delete()
    Membership.objects.create(classroom=lesson["classroom"], student=lesson["ana"])  # back, but joined last
    Membership.objects.filter(student=lesson["ben"]).delete()
    cy = client_for(lesson["cy"])
    page = body_of(cy.get(f"/exercises/{lesson['exercise'].pk}/discussion/a/"))
    api = cy.get(f"/api/annotations/{lesson['bens'].pk}/").json()
    assert BEN not in page and "Former student" in page
    assert api["author"] == "Former student"
    # Letters follow the order of joining, the same on every page and in every file.
    assert cy.get(f"/api/annotations/{lesson['anas'].pk}/").json()["author"] == "Student B"


def test_the_class_pages_name_no_one_even_for_the_teacher(lesson):
    """Discussion pages may be put up in front of the class: letters for everyone."""
    teacher = client_for(lesson["teacher"])
    page = body_of(teacher.get(f"/exercises/{lesson['exercise'].pk}/discussion/a/"))
    thread = body_of(teacher.get(f"/claims/{lesson['bens'].pk}/discussion/"))
    for body in (page, thread):
        assert not [name for name in STUDENTS if name in body]
        assert "Student A" in body


def count_queries(fetch):
    with CaptureQueriesContext(connection) as context:
        body_of(fetch())
    return len(context.captured_queries)


def test_anonymised_lists_and_downloads_cost_the_same_queries_for_more_claims(lesson):
    cy = client_for(lesson["cy"])
    api = [("/api/annotations/", {"article": "a"})]
    downloads = [("/export/annotations.csv", {"article": "a"}), ("/export/annotations.jsonld", {"article": "a"}),
                 ("/export/links.csv", {"article": "a"}), ("/export/replies.csv", {})]
    a, b = lesson["a"], lesson["b"]

    def queries():
        return [count_queries(lambda: cy.get(url, params)) for url, params in api + downloads]

    def more_work(exercise):
        for student in (lesson["ana"], lesson["ben"]):
            for phrase in ("Kremlin said", "Critics called"):
                claim = annotations.create_annotation(student, a, {**span(a, phrase), "label": "disputed",
                                                                   "exercise": exercise.pk})
                annotations.create_link(student, {"from": claim.pk, "to_article": "b", "relation": "corroborates",
                                                  **{f"to_{k}": v for k, v in span(b, "PressTV claimed").items()}})
                discussion.create_reply(lesson["cy"], claim.pk, {"text": "Why?"})

    before = queries()
    more_work(lesson["exercise"])
    assert queries() == before
    second = Exercise.objects.create(classroom=lesson["classroom"], title="Second look", discussion=True)
    second.articles.set([a, b])
    more_work(second)
    after = queries()
    # A download reads the rosters of all the exercises in a batch of rows at once; a page of
    # the API reads each exercise's roster once, never once per claim.
    assert after[len(api):] == before[len(api):]
    assert after[0] == before[0] + 1


def test_rosters_of_many_exercises_load_in_one_query(lesson):
    second = Exercise.objects.create(classroom=lesson["classroom"], title="Second look")
    names = AuthorNames(lesson["cy"])
    with CaptureQueriesContext(connection) as context:
        names.load([lesson["exercise"].pk, second.pk, None])
    assert len(context.captured_queries) == 1
    with CaptureQueriesContext(connection) as context:
        shown = [names(lesson["ben"].pk, BEN, exercise.pk) for exercise in (lesson["exercise"], second)]
        shown.append(names(lesson["ben"].pk, BEN, None))
        shown.append(names(lesson["cy"].pk, CY, second.pk))
        shown.append(names(lesson["teacher"].pk, TEACHER, second.pk))
    assert len(context.captured_queries) == 0
    assert shown == ["Student B", "Student B", BEN, CY, "Teacher"]
