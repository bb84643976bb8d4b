"""Outlet profiles: written by teachers, locked by staff, shown beside the article; articles by outlet and byline."""

import pytest

from annotator.corpus import outlets
from annotator.corpus.models import Outlet
from annotator.errors import Forbidden, ServiceError

from .factories import BODY_A, BODY_B, client_for, make_article, make_teacher, make_user


@pytest.fixture
def world(db):
    teacher, student = make_teacher("teacher"), make_user("student")
    staff = make_user("staff", is_staff=True)
    a = make_article("a", BODY_A, outlet="Daily Planet", byline="Lois Lane")
    b = make_article("b", BODY_B, outlet="daily planet", byline="Clark Kent")
    make_article("c", "Other story\nNothing to see.", outlet="Gazette", byline="LOIS LANE")
    profile = outlets.save_outlet(teacher, {"name": "Daily Planet", "kind": "newspaper", "owner": "Perry White",
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
    ({"name": "  ", "kind": "newspaper"}, "name"),
    ({"name": "DAILY PLANET", "kind": "newspaper"}, "name"),
    ({"name": "Gazette", "kind": "newspaper", "notes": "x" * 5001}, "notes"),
    ({"name": "Gazette", "kind": "newspaper", "owner": ["x"]}, "owner"),
])
def test_a_bad_profile_is_refused_naming_the_field_and_nothing_is_written(world, data, field):
    with pytest.raises(ServiceError) as refused:
        outlets.save_outlet(world["teacher"], data)
    assert refused.value.field == field
    assert Outlet.objects.count() == 1
    response = client_for(world["teacher"]).post("/outlets/new/", data if field != "owner" else {**data, "owner": "x"})
    assert response.status_code in (302, 422)


@pytest.mark.django_db
def test_staff_lock_a_profile_and_then_only_staff_change_it(world):
    teacher, staff = client_for(world["teacher"]), client_for(world["staff"])
    assert teacher.post("/outlets/daily-planet/lock/", {"locked": "1"}).status_code == 403
    assert staff.post("/outlets/daily-planet/lock/", {"locked": "1"}).status_code == 302
    with pytest.raises(Forbidden):
        outlets.save_outlet(world["teacher"], {"kind": "wire"}, slug="daily-planet")
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
