"""Outlet profiles: written by teachers, locked by staff, shown beside the article; articles by outlet and byline."""

import csv
import importlib
import io
import json
import threading
import time

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test import Client

from annotator.corpus import outlets
from annotator.corpus.models import Article, Outlet
from annotator.errors import Duplicate, Forbidden, ServiceError

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


@pytest.fixture
def world(db):
    teacher, student = make_teacher("teacher"), make_user("student")
    staff = make_user("staff", is_staff=True)
    a = make_article("a", BODY_A, outlet="Daily Planet", byline="Lois Lane")
    b = make_article("b", BODY_B, outlet="daily planet", byline="Clark Kent")
    make_article("c", "Other story\nNothing to see.", outlet="Gazette", byline="LOIS LANE")
    profile = outlets.create_outlet(teacher, {"name": "Daily Planet", "kind": "newspaper", "owner": "Perry White",
                                            "country": "United States"})
    return {"teacher": teacher, "student": student, "staff": staff, "a": a, "b": b, "profile": profile}


@pytest.mark.django_db
def test_the_reader_shows_the_outlets_profile_and_links_outlet_and_byline(world):
    page = client_for(world["student"]).get("/articles/a/").content.decode()
    assert 'aria-label="About Daily Planet"' in page and "Owned or funded by Perry White." in page
    assert 'href="/outlets/daily-planet/"' in page and 'href="/bylines/?name=Lois%20Lane"' in page


@pytest.mark.django_db
def test_the_outlet_page_lists_every_article_of_the_outlet_ignoring_case(world):
    page = client_for(world["student"]).get("/outlets/daily-planet/").content.decode()
    assert "Kremlin readout" in page and "PressTV story" in page and "Other story" not in page
    assert "Edit the profile" not in page


@pytest.mark.django_db
def test_the_byline_page_lists_every_article_by_the_author(world):
    page = client_for(world["student"]).get("/bylines/?name=Lois+Lane").content.decode()
    assert "Kremlin readout" in page and "Other story" in page and "PressTV story" not in page


@pytest.mark.django_db
def test_an_outlet_without_a_profile_offers_teachers_a_form_and_never_invents_one(world):
    response = client_for(world["teacher"]).get("/outlets/find/?name=Gazette")
    assert response.status_code == 404 and 'id="outlet-kind"' in response.content.decode()
    student_view = client_for(world["student"]).get("/outlets/find/?name=Gazette").content.decode()
    assert "outlet-kind" not in student_view and "Other story" in student_view
    assert not Outlet.objects.filter(name="Gazette").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("data, field", [
    ({"name": "Gazette", "kind": "tabloid"}, "kind"),
    ({"name": "Gazette", "kind": ""}, "kind"),
    ({"name": "  ", "kind": "newspaper"}, "name"),
    ({"name": "DAILY PLANET", "kind": "newspaper"}, "name"),
    ({"name": "Gazette", "kind": "newspaper", "notes": "x" * 5001}, "notes"),
    ({"name": "Gazette", "kind": "newspaper", "owner": ["x"]}, "owner"),
])
def test_a_bad_profile_is_refused_naming_the_field_and_nothing_is_written(world, data, field):
    with pytest.raises(ServiceError) as refused:
        outlets.create_outlet(world["teacher"], data)
    assert refused.value.field == field
    assert Outlet.objects.count() == 1
    response = client_for(world["teacher"]).post("/outlets/new/", data if field != "owner" else {**data, "owner": "x"})
    assert response.status_code in (302, 409, 422)


@pytest.mark.django_db
def test_staff_lock_a_profile_and_then_only_staff_change_it(world):
    teacher, staff = client_for(world["teacher"]), client_for(world["staff"])
    assert teacher.post("/outlets/daily-planet/lock/", {"locked": "1"}).status_code == 403
    assert staff.post("/outlets/daily-planet/lock/", {"locked": "1"}).status_code == 302
    with pytest.raises(Forbidden):
        outlets.update_outlet(world["teacher"], "daily-planet", {"kind": "wire"})
    shown = teacher.get("/outlets/daily-planet/edit/").content.decode()
    assert "Staff have locked the profile of Daily Planet" in shown and 'id="outlet-kind"' not in shown
    refused = teacher.post("/outlets/daily-planet/edit/", {"kind": "wire"})
    assert refused.status_code == 403 and "locked" in refused.content.decode()
    assert Outlet.objects.get().kind == "newspaper"
    assert staff.post("/outlets/daily-planet/edit/", {"kind": "wire", "owner": "Perry White"}).status_code == 302
    assert Outlet.objects.get().kind == "wire"
    assert client_for(world["student"]).post("/outlets/daily-planet/edit/", {"kind": "other"}).status_code == 403


@pytest.mark.django_db
def test_the_api_gives_each_profile_with_its_articles(world):
    client = client_for(world["student"])
    assert [o["name"] for o in client.get("/api/outlets/").json()["results"]] == ["Daily Planet"]
    shown = client.get("/api/outlets/daily-planet/").json()
    assert shown["owner"] == "Perry White" and sorted(shown["articles"]) == ["a", "b"]
    assert client.get("/api/outlets/nowhere/").status_code == 404


# The write API: the same service functions as the pages.


@pytest.mark.django_db
def test_a_teacher_writes_a_profile_through_the_api_and_changes_only_the_fields_sent(world):
    teacher = client_for(world["teacher"])
    made = teacher.post("/api/outlets/", {"name": "  The   Gazette ", "kind": "newspaper", "country": "Canada"},
                        content_type="application/json")
    assert made.status_code == 201
    assert made.json()["name"] == "The Gazette" and made.json()["slug"] == "the-gazette"
    assert made.json()["articles"] == []
    changed = teacher.patch("/api/outlets/the-gazette/", {"notes": "A city daily."}, content_type="application/json")
    assert changed.status_code == 200
    profile = Outlet.objects.get(slug="the-gazette")
    assert (profile.kind, profile.country, profile.notes) == ("newspaper", "Canada", "A city daily.")


@pytest.mark.django_db
@pytest.mark.parametrize("method, url, body, status, field", [
    ("post", "/api/outlets/", {"name": "daily  planet", "kind": "wire"}, 409, "name"),
    ("post", "/api/outlets/", {"name": "Gazette"}, 400, "kind"),
    ("post", "/api/outlets/", {"name": "Gazette", "kind": "wire", "locked": False}, 400, "locked"),
    ("patch", "/api/outlets/daily-planet/", {"name": "Planet"}, 400, "name"),
    ("patch", "/api/outlets/daily-planet/", {"kind": None}, 400, "kind"),
    ("patch", "/api/outlets/daily-planet/", {"country": "x" * 101}, 400, "country"),
    ("patch", "/api/outlets/nowhere/", {"notes": "x"}, 404, "outlet"),
    ("patch", "/api/outlets/daily-planet/", {}, 400, None),
    ("patch", "/api/outlets/daily-planet/", ["notes"], 400, None),
])
def test_a_bad_profile_write_through_the_api_is_refused_and_changes_nothing(world, method, url, body, status, field):
    response = getattr(client_for(world["teacher"]), method)(url, body, content_type="application/json")
    assert (response.status_code, response.json().get("field")) == (status, field)
    assert list(Outlet.objects.values_list("name", "kind", "notes")) == [("Daily Planet", "newspaper", "")]


@pytest.mark.django_db
def test_through_the_api_only_staff_lock_and_a_locked_profile_refuses_teachers(world):
    teacher, staff = client_for(world["teacher"]), client_for(world["staff"])
    lock = {"locked": True}
    assert teacher.post("/api/outlets/daily-planet/lock/", lock, content_type="application/json").status_code == 403
    assert staff.post("/api/outlets/daily-planet/lock/", {"locked": "yes"},
                      content_type="application/json").status_code == 400
    assert staff.post("/api/outlets/nowhere/lock/", lock, content_type="application/json").status_code == 404
    assert staff.post("/api/outlets/daily-planet/lock/", lock, content_type="application/json").json()["locked"]
    refused = teacher.patch("/api/outlets/daily-planet/", {"notes": "Changed."}, content_type="application/json")
    assert refused.status_code == 403 and refused.json() == {
        "error": "Staff have locked the profile of Daily Planet; ask them to change it.", "field": "locked"}
    assert staff.patch("/api/outlets/daily-planet/", {"notes": "Staff note."},
                       content_type="application/json").status_code == 200
    staff.post("/api/outlets/daily-planet/lock/", {"locked": False}, content_type="application/json")
    assert teacher.patch("/api/outlets/daily-planet/", {"notes": "Now open."},
                         content_type="application/json").status_code == 200
    assert Outlet.objects.get().notes == "Now open."


@pytest.mark.django_db
def test_students_and_visitors_cannot_write_profiles_through_the_api(world):
    for client, status in ((client_for(world["student"]), 403), (Client(), 401)):
        assert client.post("/api/outlets/", {"name": "Gazette", "kind": "wire"},
                           content_type="application/json").status_code == status
        assert client.patch("/api/outlets/daily-planet/", {"notes": "x"},
                            content_type="application/json").status_code == status
    assert Outlet.objects.count() == 1 and Outlet.objects.get().notes == ""


# Names are stored as they are compared.


@pytest.mark.django_db
def test_a_byline_or_outlet_stored_with_doubled_spaces_is_found_by_its_name(world):
    make_article("d", "Spaced story\nText.", outlet="Daily \n Planet", byline="Lois  Lane\t")
    stored = Article.objects.get(slug="d")
    assert (stored.byline, stored.outlet) == ("Lois Lane", "Daily Planet")
    page = client_for(world["student"]).get("/bylines/?name=Lois%20%20Lane").content.decode()
    assert "Spaced story" in page
    assert outlets.outlet_for(stored) == world["profile"]
    assert "Spaced story" in client_for(world["student"]).get("/outlets/daily-planet/").content.decode()


@pytest.mark.django_db
def test_the_migration_puts_stored_bylines_and_outlet_names_on_one_line(world):
    migration = importlib.import_module("annotator.corpus.migrations.0009_bylines_and_outlet_names_on_one_line")
    Article.objects.filter(slug="a").update(byline="Lois   Lane", outlet=" Daily\nPlanet ")
    Outlet.objects.update(name="Daily  Planet")
    migration.collapse(django_apps, None)
    assert Article.objects.filter(slug="a").values_list("byline", "outlet").get() == ("Lois Lane", "Daily Planet")
    assert Outlet.objects.get().name == "Daily Planet"


# One profile per outlet, whatever the letter case, even when two teachers write at once.


@pytest.mark.django_db
def test_the_database_refuses_a_profile_whose_name_differs_from_another_only_in_case(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Outlet.objects.create(name="DAILY planet", slug="daily-planet-2", kind="wire")
    gazette = Outlet.objects.create(name="Gazette", slug="gazette", kind="newspaper")
    with pytest.raises(IntegrityError), transaction.atomic():
        Outlet.objects.filter(pk=gazette.pk).update(name="daily PLANET")
    assert sorted(Outlet.objects.values_list("name", flat=True)) == ["Daily Planet", "Gazette"]


@pytest.mark.django_db
def test_the_api_and_the_page_refuse_a_profile_named_as_another_in_other_case_and_change_nothing(world):
    teacher = client_for(world["teacher"])
    refused = teacher.post("/api/outlets/", {"name": "DAILY PLANET", "kind": "wire"}, content_type="application/json")
    assert refused.status_code == 409
    assert refused.json() == {"error": "Daily Planet already has a profile.", "field": "name"}
    page = teacher.post("/outlets/new/", {"name": "daily planet", "kind": "wire"})
    assert page.status_code == 409 and "Daily Planet already has a profile." in page.content.decode()
    assert list(Outlet.objects.values_list("name", "kind")) == [("Daily Planet", "newspaper")]


@pytest.mark.django_db
def test_renaming_a_profile_to_another_profiles_name_in_other_case_is_refused_cleanly(world):
    gazette = outlets.create_outlet(world["teacher"], {"name": "Gazette", "kind": "newspaper"})
    # The API renames nothing: articles are matched by the name.
    patched = client_for(world["teacher"]).patch("/api/outlets/gazette/", {"name": "daily planet"},
                                                 content_type="application/json")
    assert (patched.status_code, patched.json()["field"]) == (400, "name")
    # Staff rename in the admin, whose form says why, spacing and case aside.
    boss = client_for(make_user("boss", is_staff=True, is_superuser=True))
    form = {"name": "DAILY  planet ", "slug": "gazette", "kind": "newspaper", "owner": "", "country": "",
            "notes": ""}
    shown = boss.post(f"/admin/corpus/outlet/{gazette.pk}/change/", form)
    assert shown.status_code == 200
    assert "Another outlet has this name, written in other letter case." in shown.content.decode()
    assert sorted(Outlet.objects.values_list("name", flat=True)) == ["Daily Planet", "Gazette"]
    assert boss.post(f"/admin/corpus/outlet/{gazette.pk}/change/", {**form, "name": "The Gazette"}).status_code == 302
    assert Outlet.objects.get(pk=gazette.pk).name == "The Gazette"


def create_reuters(teacher):
    outlets.create_outlet(teacher, {"name": "Reuters", "kind": "wire"})


def rename_to_reuters(teacher):
    # As the admin saves a rename: the slug stays, so only the name can collide.
    Outlet.objects.filter(slug="wire-service").update(name="Reuters")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("first_write", [create_reuters, rename_to_reuters])
def test_a_profile_written_in_other_case_while_another_is_saved_gets_a_clear_refusal(first_write):
    teacher, other = make_teacher("teacher"), make_teacher("other")
    Outlet.objects.create(name="A wire service", slug="wire-service", kind="wire")
    written, release, outcome = threading.Event(), threading.Event(), {}

    def first():
        try:
            with transaction.atomic():
                first_write(teacher)
                written.set()
                release.wait(10)  # still uncommitted while the second teacher saves
        finally:
            connection.close()

    def second():
        try:
            outlets.create_outlet(other, {"name": "reuters", "kind": "wire"})
            outcome["second"] = "saved"
        except ServiceError as error:
            outcome["second"] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    threads[0].start()
    assert written.wait(10)
    # PostgreSQL lets the second check pass (the first write is not committed) and its insert
    # waits on the unique index; SQLite makes the second write wait for the first.
    threads[1].start()
    time.sleep(0.5)
    release.set()
    for thread in threads:
        thread.join(15)
    refusal = outcome["second"]
    assert isinstance(refusal, Duplicate), refusal
    assert (refusal.message, refusal.field) == ("Reuters already has a profile.", "name")
    assert sorted(Outlet.objects.values_list("name", flat=True)) == sorted(
        {"A wire service", "Reuters"} if first_write is create_reuters else {"Reuters"})


@pytest.mark.django_db
def test_the_migration_renames_later_profiles_differing_only_in_case_so_the_constraint_can_be_added(world):
    migration = importlib.import_module("annotator.corpus.migrations.0010_outlet_names_unique_ignoring_case")
    constraint = Outlet._meta.constraints[0]
    editor = connection.schema_editor()
    with connection.cursor() as cursor:  # as the table was before the migration (rolled back with the test)
        cursor.execute(str(constraint.remove_sql(Outlet, editor)))
    long = "N" * 200
    Outlet.objects.bulk_create(Outlet(name=name, slug=f"s{number}", kind="wire") for number, name in enumerate(
        ["DAILY PLANET", "daily planet (2)", "Daily planet", long, long.lower(), "Gazette"]))
    migration.rename_case_duplicates(django_apps, None)
    names = list(Outlet.objects.order_by("pk").values_list("name", flat=True))
    # The first written keeps its name; "(2)" is taken (ignoring case), so the next free number.
    assert names == ["Daily Planet", "DAILY PLANET (3)", "daily planet (2)", "Daily planet (4)", long,
                     "n" * 196 + " (2)", "Gazette"]
    migration.rename_case_duplicates(django_apps, None)
    assert list(Outlet.objects.order_by("pk").values_list("name", flat=True)) == names
    with connection.cursor() as cursor:
        cursor.execute(str(constraint.create_sql(Outlet, editor)))


# Exports: the profiles as CSV, and each article's publisher in the JSON-LD.


@pytest.mark.django_db
def test_the_outlets_csv_has_every_profile_with_its_article_count(world):
    outlets.create_outlet(world["teacher"], {"name": "Gazette", "kind": "other", "notes": "=1+1\nSecond line"})
    Article.objects.filter(slug="b").update(archived=True)
    response = Client().get("/export/outlets.csv?bom=1")
    assert response["Content-Disposition"] == 'attachment; filename="outlets.csv"'
    text = b"".join(response.streaming_content).decode()
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text[1:], newline="")))
    assert list(rows[0]) == list(outlets.OUTLET_COLUMNS)
    shown = {row["slug"]: (row["name"], row["kind"], row["owner"], row["notes"], row["locked"], row["articles"])
             for row in rows}
    # Article b is archived, so only a counts for the Daily Planet; "Gazette" matches c.
    assert shown == {"daily-planet": ("Daily Planet", "newspaper", "Perry White", "", "0", "1"),
                     "gazette": ("Gazette", "other", "", "'=1+1\nSecond line", "0", "1")}
    assert rows[0]["modified"].endswith("Z") and "T" in rows[0]["modified"]


@pytest.mark.django_db
def test_the_json_ld_export_gives_each_passage_its_articles_publisher_and_imports_again(world, tmp_path):
    student = world["student"]
    claim = make_claim(student, world["a"], "Putin urged restraint")
    make_link(student, claim, make_article("e", "Plain story\nPutin praised it.", outlet="Gazette"), "Putin praised")
    make_claim(student, make_article("f", "No outlet\nPutin spoke."), "Putin spoke")
    response = client_for(student).get("/export/annotations.jsonld?mine=1")
    text = b"".join(response.streaming_content).decode()
    items = json.loads(text)["first"]["items"]
    claim_item, link_item, bare = items
    assert claim_item["target"]["source"] == {
        "id": "urn:annotator:article:a", "type": "Text",
        "schema:publisher": {"id": "urn:annotator:outlet:daily-planet", "type": "schema:Organization",
                             "schema:name": "Daily Planet", "schema:additionalType": "Newspaper or news site",
                             "schema:ownershipFundingInfo": "Perry White", "schema:location": "United States"}}
    # An outlet without a profile is named as written, and nothing about it is made up.
    assert link_item["body"][-1]["source"] == {"id": "urn:annotator:article:e", "type": "Text",
                                               "schema:publisher": {"type": "schema:Organization",
                                                                    "schema:name": "Gazette"}}
    assert bare["target"]["source"] == "urn:annotator:article:f"
    path = tmp_path / "annotations.jsonld"
    path.write_text(text)
    out = io.StringIO()
    call_command("import_annotations", str(path), "--dry-run", stdout=out)
    assert "0 to create, 3 unchanged" in out.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/bylines/?name=Lois%00Lane", "/outlets/find/?name=Daily%00Planet",
                                  "/sources/find/?name=Kreml%00in", "/sources/suggest/?source=Kr%00",
                                  "/map/?source=krem%00lin"])
def test_a_name_with_a_nul_finds_nothing_and_breaks_nothing(world, path):
    # PostgreSQL cannot compare text with NUL in it, and no name has one.
    response = client_for(world["teacher"]).get(path)
    assert response.status_code in (200, 404)
    assert "Kremlin readout" not in response.content.decode()
