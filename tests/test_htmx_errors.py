"""A refused htmx action answers with the service's own message and status, in the place of the
page that shows it (annotator/htmx.py): 422 for bad input, 403, 404, 409 for the rest."""

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client
from playwright.sync_api import expect

from annotator.annotations import services as annotations
from annotator.annotations.models import Annotation, Link
from annotator.assist import services as assist
from annotator.discussion import services as discussion
from annotator.discussion.models import Flag, Reply

from .browser import make_user, sign_in
from .factories import BODY_A, BODY_B, article, span


def htmx_client_for(user):
    client = Client(HTTP_HX_REQUEST="true")
    client.force_login(user)
    return client


def claim_by(user, art, phrase, visibility="public"):
    return annotations.create_annotation(user, art, {**span(art, phrase), "label": "attributed",
                                                     "visibility": visibility})


def link_by(user, claim, art, phrase):
    fields = span(art, phrase)
    return annotations.create_link(user, {"from": claim.pk, "to_article": art.slug, "to_start": fields["start"],
                                          "to_end": fields["end"], "to_exact": phrase, "relation": "contradicts"})


def assert_refused_in(response, status, target, message):
    assert response.status_code == status
    assert response["HX-Retarget"] == target and response["HX-Reswap"] == "innerHTML"
    assert message in response.content.decode()


@pytest.fixture
def world(db):
    owner = User.objects.create_user("owner", password="x-pass-12345")
    student = User.objects.create_user("student", password="x-pass-12345")
    a, b = article("a", BODY_A), article("b", BODY_B)
    return {"owner": owner, "student": student, "a": a, "b": b,
            "public": claim_by(owner, a, "Putin urged restraint"),
            "private": claim_by(owner, a, "Critics called it", visibility="private")}


# Claims and links in the reader


def test_a_student_editing_someone_elses_claim_by_id_is_told_it_is_not_theirs(world):
    claim = world["public"]
    response = htmx_client_for(world["student"]).post(f"/claims/{claim.pk}/edit/",
                                                      {"label": "disputed", "version": claim.version})
    assert_refused_in(response, 403, f"#edit-error-{claim.pk}", "is someone else&#x27;s")
    claim.refresh_from_db()
    assert claim.label == "attributed" and claim.version == 1


def test_editing_a_claim_one_cannot_see_answers_404_with_the_message_in_the_form(world):
    claim = world["private"]
    response = htmx_client_for(world["student"]).post(f"/claims/{claim.pk}/edit/",
                                                      {"label": "disputed", "version": claim.version})
    assert_refused_in(response, 404, f"#edit-error-{claim.pk}", "does not exist or is not visible to you")
    claim.refresh_from_db()
    assert claim.label == "attributed"


def test_whose_claim_it_is_answers_before_what_the_form_says(world):
    # A form without its version is refused, but only to the claim's author: anyone else
    # learns first that the claim is not theirs.
    claim = world["public"]
    response = htmx_client_for(world["student"]).post(f"/claims/{claim.pk}/edit/", {"label": "nonsense"})
    assert_refused_in(response, 403, f"#edit-error-{claim.pk}", "only its author can change or link it")
    response = htmx_client_for(world["owner"]).post(f"/claims/{claim.pk}/edit/", {"label": "disputed"})
    assert_refused_in(response, 422, f"#edit-error-{claim.pk}", "reload the page")


def test_deleting_someone_elses_claim_says_so_by_its_buttons(world):
    claim = world["public"]
    response = htmx_client_for(world["student"]).post(f"/claims/{claim.pk}/delete/")
    assert_refused_in(response, 403, f"#claim-{claim.pk} .actions", "is someone else&#x27;s")
    assert Annotation.objects.filter(pk=claim.pk).exists()


def test_a_claim_on_an_article_that_is_gone_is_refused_in_the_toolbar(world):
    response = htmx_client_for(world["student"]).post(
        "/articles/gone/claims/", {**span(world["a"], "Kremlin said"), "label": "attributed"})
    assert_refused_in(response, 404, "#toolbar-error", "No article with slug")
    assert Annotation.objects.count() == 2


def test_linking_someone_elses_claim_is_refused_in_the_panel(world):
    claim = world["public"]
    fields = span(world["b"], "Putin praised")
    response = htmx_client_for(world["student"]).post(f"/claims/{claim.pk}/links/save/", {
        "to_article": "b", "to_start": fields["start"], "to_end": fields["end"], "to_exact": fields["exact"],
        "relation": "contradicts"})
    assert_refused_in(response, 403, f"#link-error-{claim.pk}", "is someone else&#x27;s")
    assert not Link.objects.exists()


def test_deleting_a_link_deleted_meanwhile_says_so_in_its_row(world):
    made = link_by(world["owner"], world["public"], world["b"], "Putin praised")
    client = htmx_client_for(world["owner"])
    assert client.post(f"/links/{made.pk}/delete/").status_code == 204
    response = client.post(f"/links/{made.pk}/delete/")
    assert_refused_in(response, 404, f"#link-row-error-{made.pk}", f"Link {made.pk} does not exist")


# Replies and moderation


def test_a_student_hiding_a_reply_is_told_only_the_teacher_may(world):
    answer = discussion.create_reply(world["owner"], world["public"].pk, {"text": "Read the readout."})
    response = htmx_client_for(world["student"]).post(f"/replies/{answer.pk}/hide/", {"hidden": "1"})
    assert_refused_in(response, 403, f"#reply-action-error-{answer.pk}",
                      "Only the class&#x27;s teacher can hide replies")
    answer.refresh_from_db()
    assert answer.hidden_at is None


def test_without_htmx_the_same_refusal_is_still_the_403_page(world):
    answer = discussion.create_reply(world["owner"], world["public"].pk, {"text": "Read the readout."})
    client = Client()
    client.force_login(world["student"])
    response = client.post(f"/replies/{answer.pk}/hide/", {"hidden": "1"})
    assert response.status_code == 403 and "HX-Retarget" not in response


def test_flagging_a_reply_deleted_meanwhile_says_so_in_place(world):
    answer = discussion.create_reply(world["owner"], world["public"].pk, {"text": "Read the readout."})
    discussion.delete_reply(world["owner"], answer.pk)
    response = htmx_client_for(world["student"]).post(f"/replies/{answer.pk}/flag/")
    assert_refused_in(response, 404, f"#reply-action-error-{answer.pk}", f"Reply {answer.pk} does not exist")
    assert not Flag.objects.exists()


def test_flagging_a_reply_twice_is_a_409_in_place(world):
    answer = discussion.create_reply(world["owner"], world["public"].pk, {"text": "Read the readout."})
    client = htmx_client_for(world["student"])
    assert client.post(f"/replies/{answer.pk}/flag/").status_code == 200
    response = client.post(f"/replies/{answer.pk}/flag/")
    assert_refused_in(response, 409, f"#reply-action-error-{answer.pk}", "already flagged")
    assert Flag.objects.count() == 1


def test_editing_someone_elses_reply_is_refused_in_its_edit_form(world):
    answer = discussion.create_reply(world["owner"], world["public"].pk, {"text": "Read the readout."})
    response = htmx_client_for(world["student"]).post(f"/replies/{answer.pk}/edit/", {"text": "Mine now."})
    assert_refused_in(response, 403, f"#reply-edit-error-{answer.pk}", "is someone else&#x27;s")
    assert Reply.objects.get(pk=answer.pk).text == "Read the readout."


# The suggestions panel


def test_a_suggestion_refused_by_the_service_redraws_the_panel_with_why(world):
    a = world["a"]
    offered = assist.suggestions_for(world["student"], a)[0]
    a.archived = True
    a.save(update_fields=["archived"])
    response = htmx_client_for(world["student"]).post(
        "/articles/a/suggestions/accept/", {"start": offered.start, "end": offered.end, "label": offered.label})
    assert response.status_code == 404
    assert response["HX-Retarget"] == "#assist" and response["HX-Reswap"] == "outerHTML"
    assert 'id="assist"' in response.content.decode() and "is archived" in response.content.decode()
    assert Annotation.objects.count() == 2


# In the browser: every 4xx that names its place is shown there


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_in_chromium_flagging_a_reply_its_author_deleted_says_it_is_gone(live_server, page, expected_statuses):
    expected_statuses.add(404)
    owner = make_user("owner")
    make_user("reader")
    a = article("a", BODY_A)
    claim = claim_by(owner, a, "Putin urged restraint")
    answer = discussion.create_reply(owner, claim.pk, {"text": "Read the readout."})
    sign_in(page, live_server, "reader")
    page.goto(f"{live_server.url}/claims/{claim.pk}/discussion/")
    page.on("dialog", lambda dialog: dialog.accept())
    discussion.delete_reply(owner, answer.pk)
    page.locator(f"#reply-{answer.pk}").get_by_role("button", name="Flag").click()
    expect(page.locator(f"#reply-action-error-{answer.pk}")).to_have_text(
        re.compile(rf"Reply {answer.pk} does not exist or is not visible to you"))
    assert not Flag.objects.exists()
