"""Discussion on claims: who reads and writes replies, the reveal, names, moderation, activity, export."""

import csv
import io
import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from annotator.classroom.models import Submission
from annotator.corpus import outlets
from annotator.corpus.models import Article
from annotator.discussion import services
from annotator.discussion.models import ClaimModeration, Flag, Reply
from annotator.errors import Forbidden, NotFound

from .factories import (
    client_for,
    make_article,
    make_claim,
    make_link,
    make_teacher,
    passage,
)


def htmx_client_for(user):
    return client_for(user, HTTP_HX_REQUEST="true")


def api_post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def api_patch(client, url, data):
    return client.patch(url, json.dumps(data), content_type="application/json")


def text_of(response):
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def replies_url(claim):
    return f"/api/annotations/{claim.pk}/replies/"


def reply(user, claim, text="I read it differently.", **extra):
    return services.create_reply(user, claim.pk, {"text": text, **extra})


def open_discussion(lesson):
    lesson["exercise"].discussion = True
    lesson["exercise"].save(update_fields=["discussion"])


# Replies follow the claim


def test_after_reveal_a_student_replies_to_a_classmates_claim_and_names_stay_anonymised(lesson):
    open_discussion(lesson)
    response = api_post(client_for(lesson["sam"]), replies_url(lesson["kims"]), {"text": "Whose bluff is it?"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["author"], body["mine"], body["parent"], body["claim"]) == ("Student A", True, None, lesson["kims"].pk)
    listed = client_for(lesson["kim"]).get(replies_url(lesson["kims"])).json()
    assert [(r["author"], r["text"], r["mine"]) for r in listed["results"]] == [("Student A", "Whose bluff is it?", False)]
    assert "sam" not in json.dumps(listed)
    # The teacher shows as "Teacher", to the students and in the teacher's own view.
    api_post(client_for(lesson["teacher"]), replies_url(lesson["kims"]), {"text": "Good question."})
    names = [r["author"] for r in client_for(lesson["lee"]).get(replies_url(lesson["kims"])).json()["results"]]
    assert names == ["Student A", "Teacher"]
    page = htmx_client_for(lesson["lee"]).get(f"/claims/{lesson['kims'].pk}/discussion/").content.decode()
    assert "Student A" in page and "Teacher" in page and "sam" not in page and "teach<" not in page


def test_a_reply_to_a_claim_the_user_cannot_see_is_404_and_writes_nothing(lesson):
    sam, outsider = client_for(lesson["sam"]), client_for(lesson["outsider"])
    # Before discussion mode, a classmate's work is invisible: 404, not 403.
    assert api_post(sam, replies_url(lesson["kims"]), {"text": "hi"}).status_code == 404
    assert sam.get(replies_url(lesson["kims"])).status_code == 404
    open_discussion(lesson)
    # Someone outside the class never sees the exercise's claims.
    response = api_post(outsider, replies_url(lesson["kims"]), {"text": "hi"})
    assert response.status_code == 404
    assert response.json()["field"] == "claim"
    private = make_claim(lesson["kim"], lesson["b"], "PressTV claimed")
    assert api_post(sam, replies_url(private), {"text": "hi"}).status_code == 404
    assert api_post(sam, "/api/annotations/999999/replies/", {"text": "hi"}).status_code == 404
    # The htmx page answers the same.
    assert client_for(lesson["sam"]).post(f"/claims/{private.pk}/discussion/replies/", {"text": "hi"}).status_code == 404
    assert client_for(lesson["sam"]).get(f"/claims/{private.pk}/discussion/").status_code == 404
    assert not Reply.objects.exists()


def test_a_reply_in_an_exercise_before_reveal_is_refused(lesson):
    sam = client_for(lesson["sam"])
    # Sam sees their own claim, but its discussion has not opened.
    response = api_post(sam, replies_url(lesson["sams"]), {"text": "Too early?"})
    assert response.status_code == 403
    assert "opens after the reveal" in response.json()["error"]
    assert sam.get(replies_url(lesson["sams"])).status_code == 403
    # Nor may the teacher start one before the reveal.
    assert api_post(client_for(lesson["teacher"]), replies_url(lesson["sams"]), {"text": "x"}).status_code == 403
    # The key is invisible to students before it is revealed to them: 404.
    assert api_post(sam, replies_url(lesson["key"]), {"text": "x"}).status_code == 404
    assert api_post(client_for(lesson["teacher"]), replies_url(lesson["key"]), {"text": "x"}).status_code == 403
    assert not Reply.objects.exists()
    # The htmx form shows the reason in place (403) and writes nothing.
    response = htmx_client_for(lesson["sam"]).post(f"/claims/{lesson['sams'].pk}/discussion/replies/",
                                                   {"text": "Too early?"})
    assert response.status_code == 403
    assert "opens after the reveal" in response.content.decode()
    assert not Reply.objects.exists()


def test_key_threads_open_to_each_student_at_their_reveal_and_to_the_teacher_once_anyone_sees_it(lesson):
    sam, kim = client_for(lesson["sam"]), client_for(lesson["kim"])
    Submission.objects.create(exercise=lesson["exercise"], student=lesson["sam"], submitted=timezone.now())
    assert api_post(sam, replies_url(lesson["key"]), {"text": "Why attributed?"}).status_code == 201
    assert api_post(client_for(lesson["teacher"]), replies_url(lesson["key"]),
                    {"text": "The Kremlin said it."}).status_code == 201
    # Kim has not submitted: the key and its thread do not exist for them.
    assert kim.get(replies_url(lesson["key"])).status_code == 404
    # Sam's own work is still no one else's business: discussion mode is off.
    assert api_post(sam, replies_url(lesson["sams"]), {"text": "x"}).status_code == 403


def test_discussion_mode_opens_students_threads_for_the_whole_class(lesson):
    open_discussion(lesson)
    for user in ("sam", "kim", "lee", "teacher"):
        response = api_post(client_for(lesson[user]), replies_url(lesson["sams"]), {"text": f"From {user}"})
        assert response.status_code == 201, (user, response.content)
    assert client_for(lesson["outsider"]).get(replies_url(lesson["sams"])).status_code == 404


def test_reply_visibility_outside_exercises_follows_the_claim(lesson):
    author = lesson["outsider"]
    public = make_claim(author, lesson["b"], "PressTV claimed", visibility="public")
    private = make_claim(author, lesson["b"], "wise", "editorialized")
    assert api_post(client_for(lesson["sam"]), replies_url(public), {"text": "Says who?"}).status_code == 201
    # Anonymous readers read public claims, so their replies too; they cannot write.
    anonymous = Client()
    assert [r["author"] for r in anonymous.get(replies_url(public)).json()["results"]] == ["sam"]
    assert api_post(anonymous, replies_url(public), {"text": "x"}).status_code == 401
    assert anonymous.get(replies_url(private)).status_code == 404
    # A class claim: classmates read and reply, others do not see it.
    classy = make_claim(lesson["kim"], lesson["b"], "PressTV story", visibility="class")
    assert api_post(client_for(lesson["lee"]), replies_url(classy), {"text": "Agreed"}).status_code == 201
    assert client_for(author).get(replies_url(classy)).status_code == 404


# Bad input


def test_a_reply_over_5000_characters_is_refused_and_one_of_5000_is_kept(lesson):
    open_discussion(lesson)
    sam = client_for(lesson["sam"])
    response = api_post(sam, replies_url(lesson["kims"]), {"text": "x" * 5001})
    assert response.status_code == 400
    assert response.json()["field"] == "text"
    assert "5,000" in response.json()["error"]
    assert not Reply.objects.exists()
    assert api_post(sam, replies_url(lesson["kims"]), {"text": "é" * 5000}).status_code == 201
    response = htmx_client_for(lesson["sam"]).post(f"/claims/{lesson['kims'].pk}/discussion/replies/",
                                                   {"text": "y" * 5001})
    assert response.status_code == 422
    assert response["HX-Retarget"] == f"#reply-form-error-c{lesson['kims'].pk}"
    assert Reply.objects.count() == 1


@pytest.mark.parametrize("text", ["", "   \n ", None, 42, "nul\x00byte"])
def test_empty_or_malformed_text_is_refused(lesson, text):
    open_discussion(lesson)
    response = api_post(client_for(lesson["sam"]), replies_url(lesson["kims"]), {"text": text})
    assert response.status_code == 400
    assert response.json()["field"] == "text"
    assert not Reply.objects.exists()


def test_unknown_fields_are_refused(lesson):
    open_discussion(lesson)
    response = api_post(client_for(lesson["sam"]), replies_url(lesson["kims"]), {"text": "x", "author": "kim"})
    assert response.status_code == 400
    assert not Reply.objects.exists()


def test_markup_and_script_in_replies_are_stored_as_typed_and_rendered_inert(lesson):
    open_discussion(lesson)
    text = ('<script>alert(1)</script> <b onmouseover="x()">bold</b> '
            "javascript:alert(2) see https://example.org/?a=1&b=2.")
    created = api_post(client_for(lesson["sam"]), replies_url(lesson["kims"]), {"text": text}).json()
    assert created["text"] == text
    page = htmx_client_for(lesson["kim"]).get(f"/claims/{lesson['kims'].pk}/discussion/").content.decode()
    assert "<script>alert" not in page and "<b onmouseover" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert '<a href="https://example.org/?a=1&amp;b=2" rel="nofollow noopener">' in page
    assert 'href="javascript' not in page
    # The same on the thread's own page and in What's new.
    full = client_for(lesson["kim"]).get(f"/claims/{lesson['kims'].pk}/discussion/").content.decode()
    assert "<script>alert" not in full and "&lt;script&gt;" in full
    news = client_for(lesson["kim"]).get("/whats-new/").content.decode()
    assert "<script>alert" not in news and "&lt;script&gt;" in news


def test_a_student_cannot_hide_someone_elses_reply(lesson):
    open_discussion(lesson)
    sams = reply(lesson["sam"], lesson["kims"], "Mine")
    # A classmate who can see it: 403; someone who cannot: 404.
    assert client_for(lesson["kim"]).post(f"/replies/{sams.pk}/hide/", {"hidden": "1"}).status_code == 403
    assert client_for(lesson["sam"]).post(f"/replies/{sams.pk}/hide/", {"hidden": "1"}).status_code == 403
    assert client_for(lesson["outsider"]).post(f"/replies/{sams.pk}/hide/", {"hidden": "1"}).status_code == 404
    with pytest.raises(Forbidden):
        services.hide_reply(lesson["kim"], sams.pk)
    with pytest.raises(NotFound):
        services.hide_reply(lesson["outsider"], sams.pk)
    # Nor hide a claim or lock a thread.
    assert client_for(lesson["kim"]).post(f"/claims/{lesson['sams'].pk}/discussion/hide/").status_code == 403
    assert client_for(lesson["kim"]).post(f"/claims/{lesson['sams'].pk}/discussion/lock/").status_code == 403
    sams.refresh_from_db()
    assert sams.hidden_at is None
    assert not ClaimModeration.objects.exists()


def test_replying_in_a_locked_thread_is_refused_and_it_stays_readable(lesson):
    open_discussion(lesson)
    sams = reply(lesson["sam"], lesson["kims"], "Before the lock")
    teacher = htmx_client_for(lesson["teacher"])
    response = teacher.post(f"/claims/{lesson['kims'].pk}/discussion/lock/", {"locked": "1"})
    assert response.status_code == 200
    assert "This thread is locked" in response.content.decode()
    sam = client_for(lesson["sam"])
    refused = api_post(sam, replies_url(lesson["kims"]), {"text": "After the lock"})
    assert refused.status_code == 403
    assert "locked" in refused.json()["error"]
    assert api_patch(sam, f"/api/replies/{sams.pk}/", {"text": "Changed"}).status_code == 403
    assert [r["text"] for r in sam.get(replies_url(lesson["kims"])).json()["results"]] == ["Before the lock"]
    page = htmx_client_for(lesson["sam"]).get(f"/claims/{lesson['kims'].pk}/discussion/").content.decode()
    assert "Before the lock" in page and 'name="text"' not in page
    teacher.post(f"/claims/{lesson['kims'].pk}/discussion/lock/", {"locked": "0"})
    assert api_post(sam, replies_url(lesson["kims"]), {"text": "After the unlock"}).status_code == 201


def test_replying_when_the_exercise_discussion_is_switched_off_is_refused(lesson):
    open_discussion(lesson)
    reply(lesson["sam"], lesson["kims"], "Earlier")
    url = f"/exercises/{lesson['exercise'].pk}/flags/replies/"
    # Only the exercise's teacher flips the switch.
    assert client_for(lesson["sam"]).post(url, {"off": "1"}).status_code == 404
    assert client_for(lesson["teacher"]).post(url, {"off": "1"}).status_code == 302
    response = api_post(client_for(lesson["kim"]), replies_url(lesson["kims"]), {"text": "Now?"})
    assert response.status_code == 403
    assert "turned replies off" in response.json()["error"]
    # Existing replies stay readable.
    assert len(client_for(lesson["kim"]).get(replies_url(lesson["kims"])).json()["results"]) == 1
    client_for(lesson["teacher"]).post(url, {"off": "0"})
    assert api_post(client_for(lesson["kim"]), replies_url(lesson["kims"]), {"text": "Now?"}).status_code == 201


# Edit, delete, nesting, evidence


def test_authors_edit_and_delete_their_own_replies_only(lesson):
    open_discussion(lesson)
    sams = reply(lesson["sam"], lesson["kims"], "First draft")
    kim, sam = client_for(lesson["kim"]), client_for(lesson["sam"])
    assert api_patch(kim, f"/api/replies/{sams.pk}/", {"text": "Hijacked"}).status_code == 403
    # Whose reply it is answers first, whatever else was sent.
    assert api_patch(kim, f"/api/replies/{sams.pk}/", {"text": "", "colour": "red"}).status_code == 403
    assert kim.delete(f"/api/replies/{sams.pk}/").status_code == 403
    assert client_for(lesson["kim"]).post(f"/replies/{sams.pk}/delete/").status_code == 302  # message, no change
    assert Reply.objects.get(pk=sams.pk).text == "First draft"
    edited = api_patch(sam, f"/api/replies/{sams.pk}/", {"text": "Second draft"})
    assert edited.status_code == 200
    assert edited.json()["text"] == "Second draft" and edited.json()["edited"]
    assert api_patch(sam, f"/api/replies/{sams.pk}/", {"text": "z" * 5001}).status_code == 400
    assert sam.delete(f"/api/replies/{sams.pk}/").status_code == 204
    assert not Reply.objects.exists()
    assert sam.delete(f"/api/replies/{sams.pk}/").status_code == 404


def test_a_deleted_reply_that_others_answered_stays_as_a_placeholder(lesson):
    open_discussion(lesson)
    first = reply(lesson["sam"], lesson["kims"], "Question")
    answer = reply(lesson["kim"], lesson["kims"], "Answer", parent=first.pk)
    services.delete_reply(lesson["sam"], first.pk)
    first.refresh_from_db()
    assert first.removed and first.text == ""
    page = htmx_client_for(lesson["lee"]).get(f"/claims/{lesson['kims'].pk}/discussion/").content.decode()
    assert "Deleted by its author." in page and "Answer" in page and "Question" not in page
    # When the last answer goes, the placeholder goes too.
    services.delete_reply(lesson["kim"], answer.pk)
    assert not Reply.objects.exists()


def test_one_level_of_nesting_an_answer_to_an_answer_joins_its_list(lesson):
    open_discussion(lesson)
    top = reply(lesson["sam"], lesson["kims"], "Top")
    answer = reply(lesson["kim"], lesson["kims"], "Answer", parent=top.pk)
    deeper = reply(lesson["lee"], lesson["kims"], "Deeper", parent=answer.pk)
    assert (answer.parent_id, deeper.parent_id) == (top.pk, top.pk)
    elsewhere = reply(lesson["sam"], lesson["sams"], "Other thread")
    response = api_post(client_for(lesson["kim"]), replies_url(lesson["kims"]), {"text": "x", "parent": elsewhere.pk})
    assert response.status_code == 400
    assert response.json()["field"] == "parent"


def test_a_reply_may_point_to_a_passage_of_another_article(lesson):
    open_discussion(lesson)
    b = lesson["b"]
    sam = client_for(lesson["sam"])
    response = api_post(sam, replies_url(lesson["kims"]), {"text": "See this", **passage(b, "praised the attack")})
    assert response.status_code == 201, response.content
    evidence = response.json()["evidence"]
    assert evidence == {"article": "b", "start": b.body.index("praised the attack"),
                        "end": b.body.index("praised the attack") + 18, "exact": "praised the attack",
                        "anchor": "anchored"}
    saved = Reply.objects.get()
    assert (saved.to_prefix, saved.to_suffix) == (b.body[: saved.to_start][-32:], b.body[saved.to_end:][:32])
    page = htmx_client_for(lesson["kim"]).get(f"/claims/{lesson['kims'].pk}/discussion/").content.decode()
    assert "See this" in page and "praised the attack" in page and 'href="/articles/b/"' in page
    bad = [
        (passage(lesson["a"], "Kremlin said"), 400, "to_article"),
        ({"to_article": "b", "to_start": 0, "to_end": 5, "to_exact": "Wrong"}, 400, "to_exact"),
        ({"to_article": "b", "to_start": 5, "to_end": 500, "to_exact": "x"}, 400, "to_end"),
        ({"to_article": "nope", "to_start": 0, "to_end": 5, "to_exact": "PressTV"[:5]}, 404, "to_article"),
        ({"to_start": 0, "to_end": 5, "to_exact": "Press"}, 400, "to_article"),
        ({"to_article": "b", "to_start": 0}, 400, "to_end"),
    ]
    for extra, status, field in bad:
        response = api_post(sam, replies_url(lesson["kims"]), {"text": "x", **extra})
        assert (response.status_code, response.json()["field"]) == (status, field), extra
    assert Reply.objects.count() == 1
    # Removing the passage in an edit.
    assert api_patch(sam, f"/api/replies/{saved.pk}/", {"to_article": None}).json()["evidence"] is None


def test_the_evidence_panel_lists_related_passages_and_checks_the_choice(lesson):
    open_discussion(lesson)
    kim = htmx_client_for(lesson["kim"])
    claim = lesson["sams"]
    panel = kim.get(f"/claims/{claim.pk}/discussion/evidence/", {"form": f"c{claim.pk}"})
    assert panel.status_code == 200
    assert "PressTV story" in panel.content.decode()  # article b's passage about Putin
    picker = kim.get(f"/claims/{claim.pk}/discussion/evidence/articles/b/", {"form": f"c{claim.pk}"})
    assert 'data-article="b"' in picker.content.decode()
    assert kim.get(f"/claims/{claim.pk}/discussion/evidence/articles/a/", {"form": f"c{claim.pk}"}).status_code == 404
    chosen = kim.post(f"/claims/{claim.pk}/discussion/evidence/chosen/",
                      {"form": f"c{claim.pk}", **passage(lesson["b"], "Putin praised")})
    assert chosen.status_code == 200
    assert 'name="to_exact" value="Putin praised"' in chosen.content.decode()
    wrong = kim.post(f"/claims/{claim.pk}/discussion/evidence/chosen/",
                     {"form": f"c{claim.pk}", "to_article": "b", "to_start": "0", "to_end": "5", "to_exact": "nope!"})
    assert wrong.status_code == 422 and wrong["HX-Retarget"] == f"#ev-error-c{claim.pk}"
    # Before the reveal there is no form to pick for.
    lesson["exercise"].discussion = False
    lesson["exercise"].save()
    assert kim.get(f"/claims/{claim.pk}/discussion/evidence/", {"form": f"c{claim.pk}"}).status_code == 404


# Moderation


def test_the_teacher_hides_a_reply_students_no_longer_see_it_the_teacher_sees_who_and_when(lesson):
    open_discussion(lesson)
    kept = reply(lesson["sam"], lesson["kims"], "A fair point")
    rude = reply(lesson["lee"], lesson["kims"], "A rude remark")
    response = htmx_client_for(lesson["teacher"]).post(f"/replies/{rude.pk}/hide/", {"hidden": "1"})
    assert response.status_code == 200
    assert "Hidden from students by teach" in response.content.decode()
    rude.refresh_from_db()
    assert rude.hidden_at is not None and rude.hidden_by == lesson["teacher"] and rude.text == "A rude remark"
    texts = [r["text"] for r in client_for(lesson["kim"]).get(replies_url(lesson["kims"])).json()["results"]]
    assert texts == ["A fair point"]
    page = htmx_client_for(lesson["kim"]).get(f"/claims/{lesson['kims'].pk}/discussion/").content.decode()
    assert "A rude remark" not in page
    assert client_for(lesson["kim"]).get(f"/api/replies/{rude.pk}/").status_code == 404
    # Its author still sees it, marked; the teacher sees who hid it.
    mine = client_for(lesson["lee"]).get(f"/api/replies/{rude.pk}/").json()
    assert mine["hidden"] is True and "hidden_by" not in mine
    assert client_for(lesson["teacher"]).get(f"/api/replies/{rude.pk}/").json()["hidden_by"] == "teach"
    # Reading the discussion page: the count on the card leaves it out.
    discussion = client_for(lesson["kim"]).get(f"/exercises/{lesson['exercise'].pk}/discussion/a/").content.decode()
    assert "Discussion (1)" in discussion
    # Shown again.
    services.hide_reply(lesson["teacher"], rude.pk, hidden=False)
    shown = client_for(lesson["kim"]).get(replies_url(lesson["kims"])).json()["results"]
    assert [(r["id"], r["text"]) for r in shown] == [(kept.pk, "A fair point"), (rude.pk, "A rude remark")]


def test_the_teacher_hides_a_claim_from_students_everywhere_but_its_author_keeps_it(lesson):
    open_discussion(lesson)
    reply(lesson["sam"], lesson["kims"], "On Kim's claim")
    htmx_client_for(lesson["teacher"]).post(f"/claims/{lesson['kims'].pk}/discussion/hide/", {"hidden": "1"})
    moderation = ClaimModeration.objects.get(claim=lesson["kims"])
    assert moderation.hidden_by == lesson["teacher"] and moderation.hidden_at
    sam = client_for(lesson["sam"])
    assert sam.get(f"/api/annotations/{lesson['kims'].pk}/").status_code == 404
    assert sam.get(replies_url(lesson["kims"])).status_code == 404
    assert f'data-claim="{lesson["kims"].pk}"' not in sam.get(
        f"/exercises/{lesson['exercise'].pk}/discussion/a/").content.decode()
    assert "a strongman" not in text_of(sam.get("/export/annotations.csv", {"article": "a"}))
    # Kim (its author) still has their work, marked; the teacher sees who hid it.
    assert client_for(lesson["kim"]).get(f"/api/annotations/{lesson['kims'].pk}/").status_code == 200
    mine = client_for(lesson["kim"]).get(f"/exercises/{lesson['exercise'].pk}/articles/a/").content.decode()
    assert "Your teacher hid this claim from the class" in mine
    dashboard = client_for(lesson["teacher"]).get(f"/exercises/{lesson['exercise'].pk}/discussion/a/").content.decode()
    assert "Hidden from students by teach" in dashboard
    services.hide_claim(lesson["teacher"], lesson["kims"].pk, hidden=False)
    assert sam.get(f"/api/annotations/{lesson['kims'].pk}/").status_code == 200


def test_students_flag_replies_and_the_teacher_sees_them_on_the_flags_page(lesson):
    open_discussion(lesson)
    sams = reply(lesson["sam"], lesson["kims"], "Something questionable")
    kim = client_for(lesson["kim"])
    assert kim.post(f"/api/replies/{sams.pk}/flag/").status_code == 201
    assert kim.post(f"/api/replies/{sams.pk}/flag/").status_code == 409
    assert client_for(lesson["sam"]).post(f"/api/replies/{sams.pk}/flag/").status_code == 400
    assert client_for(lesson["outsider"]).post(f"/api/replies/{sams.pk}/flag/").status_code == 404
    assert Flag.objects.count() == 1
    url = f"/exercises/{lesson['exercise'].pk}/flags/"
    assert client_for(lesson["kim"]).get(url).status_code == 404
    other = make_teacher("other-teacher")
    assert client_for(other).get(url).status_code == 404
    page = client_for(lesson["teacher"]).get(url).content.decode()
    assert "Something questionable" in page and "Flagged by 1: kim" in page and "sam" in page
    # What's new points the teacher there.
    assert url in client_for(lesson["teacher"]).get("/whats-new/").content.decode()
    # Hiding from the flags page (a plain form) comes back to it.
    response = client_for(lesson["teacher"]).post(f"/replies/{sams.pk}/hide/", {"hidden": "1", "next": url})
    assert response.status_code == 302 and response["Location"] == url
    client_for(lesson["teacher"]).post(f"/replies/{sams.pk}/flags/clear/", {"next": url})
    assert not Flag.objects.exists()


# What's new


def test_whats_new_lists_replies_to_my_claims_and_in_threads_i_joined_with_unread_counts(lesson):
    open_discussion(lesson)
    sam, kim = client_for(lesson["sam"]), client_for(lesson["kim"])
    first = reply(lesson["sam"], lesson["kims"], "Sam asks Kim")
    assert services.unread_count(lesson["kim"]) == 1
    assert services.unread_count(lesson["sam"]) == 0  # their own reply is not news to them
    assert services.unread_count(lesson["lee"]) == 0  # not their thread
    header = kim.get("/").content.decode()
    assert "What's new" in header and 'title="1 unread">(1)</span>' in header
    news = kim.get("/whats-new/").content.decode()
    assert "Sam asks Kim" in news and "Your claim" in news and "1 unread" in news
    # Reading the thread marks it read.
    kim.get(f"/claims/{lesson['kims'].pk}/discussion/")
    assert services.unread_count(lesson["kim"]) == 0
    # Kim answers: Sam joined that thread, so it is news for Sam.
    reply(lesson["kim"], lesson["kims"], "Kim answers", parent=first.pk)
    assert services.unread_count(lesson["sam"]) == 1
    news = sam.get("/whats-new/").content.decode()
    assert "Kim answers" in news and "A thread you joined" in news and "Student B" in news and ">kim<" not in news
    sam.post("/whats-new/read/")
    assert services.unread_count(lesson["sam"]) == 0
    # A hidden reply is no news to anyone but its author and the teacher.
    rude = reply(lesson["lee"], lesson["kims"], "Rude")
    services.hide_reply(lesson["teacher"], rude.pk)
    assert services.unread_count(lesson["kim"]) == 0


def test_the_card_shows_the_count_and_the_htmx_thread_updates_it(lesson):
    open_discussion(lesson)
    reply(lesson["sam"], lesson["kims"], "One")
    page = client_for(lesson["kim"]).get(f"/exercises/{lesson['exercise'].pk}/discussion/a/").content.decode()
    assert f'id="disc-count-{lesson["kims"].pk}"' in page
    assert "Discussion (1) · <strong class=\"disc-new\">1 new</strong>" in page
    assert "discussion.css" in page and "Discussion</span>" in page  # the sidebar's thread list
    response = htmx_client_for(lesson["kim"]).post(f"/claims/{lesson['kims'].pk}/discussion/replies/",
                                                   {"text": "Two", "place": "card"})
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<span id="disc-count-{lesson["kims"].pk}" hx-swap-oob="true">' in html and "Discussion (2)" in html
    assert 'id="whats-new-count" hx-swap-oob="true"' in html


def test_the_reader_reads_discussion_counts_in_a_constant_number_of_queries(lesson):
    body = "Headline\n" + " ".join(f"Claim number {i} is here." for i in range(30))
    art = make_article("many", body)
    author = lesson["outsider"]
    reader = lesson["lee"]

    def claims(numbers):
        for i in numbers:
            claim = make_claim(author, art, f"Claim number {i} ", "disputed", visibility="public")
            reply(reader, claim, f"Reply {i}")

    def queries():
        client = client_for(author)
        client.get("/articles/many/")
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/articles/many/").status_code == 200
        return len(captured)

    claims(range(2))
    few = queries()
    claims(range(2, 12))
    assert queries() == few


# Export


def test_replies_csv_is_spreadsheet_safe_and_anonymised_for_students(lesson):
    open_discussion(lesson)
    reply(lesson["sam"], lesson["kims"], "=HYPERLINK(\"http://evil\")")
    reply(lesson["kim"], lesson["kims"], "@SUM(1)", **passage(lesson["b"], "Putin praised"))
    text = text_of(client_for(lesson["lee"]).get("/export/replies.csv"))
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == ["id", "claim", "parent", "article", "author", "text", "to_article", "to_start", "to_end",
                             "to_quote", "to_anchor", "hidden", "deleted", "created", "modified"]
    assert [r["text"] for r in rows] == ["'=HYPERLINK(\"http://evil\")", "'@SUM(1)"]
    assert [r["author"] for r in rows] == ["Student A", "Student B"]
    assert rows[1]["to_quote"] == "Putin praised" and rows[1]["to_article"] == "b"
    assert rows[0]["created"].endswith("Z")
    # The teacher exports usernames; an outsider exports nothing of the class.
    teacher_rows = list(csv.DictReader(io.StringIO(text_of(client_for(lesson["teacher"]).get(
        "/export/replies.csv", {"exercise": lesson["exercise"].pk})))))
    assert [r["author"] for r in teacher_rows] == ["sam", "kim"]
    assert len(list(csv.DictReader(io.StringIO(text_of(client_for(lesson["outsider"]).get(
        "/export/replies.csv")))))) == 0
    assert client_for(lesson["lee"]).get("/export/replies.csv", {"article": "nope"}).status_code == 404
    assert text_of(client_for(lesson["lee"]).get("/export/replies.csv", {"bom": "1"})).startswith("\ufeff")


def test_replies_jsonld_are_replying_annotations_targeting_their_claim(lesson):
    open_discussion(lesson)
    top = reply(lesson["sam"], lesson["kims"], "Top", **passage(lesson["b"], "Putin praised"))
    answer = reply(lesson["kim"], lesson["kims"], "Answer", parent=top.pk)
    response = client_for(lesson["lee"]).get("/export/replies.jsonld")
    assert response["Content-Type"].startswith("application/ld+json")
    data = json.loads(b"".join(response.streaming_content))
    assert data["type"] == "AnnotationCollection" and data["total"] == 2
    first, second = data["first"]["items"]
    assert first["motivation"] == second["motivation"] == "replying"
    assert first["target"] == f"urn:annotator:annotation:{lesson['kims'].pk}"
    assert second["target"] == f"urn:annotator:reply:{top.pk}" and second["id"] == f"urn:annotator:reply:{answer.pk}"
    assert first["body"][0] == {"type": "TextualBody", "purpose": "replying", "value": "Top", "format": "text/plain"}
    assert first["body"][1]["source"] == "urn:annotator:article:b"
    assert first["creator"] == {"type": "Person", "nickname": "Student A"}


def test_a_replys_see_this_passage_names_its_articles_publisher_as_a_links_target_does(lesson):
    open_discussion(lesson)
    Article.objects.filter(slug="b").update(outlet="PressTV", language="en")
    outlets.create_outlet(lesson["teacher"], {"name": "presstv", "kind": "state", "country": "Iran"})
    gazette = make_article("gazette", "Gazette story\nPutin praised nobody.", outlet="The Gazette")
    reply(lesson["sam"], lesson["kims"], "Profiled", **passage(lesson["b"], "Putin praised"))
    reply(lesson["sam"], lesson["kims"], "Named only", **passage(gazette, "Putin praised"))
    make_link(lesson["kim"], lesson["kims"], lesson["b"], "Putin praised")
    replies = json.loads(text_of(client_for(lesson["lee"]).get("/export/replies.jsonld")))["first"]["items"]
    profiled, named = (item["body"][1] for item in replies)
    assert profiled["source"] == {
        "id": "urn:annotator:article:b", "type": "Text",
        "schema:publisher": {"id": "urn:annotator:outlet:presstv", "type": "schema:Organization",
                             "schema:name": "presstv", "schema:additionalType": "State broadcaster or state media",
                             "schema:location": "Iran"}}
    assert profiled["language"] == "en" and profiled["purpose"] == "linking"
    assert named["source"] == {"id": "urn:annotator:article:gazette", "type": "Text",
                               "schema:publisher": {"type": "schema:Organization", "schema:name": "The Gazette"}}
    # The passage is the one a link to the same words carries, with the reply's purpose and anchor.
    claims = json.loads(text_of(client_for(lesson["teacher"]).get(
        "/export/annotations.jsonld", {"exercise": lesson["exercise"].pk})))["first"]["items"]
    link = next(item for item in claims if item["motivation"] == "linking")
    assert {k: v for k, v in profiled.items() if k not in ("purpose", "schema:creativeWorkStatus")} == link["body"][-1]


# Errors keep the API's shape


def test_api_errors_have_the_usual_shape(lesson):
    open_discussion(lesson)
    sam = client_for(lesson["sam"])
    response = sam.post(replies_url(lesson["kims"]), "not json", content_type="application/json")
    assert response.status_code == 400 and "error" in response.json()
    assert sam.put(replies_url(lesson["kims"])).status_code == 405
    assert api_post(Client(), replies_url(lesson["kims"]), {"text": "x"}).status_code == 401
    assert Client().get("/api/replies/1/").status_code == 404
    listed = sam.get(replies_url(lesson["kims"]))
    assert listed.json() == {"results": [], "next": None}


# Moderation through the API


def moderation_url(claim):
    return f"/api/annotations/{claim.pk}/moderation/"


def test_the_teacher_hides_and_locks_a_claim_through_the_api(lesson):
    open_discussion(lesson)
    teacher = client_for(lesson["teacher"])
    assert teacher.get(moderation_url(lesson["kims"])).json() == {
        "claim": lesson["kims"].pk, "hidden": False, "hidden_at": None, "hidden_by": None,
        "locked": False, "locked_at": None, "locked_by": None}
    state = api_patch(teacher, moderation_url(lesson["kims"]), {"hidden": True, "locked": True}).json()
    assert state["hidden"] is True and state["hidden_by"] == "teach" and state["hidden_at"]
    assert state["locked"] is True and state["locked_by"] == "teach"
    assert client_for(lesson["sam"]).get(f"/api/annotations/{lesson['kims'].pk}/").status_code == 404
    refused = api_post(client_for(lesson["kim"]), replies_url(lesson["kims"]), {"text": "Still here?"})
    assert refused.status_code == 403 and not Reply.objects.filter(claim=lesson["kims"]).exists()
    state = api_patch(teacher, moderation_url(lesson["kims"]), {"hidden": False}).json()
    assert state["hidden"] is False and state["hidden_by"] is None and state["locked"] is True


def test_a_student_cannot_moderate_even_their_own_claim_and_nothing_changes(lesson):
    open_discussion(lesson)
    kim, sam = client_for(lesson["kim"]), client_for(lesson["sam"])
    response = api_patch(kim, moderation_url(lesson["kims"]), {"hidden": True})
    assert response.status_code == 403 and response.json()["field"] == "claim"
    assert api_patch(sam, moderation_url(lesson["kims"]), {"locked": True}).status_code == 403
    outsider = api_patch(client_for(lesson["outsider"]), moderation_url(lesson["kims"]), {"locked": True})
    assert outsider.status_code == 404
    assert api_patch(Client(), moderation_url(lesson["kims"]), {"locked": True}).status_code == 401
    assert not ClaimModeration.objects.exists()


@pytest.mark.parametrize("body, field", [
    ({}, "hidden"), ({"hidden": "yes"}, "hidden"), ({"locked": 1}, "locked"), ({"deleted": True}, "deleted")])
def test_a_bad_moderation_request_is_refused_and_changes_nothing(lesson, body, field):
    open_discussion(lesson)
    response = api_patch(client_for(lesson["teacher"]), moderation_url(lesson["kims"]), body)
    assert response.status_code == 400 and response.json()["field"] == field
    assert not ClaimModeration.objects.exists()


def test_the_teacher_hides_a_reply_through_the_api_and_shows_it_again(lesson):
    open_discussion(lesson)
    rude = reply(lesson["lee"], lesson["kims"], "A rude remark")
    teacher, url = client_for(lesson["teacher"]), f"/api/replies/{rude.pk}/moderation/"
    state = api_patch(teacher, url, {"hidden": True}).json()
    assert state == {"reply": rude.pk, "hidden": True, "hidden_at": state["hidden_at"], "hidden_by": "teach"}
    assert client_for(lesson["kim"]).get(f"/api/replies/{rude.pk}/").status_code == 404
    assert api_patch(client_for(lesson["lee"]), url, {"hidden": False}).status_code == 403
    assert api_patch(teacher, url, {"hidden": "no"}).status_code == 400
    assert api_patch(teacher, url, {"hidden": False}).json()["hidden"] is False
    assert client_for(lesson["kim"]).get(f"/api/replies/{rude.pk}/").status_code == 200


def test_only_the_exercise_teacher_switches_its_replies_off_through_the_api(lesson):
    open_discussion(lesson)
    url = f"/api/exercises/{lesson['exercise'].pk}/discussion/"
    teacher = client_for(lesson["teacher"])
    assert teacher.get(url).json() == {"exercise": lesson["exercise"].pk, "discussion": True, "replies_off": False}
    assert api_patch(client_for(lesson["sam"]), url, {"replies_off": True}).status_code == 404
    assert api_patch(teacher, url, {"replies_off": "on"}).status_code == 400
    assert api_patch(teacher, url, {"replies_off": True}).json()["replies_off"] is True
    refused = api_post(client_for(lesson["sam"]), replies_url(lesson["kims"]), {"text": "Anyone?"})
    assert refused.status_code == 403
