"""Edits are conditional on the version the editor read: a stale form or client never undoes a newer change.

A claim's version rises by one with every change; the reader's edit form and API clients
send the version they read, and a write from any other version is refused with the claim
as it is now (409 in the form and for a body "version", 412 for If-Match).
"""

import json
import threading
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from playwright.sync_api import expect

from annotator.annotations import services
from annotator.annotations.models import Annotation
from annotator.errors import StaleVersion

from .browser import make_user, sign_in
from .factories import BODY_A, article, client_for, span

API = "/api/annotations/"
SHOTS = Path("/tmp/shots")
EDITABLE = ("label", "source", "note", "visibility")


def make_claim(user, art, phrase="Putin urged restraint", **fields):
    return services.create_annotation(user, art, {**span(art, phrase), "label": "attributed", "source": "",
                                                  "note": "", "visibility": "public", **fields})


def patch(client, claim, data, **headers):
    return client.patch(f"{API}{claim.pk}/", json.dumps(data), content_type="application/json", headers=headers)


def stored(claim):
    claim.refresh_from_db()
    return {name: getattr(claim, name) for name in (*EDITABLE, "version")}


class FormFields(HTMLParser):
    """What a browser would submit from the first form of a page: inputs, selected options, textareas."""

    def __init__(self, html):
        super().__init__()
        self.fields, self._select, self._textarea = {}, None, None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("name"):
            self.fields[attrs["name"]] = attrs.get("value", "")
        elif tag == "select":
            self._select = attrs["name"]
        elif tag == "option" and self._select and ("selected" in attrs or self._select not in self.fields):
            self.fields[self._select] = attrs["value"]
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self.fields[self._textarea] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea] += data


def edit_form(client, claim):
    response = client.get(f"/claims/{claim.pk}/edit/")
    assert response.status_code == 200
    return response, FormFields(response.content.decode()).fields


@pytest.fixture
def author(db):
    return User.objects.create_user("ana", password="pw-for-tests-1")


@pytest.fixture
def here(db):
    return article("here", BODY_A)


# The rule, over random interleavings of two editors


LABELS = st.sampled_from(["attributed", "editorialized", "disputed"])
CHANGES = st.fixed_dictionaries({}, optional={
    "label": LABELS,
    "source": st.sampled_from(["", "the Kremlin", "Tass"]),
    "note": st.sampled_from(["", "First reading.", "Second thoughts."]),
    "visibility": st.sampled_from(["private", "class", "public"]),
})
STEPS = st.lists(
    st.one_of(
        st.tuples(st.just("read"), st.sampled_from([0, 1])),
        # The form redraws the whole reader, so it is drawn less often than the API's two ways.
        st.tuples(st.just("write"), st.sampled_from([0, 1]), CHANGES,
                  st.sampled_from(["body", "if-match", "body", "if-match", "form"])),
    ),
    min_size=1, max_size=10,
)


@settings(max_examples=50, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=STEPS)
def test_a_write_from_a_stale_version_never_lands_and_each_change_raises_the_version_by_one(author, here, steps):
    Annotation.objects.filter(author=author).delete()
    claim = make_claim(author, here)
    editors = [client_for(author), client_for(author)]
    expected = stored(claim)
    # What each editor last read: the claim's values and version, as the API or the form gave them.
    read = [dict(expected), dict(expected)]
    for step in steps:
        if step[0] == "read":
            editor = step[1]
            data = editors[editor].get(f"{API}{claim.pk}/").json()
            read[editor] = {name: data[name] for name in (*EDITABLE, "version")}
            continue
        _, editor, changes, way = step
        seen = read[editor]
        if way == "form":
            # The form sends every field it shows, with the values it was drawn from.
            form = {**{name: seen[name] for name in EDITABLE}, **changes, "version": seen["version"],
                    **{f"seen_{name}": seen[name] for name in EDITABLE}}
            response = editors[editor].post(f"/claims/{claim.pk}/edit/", form)
            changes = {name: form[name] for name in EDITABLE}
        elif way == "if-match":
            response = patch(editors[editor], claim, changes, **{"If-Match": f'"{seen["version"]}"'})
        else:
            response = patch(editors[editor], claim, {**changes, "version": seen["version"]})
        if seen["version"] == expected["version"]:
            assert response.status_code == 200, response.content
            changed = any(expected[name] != value for name, value in changes.items())
            expected.update(changes)
            expected["version"] += changed
            if way != "form":
                read[editor] = {name: response.json()[name] for name in (*EDITABLE, "version")}
                assert read[editor] == expected
        else:
            assert response.status_code == {"form": 409, "body": 409, "if-match": 412}[way], response.content
            if way != "form":
                current = response.json()["current"]
                assert {name: current[name] for name in (*EDITABLE, "version")} == expected
        assert stored(claim) == expected


def test_concurrent_saves_from_the_same_version_land_exactly_once(transactional_db):
    author = User.objects.create_user("ana", password="pw-for-tests-1")
    claim = make_claim(author, article("here", BODY_A))
    outcomes, barrier = [], threading.Barrier(6)

    def save(number):
        try:
            barrier.wait()
            services.update_annotation(author, claim.pk, {"note": f"Edit {number}"}, version=1)
            outcomes.append(f"Edit {number}")
        except StaleVersion:
            outcomes.append("stale")
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    accepted = [outcome for outcome in outcomes if outcome != "stale"]
    assert len(outcomes) == 6 and len(accepted) == 1
    claim.refresh_from_db()
    assert (claim.note, claim.version) == (accepted[0], 2)


# The JSON API


def test_a_claim_reads_back_with_its_version_and_sends_it_as_its_etag(author, here):
    claim = make_claim(author, here)
    response = client_for(author).get(f"{API}{claim.pk}/")
    assert response.json()["version"] == 1
    assert response["ETag"] == '"1"'
    services.update_annotation(author, claim.pk, {"note": "Changed."})
    response = client_for(author).get(f"{API}{claim.pk}/")
    assert (response.json()["version"], response["ETag"]) == (2, '"2"')


def test_a_patch_with_a_stale_if_match_is_412_with_the_current_claim_and_writes_nothing(author, here):
    claim = make_claim(author, here)
    client = client_for(author)
    etag = client.get(f"{API}{claim.pk}/")["ETag"]
    assert patch(client, claim, {"label": "disputed", "visibility": "private"}, **{"If-Match": etag}).status_code == 200
    before = stored(claim)
    response = patch(client, claim, {"note": "From an old copy."}, **{"If-Match": etag})
    assert response.status_code == 412
    body = response.json()
    assert body["field"] == "version" and "version 2" in body["error"]
    assert body["current"] == client.get(f"{API}{claim.pk}/").json()
    assert response["ETag"] == '"2"'
    assert stored(claim) == before


def test_a_patch_with_a_stale_version_in_its_body_is_409_with_the_current_claim_and_writes_nothing(author, here):
    claim = make_claim(author, here)
    client = client_for(author)
    assert patch(client, claim, {"source": "the Kremlin", "version": 1}).status_code == 200
    before = stored(claim)
    response = patch(client, claim, {"source": "Tass", "version": 1})
    assert response.status_code == 409
    body = response.json()
    assert body["field"] == "version"
    assert (body["current"]["source"], body["current"]["version"]) == ("the Kremlin", 2)
    assert stored(claim) == before


def test_a_patch_with_the_current_version_lands_and_raises_it_by_one(author, here):
    claim = make_claim(author, here)
    client = client_for(author)
    response = patch(client, claim, {"note": "One.", "version": 1})
    assert (response.status_code, response.json()["version"], response["ETag"]) == (200, 2, '"2"')
    response = patch(client, claim, {"note": "Two."}, **{"If-Match": '"2"'})
    assert (response.status_code, response.json()["version"]) == (200, 3)
    assert stored(claim)["note"] == "Two."


def test_a_patch_without_a_version_stays_unconditional(author, here):
    claim = make_claim(author, here)
    services.update_annotation(author, claim.pk, {"note": "Elsewhere."})
    response = patch(client_for(author), claim, {"note": "Overwrites, as before."}, **{"If-Match": "*"})
    assert response.status_code == 200
    response = patch(client_for(author), claim, {"label": "disputed"})
    assert response.status_code == 200
    assert stored(claim) == {"label": "disputed", "source": "", "note": "Overwrites, as before.",
                             "visibility": "public", "version": 4}


def test_a_patch_that_changes_no_value_keeps_the_version(author, here):
    claim = make_claim(author, here, note="Same.")
    response = patch(client_for(author), claim, {"note": "Same.", "label": "attributed", "version": 1})
    assert (response.status_code, response.json()["version"]) == (200, 1)


def test_a_delete_with_a_stale_if_match_is_412_and_keeps_the_claim(author, here):
    claim = make_claim(author, here)
    client = client_for(author)
    services.update_annotation(author, claim.pk, {"visibility": "private"})
    response = client.delete(f"{API}{claim.pk}/", headers={"If-Match": '"1"'})
    assert response.status_code == 412
    assert response.json()["current"]["visibility"] == "private"
    assert Annotation.objects.filter(pk=claim.pk).exists()
    assert client.delete(f"{API}{claim.pk}/", headers={"If-Match": '"2"'}).status_code == 204
    assert not Annotation.objects.filter(pk=claim.pk).exists()


@pytest.mark.parametrize("headers, data, field", [
    ({"If-Match": 'W/"1"'}, {}, "If-Match"),
    ({"If-Match": '"1", "2"'}, {}, "If-Match"),
    ({"If-Match": "1"}, {}, "If-Match"),
    ({}, {"version": True}, "version"),
    ({}, {"version": None}, "version"),
    ({}, {"version": "one"}, "version"),
    ({}, {"version": 1.0}, "version"),
    ({"If-Match": '"1"'}, {"version": 1}, "version"),
])
def test_a_malformed_version_is_400_and_writes_nothing(author, here, headers, data, field):
    claim = make_claim(author, here)
    response = patch(client_for(author), claim, {"note": "Never saved.", **data}, **headers)
    assert response.status_code == 400
    assert response.json()["field"] == field
    assert stored(claim)["note"] == ""


def test_a_stale_version_on_someone_elses_claim_reveals_nothing_of_it(author, here):
    other = User.objects.create_user("bo", password="pw-for-tests-2")
    private = make_claim(author, here, visibility="private")
    public = make_claim(author, here, "Critics called it", visibility="public")
    client = client_for(other)
    for claim, status in ((private, 404), (public, 403)):
        for headers, data in (({"If-Match": '"7"'}, {}), ({}, {"version": 7})):
            response = patch(client, claim, {"note": "Not mine.", **data}, **headers)
            assert response.status_code == status and "current" not in response.json()
        assert client.delete(f"{API}{claim.pk}/", headers={"If-Match": '"7"'}).status_code == status


# The reader's edit form


def test_the_edit_form_carries_its_version_and_the_values_it_showed(author, here):
    claim = make_claim(author, here, source="the Kremlin", note="Mine.")
    services.update_annotation(author, claim.pk, {"label": "disputed"})
    _, fields = edit_form(client_for(author), claim)
    assert fields == {"version": "2", "label": "disputed", "seen_label": "disputed", "source": "the Kremlin",
                      "seen_source": "the Kremlin", "note": "Mine.", "seen_note": "Mine.", "visibility": "public",
                      "seen_visibility": "public"}


def test_a_stale_edit_form_is_refused_with_what_changed_and_keeps_the_editors_note(author, here):
    claim = make_claim(author, here, source="", note="First reading.")
    session_a, session_b = client_for(author), client_for(author)
    _, form = edit_form(session_a, claim)
    # Meanwhile, another session changes label, source and visibility through the API.
    assert patch(session_b, claim, {"label": "disputed", "source": "the Kremlin", "visibility": "private"}).status_code == 200
    changed_elsewhere = stored(claim)
    response = session_a.post(f"/claims/{claim.pk}/edit/", {**form, "note": "My careful second reading."},
                              headers={"HX-Request": "true"})
    assert response.status_code == 409
    assert stored(claim) == changed_elsewhere
    assert response["HX-Retarget"] == f"#claim-{claim.pk}"
    html = response.content.decode()
    notice = html.split('class="edit-conflict"')[1].split('name="version"')[0]
    assert "Label is now</dt><dd>Disputed" in notice
    assert "Source is now</dt><dd>the Kremlin" in notice
    assert "Who can see it is now</dt><dd>Only me" in notice
    assert "Note is now" not in notice
    assert "your own change kept: Note" in notice
    redrawn = FormFields(html).fields
    assert redrawn == {"version": "2", "label": "disputed", "seen_label": "disputed", "source": "the Kremlin",
                       "seen_source": "the Kremlin", "note": "My careful second reading.",
                       "seen_note": "First reading.", "visibility": "private", "seen_visibility": "private"}
    # Saving the redrawn form keeps both sides' work.
    assert session_a.post(f"/claims/{claim.pk}/edit/", redrawn).status_code == 200
    assert stored(claim) == {"label": "disputed", "source": "the Kremlin", "note": "My careful second reading.",
                             "visibility": "private", "version": 3}


def test_a_stale_form_can_never_make_a_private_claim_public_again(author, here):
    claim = make_claim(author, here, visibility="public")
    session_a = client_for(author)
    _, form = edit_form(session_a, claim)
    services.update_annotation(author, claim.pk, {"visibility": "private"})
    # Saved unchanged, with a new note, or choosing "public" outright: the stale form is refused every time.
    for posted in (form, {**form, "note": "A note."}, {**form, "visibility": "public"}):
        assert session_a.post(f"/claims/{claim.pk}/edit/", posted).status_code == 409
        assert stored(claim)["visibility"] == "private"
    response = session_a.post(f"/claims/{claim.pk}/edit/", {**form, "note": "A note."})
    assert FormFields(response.content.decode()).fields["visibility"] == "private"


def test_both_sides_of_a_field_changed_twice_are_shown_and_the_editors_text_kept(author, here):
    claim = make_claim(author, here, note="Original.")
    session_a = client_for(author)
    _, form = edit_form(session_a, claim)
    services.update_annotation(author, claim.pk, {"note": "Their note."})
    response = session_a.post(f"/claims/{claim.pk}/edit/", {**form, "note": "My note."})
    assert response.status_code == 409
    html = response.content.decode()
    assert "Note is now</dt><dd>Their note." in html
    assert FormFields(html).fields["note"] == "My note."
    assert stored(claim)["note"] == "Their note."


def test_an_edit_form_without_a_version_is_refused_and_writes_nothing(author, here):
    claim = make_claim(author, here)
    response = client_for(author).post(f"/claims/{claim.pk}/edit/", {"label": "disputed"},
                                       headers={"HX-Request": "true"})
    assert response.status_code == 422
    assert "reload the page" in response.content.decode()
    assert stored(claim)["label"] == "attributed"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [1280, 390])
def test_in_chromium_a_stale_edit_form_shows_what_changed_and_saves_again_with_the_note_kept(
    live_server, page, expected_statuses, width
):
    expected_statuses.add(409)
    author = make_user("ana")
    here = article("here", BODY_A)
    claim = make_claim(author, here, note="First reading.")
    page.set_viewport_size({"width": width, "height": 1000})
    sign_in(page, live_server, "ana")
    page.goto(live_server.url + here.get_absolute_url())
    card = page.locator(f"#claim-{claim.pk}")
    card.get_by_role("button", name="Edit").click()
    note = card.get_by_label("Note")
    expect(note).to_have_value("First reading.")
    # Another session of the same reader changes the claim through the API meanwhile.
    assert patch(client_for(author), claim, {"label": "disputed", "source": "the Kremlin",
                                             "visibility": "private"}).status_code == 200
    note.fill("My careful second reading.")
    card.get_by_role("button", name="Save").click()
    notice = card.locator(".edit-conflict")
    expect(notice).to_contain_text("changed elsewhere")
    expect(notice.locator("dt")).to_have_text(["Label is now", "Source is now", "Who can see it is now"])
    expect(notice.locator("dd")).to_have_text(["Disputed", "the Kremlin", "Only me"])
    expect(notice).to_contain_text("your own change kept: Note")
    expect(card.get_by_label("Label")).to_have_value("disputed")
    expect(card.get_by_label("Who can see it")).to_have_value("private")
    expect(note).to_have_value("My careful second reading.")
    assert stored(claim)["note"] == "First reading."
    card.evaluate("el => el.scrollIntoView({block: 'start'})")
    SHOTS.mkdir(parents=True, exist_ok=True)
    card.screenshot(path=str(SHOTS / f"edit-conflict-card-{width}.png"))
    page.screenshot(path=str(SHOTS / f"edit-conflict-{width}.png"))
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    card.get_by_role("button", name="Save").click()
    expect(card.locator(".note")).to_have_text("My careful second reading.")
    expect(card.locator(".chip")).to_have_text("Disputed")
    assert stored(claim) == {"label": "disputed", "source": "the Kremlin", "note": "My careful second reading.",
                             "visibility": "private", "version": 3}
