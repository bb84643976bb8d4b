"""Display names: asked at sign-up, edited on My data, shown where a person is named by name.

Where a username would be hidden (anonymised exercise work) the display name is hidden too:
tests/test_anonymity.py gives its authors display names and looks for them in every output.
"""

import pytest
from django.contrib.auth.models import User
from django.test import Client

from annotator.discussion import services as discussion
from annotator.people import DISPLAY_NAME_MAX

from .factories import (
    PASSWORD, client_for, make_article, make_claim, make_class, make_exercise, make_teacher, make_user, span,
)

pytestmark = pytest.mark.django_db


def sign_up(username, display_name=""):
    client = Client()
    response = client.post("/accounts/signup/", {
        "username": username, "display_name": display_name, "password1": PASSWORD, "password2": PASSWORD})
    return client, response


def rename(user, name):
    return client_for(user).post("/accounts/data/name/", {"display_name": name})


def header(client):
    return client.get("/").content.decode()


def test_signing_up_without_a_display_name_shows_the_username():
    client, response = sign_up("ana_r")
    assert response.status_code == 302
    assert User.objects.get(username="ana_r").first_name == ""
    assert "Signed in as <a href=\"/accounts/data/#name-heading\"><strong>ana_r</strong>" in header(client)


def test_signing_up_with_a_display_name_shows_it_in_the_header():
    client, response = sign_up("ana_r", "  Ana   Rivera ")
    assert response.status_code == 302
    assert User.objects.get(username="ana_r").first_name == "Ana Rivera"
    assert "<strong>Ana Rivera</strong>" in header(client)


def test_signing_up_with_a_name_someone_goes_by_is_refused_and_creates_nothing():
    make_user("ben_t", first_name="Ben Tanaka")
    for username, display_name in (("ana_r", "BEN_T"), ("ana_r", "ben tanaka"), ("Ben Tanaka", "")):
        _, response = sign_up(username, display_name)
        assert response.status_code == 200
        assert "Someone else goes by that name; choose another." in response.content.decode()
    assert not User.objects.exclude(username="ben_t").exists()


def test_a_display_name_is_saved_from_my_data_and_shown_there():
    ana = make_user("ana_r")
    response = rename(ana, "Ana Rivera")
    assert response.status_code == 302 and response["Location"] == "/accounts/data/#name-heading"
    ana.refresh_from_db()
    assert ana.first_name == "Ana Rivera"
    page = client_for(ana).get("/accounts/data/").content.decode()
    assert 'name="display_name" value="Ana Rivera"' in page
    assert "<strong>Ana Rivera</strong>" in page


def test_a_blank_display_name_goes_back_to_the_username():
    ana = make_user("ana_r", first_name="Ana Rivera")
    assert rename(ana, "   ").status_code == 302
    ana.refresh_from_db()
    assert ana.first_name == ""
    assert "<strong>ana_r</strong>" in header(client_for(ana))


@pytest.mark.parametrize("name, message", [
    ("x" * (DISPLAY_NAME_MAX + 1), f"A display name is at most {DISPLAY_NAME_MAX} characters."),
    ("BEN_T", "Someone else goes by that name; choose another."),
    ("ben TANAKA", "Someone else goes by that name; choose another."),
])
def test_a_refused_display_name_says_why_and_changes_nothing(name, message):
    make_user("ben_t", first_name="Ben Tanaka")
    ana = make_user("ana_r", first_name="Ana Rivera")
    response = rename(ana, name)
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert f'value="{name}"' in page  # what was typed stays in the box
    ana.refresh_from_db()
    assert ana.first_name == "Ana Rivera"


def test_one_may_take_ones_own_username_as_display_name():
    ana = make_user("ana_r")
    assert rename(ana, "Ana_R").status_code == 302


def test_a_display_name_is_plain_text():
    ana = make_user("ana_r")
    rename(ana, "<b>Ana</b>")
    page = header(client_for(ana))
    assert "&lt;b&gt;Ana&lt;/b&gt;" in page and "<b>Ana</b>" not in page


def test_the_teacher_sees_display_names_beside_usernames_on_the_roster_and_dashboard():
    teacher = make_teacher("ms_o")
    ana = make_user("ana_r", first_name="Ana Rivera")
    ben = make_user("ben_t")
    classroom = make_class(teacher, [ana, ben])
    exercise = make_exercise(classroom, [make_article("a")])
    client = client_for(teacher)
    roster = client.get(f"/classes/{classroom.pk}/").content.decode()
    dashboard = client.get(f"/exercises/{exercise.pk}/dashboard/").content.decode()
    assert 'Ana Rivera <span class="muted">(ana_r)</span>' in roster
    assert 'Ana Rivera <span class="muted">(ana_r)</span>' in dashboard
    assert "<span>ben_t</span>" in roster


def test_claim_cards_and_replies_outside_exercises_show_the_display_name():
    ana = make_user("ana_r", first_name="Ana Rivera")
    ben = make_user("ben_t", first_name="Ben Tanaka")
    art = make_article("a")
    claim = make_claim(ana, art, "Putin urged restraint", visibility="public")
    discussion.create_reply(ben, claim.pk, {"text": "Whose words?"})
    reader = client_for(ben).get("/articles/a/").content.decode()
    thread = client_for(ana).get(f"/claims/{claim.pk}/discussion/").content.decode()
    assert '<p class="byline">Ana Rivera ·' in reader
    assert '<strong class="reply-author">Ben Tanaka</strong>' in thread


def test_exports_keep_the_username():
    ana = make_user("ana_r", first_name="Ana Rivera")
    make_claim(ana, make_article("a"), "Putin urged restraint", visibility="public")
    body = b"".join(client_for(ana).get("/export/annotations.csv").streaming_content).decode()
    assert "ana_r" in body and "Ana Rivera" not in body


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_name_form_fits_a_phone_and_a_refusal_is_announced(live_server, page):
    from .browser import sign_in

    make_user("ben_t")
    make_user("ana_r")
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server, "ana_r")
    page.click("nav >> text=My data")  # at this width the header hides "Signed in as"
    page.fill("#display-name", "Ben_T")
    page.click("text=Save name")
    assert page.locator("#display-name + .errorlist[role=alert]").inner_text() == (
        "Someone else goes by that name; choose another.")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.fill("#display-name", "Ana Rivera")
    page.click("text=Save name")
    assert page.locator("#display-name").input_value() == "Ana Rivera"
    assert "Your display name is saved." in page.locator(".messages").inner_text()


def test_a_claim_just_made_shows_its_authors_display_name_on_its_card():
    ana = make_user("ana_r", first_name="Ana Rivera")
    art = make_article("a")
    response = client_for(ana, HTTP_HX_REQUEST="true").post(
        "/articles/a/claims/", {**span(art, "Putin urged restraint"), "label": "attributed"})
    assert response.status_code in (200, 201)
    assert '<p class="byline">Ana Rivera ·' in response.content.decode()
