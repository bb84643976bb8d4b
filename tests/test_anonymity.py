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
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotator.classroom.models import Exercise, Membership
from annotator.classroom.visibility import AuthorNames
from annotator.discussion import services as discussion

from .factories import (
    BODY_A, BODY_B, client_for, make_article, make_claim, make_class, make_exercise, make_link, make_teacher, make_user,
)

# Distinctive usernames, so that finding one in a body can only mean the name leaked.
TEACHER, ANA, BEN, CY = "ms_okafor_t", "ana_rivera_s", "ben_tanaka_s", "cy_lopez_s"
STUDENTS = (ANA, BEN)
# Their display names (people.shown_name), as distinctive: a display name shows only where a username would.
DISPLAY_NAMES = {TEACHER: "Ms Okafor Shown", ANA: "Ana Rivera Shown", BEN: "Ben Tanaka Shown"}


@pytest.fixture
def debate(db):
    """A class in discussion mode: ana (Student A) and ben (Student B) tagged claims, ana
    linked hers to a passage of article b, the teacher wrote a key claim, and cy (Student C)
    replied in ben's thread, where ana, ben and the teacher answered."""
    teacher = make_teacher(TEACHER, first_name=DISPLAY_NAMES[TEACHER])
    a, b = make_article("a", BODY_A), make_article("b", BODY_B)
    ana, ben, cy = (make_user(name, first_name=DISPLAY_NAMES.get(name, "")) for name in (ANA, BEN, CY))
    classroom = make_class(teacher, [ana, ben, cy], join_code="maple-otter-42")
    exercise = make_exercise(classroom, [a, b])
    key = make_claim(teacher, a, "Putin urged restraint", exercise=exercise, explanation="Kremlin words.", key=True)
    anas = make_claim(ana, a, "Putin urged restraint", exercise=exercise)
    link = make_link(ana, anas, b, "Putin praised")
    bens = make_claim(ben, a, "a strongman's bluff", "editorialized", exercise=exercise)
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


def outputs(debate):
    """Every output a classmate can reach that shows this exercise's work (or could), with the
    anonymous name each must show instead of a username (None: shows no author at all)."""
    ex, anas, bens, key = debate["exercise"].pk, debate["anas"].pk, debate["bens"].pk, debate["key"].pk
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
        f"/api/replies/{debate['reply'].pk}/": "Student B",
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


def test_a_classmate_finds_no_other_students_username_in_any_output(debate):
    cy = client_for(debate["cy"])
    htmx = client_for(debate["cy"], HTTP_HX_REQUEST="true")
    for url, anonymous in outputs(debate).items():
        for client in (cy, htmx) if "/discussion/" in url else (cy,):
            response = client.get(url)
            assert response.status_code == 200, url
            body = body_of(response)
            leaked = [name for name in (*STUDENTS, TEACHER, *DISPLAY_NAMES.values()) if name in body]
            assert not leaked, f"{url} shows {leaked}"
            if anonymous and client is cy:
                assert anonymous in body, f"{url} should show {anonymous}"


def test_the_api_and_downloads_name_the_author_to_themself_and_everyone_to_the_teacher(debate):
    ana, teacher = client_for(debate["ana"]), client_for(debate["teacher"])
    listed = {item["id"]: item for item in ana.get("/api/annotations/", {"article": "a"}).json()["results"]}
    assert listed[debate["anas"].pk]["author"] == ANA
    assert listed[debate["anas"].pk]["links"][0]["author"] == ANA
    assert listed[debate["bens"].pk]["author"] == "Student B"
    assert listed[debate["key"].pk]["author"] == "Teacher"
    assert BEN not in json.dumps(listed)
    rows = list(csv.DictReader(io.StringIO(body_of(ana.get("/export/annotations.csv", {"article": "a"})))))
    assert {row["author"] for row in rows} == {ANA, "Student B", "Teacher"}

    listed = {item["id"]: item for item in teacher.get("/api/annotations/", {"article": "a"}).json()["results"]}
    assert (listed[debate["anas"].pk]["author"], listed[debate["bens"].pk]["author"]) == (ANA, BEN)
    assert teacher.get(f"/api/annotations/{debate['anas'].pk}/").json()["links"][0]["author"] == ANA
    for url in ("/export/annotations.csv", "/export/links.csv", "/export/annotations.jsonld", "/export/replies.csv"):
        body = body_of(teacher.get(url, {"exercise": debate["exercise"].pk}))
        assert ANA in body and "Student A" not in body, url


def test_staff_and_the_operators_command_export_usernames(debate):
    staff = make_user("staffer", is_staff=True)
    body = body_of(client_for(staff).get("/export/annotations.csv", {"all": "1"}))
    assert ANA in body and BEN in body and "Student A" not in body
    out = io.StringIO()
    call_command("export_annotations", stdout=out)
    assert ANA in out.getvalue() and BEN in out.getvalue()


def test_an_anonymous_json_ld_creator_has_a_nickname_but_no_account_id(debate):
    data = json.loads(body_of(client_for(debate["cy"]).get("/export/annotations.jsonld", {"article": "a"})))
    creators = {item["id"]: item["creator"] for item in data["first"]["items"]}
    assert creators[f"urn:annotator:annotation:{debate['anas'].pk}"] == {"type": "Person", "nickname": "Student A"}
    assert creators[f"urn:annotator:link:{debate['link'].pk}"] == {"type": "Person", "nickname": "Student A"}
    assert creators[f"urn:annotator:annotation:{debate['key'].pk}"] == {"type": "Person", "nickname": "Teacher"}
    mine = json.loads(body_of(client_for(debate["ana"]).get("/export/annotations.jsonld", {"article": "a"})))
    own = {item["id"]: item["creator"] for item in mine["first"]["items"]}
    assert own[f"urn:annotator:annotation:{debate['anas'].pk}"]["id"] == f"urn:annotator:user:{ANA}"


def test_the_discussion_page_cannot_be_filtered_by_a_username(debate):
    cy = client_for(debate["cy"])
    url = f"/exercises/{debate['exercise'].pk}/discussion/a/"
    claims = re.compile(r'id="claim-(\d+)"')
    everyone = set(claims.findall(body_of(cy.get(url))))
    assert {str(debate["anas"].pk), str(debate["bens"].pk)} <= everyone
    # A guessed username would otherwise narrow the page to that student's claims.
    for guess in (ANA, BEN, "nobody"):
        assert set(claims.findall(body_of(cy.get(url, {"by": guess})))) == everyone, guess


def test_a_student_who_left_the_class_is_a_former_student_not_a_username(debate):
    Membership.objects.filter(student=debate["ana"]).delete()
    Membership.objects.create(classroom=debate["classroom"], student=debate["ana"])  # back, but joined last
    Membership.objects.filter(student=debate["ben"]).delete()
    cy = client_for(debate["cy"])
    page = body_of(cy.get(f"/exercises/{debate['exercise'].pk}/discussion/a/"))
    api = cy.get(f"/api/annotations/{debate['bens'].pk}/").json()
    assert BEN not in page and "Former student" in page
    assert api["author"] == "Former student"
    # Letters follow the order of joining, the same on every page and in every file.
    assert cy.get(f"/api/annotations/{debate['anas'].pk}/").json()["author"] == "Student B"


def test_the_class_pages_name_no_one_even_for_the_teacher(debate):
    """Discussion pages may be put up in front of the class: letters for everyone."""
    teacher = client_for(debate["teacher"])
    page = body_of(teacher.get(f"/exercises/{debate['exercise'].pk}/discussion/a/"))
    thread = body_of(teacher.get(f"/claims/{debate['bens'].pk}/discussion/"))
    for body in (page, thread):
        assert not [name for name in (*STUDENTS, *(DISPLAY_NAMES[s] for s in STUDENTS)) if name in body]
        assert "Student A" in body


def count_queries(fetch):
    with CaptureQueriesContext(connection) as context:
        body_of(fetch())
    return len(context.captured_queries)


def test_anonymised_lists_and_downloads_cost_the_same_queries_for_more_claims(debate):
    cy = client_for(debate["cy"])
    api = [("/api/annotations/", {"article": "a"})]
    downloads = [("/export/annotations.csv", {"article": "a"}), ("/export/annotations.jsonld", {"article": "a"}),
                 ("/export/links.csv", {"article": "a"}), ("/export/replies.csv", {})]
    a, b = debate["a"], debate["b"]

    def queries():
        return [count_queries(lambda: cy.get(url, params)) for url, params in api + downloads]

    def more_work(exercise):
        for student in (debate["ana"], debate["ben"]):
            for phrase in ("Kremlin said", "Critics called"):
                claim = make_claim(student, a, phrase, "disputed", exercise=exercise)
                make_link(student, claim, b, "PressTV claimed", "corroborates")
                discussion.create_reply(debate["cy"], claim.pk, {"text": "Why?"})

    before = queries()
    more_work(debate["exercise"])
    assert queries() == before
    second = make_exercise(debate["classroom"], [a, b], title="Second look", discussion=True)
    more_work(second)
    after = queries()
    # A download reads the rosters of all the exercises in a batch of rows at once; a page of
    # the API reads each exercise's roster once, never once per claim.
    assert after[len(api):] == before[len(api):]
    assert after[0] == before[0] + 1


def test_rosters_of_many_exercises_load_in_one_query(debate):
    second = Exercise.objects.create(classroom=debate["classroom"], title="Second look")
    names = AuthorNames(debate["cy"])
    with CaptureQueriesContext(connection) as context:
        names.load([debate["exercise"].pk, second.pk, None])
    assert len(context.captured_queries) == 1
    with CaptureQueriesContext(connection) as context:
        shown = [names(debate["ben"].pk, BEN, exercise.pk) for exercise in (debate["exercise"], second)]
        shown.append(names(debate["ben"].pk, BEN, None))
        shown.append(names(debate["cy"].pk, CY, second.pk))
        shown.append(names(debate["teacher"].pk, TEACHER, second.pk))
    assert len(context.captured_queries) == 0
    assert shown == ["Student B", "Student B", BEN, CY, "Teacher"]
