"""The class page: New code and Remove ask first, and the join link (with its QR code) opens
sign-up, or My exercises for someone signed in, with the code filled in."""

import re

from django.test import Client

from annotator.classroom.models import Membership

from .factories import client_for


def test_new_code_and_remove_change_nothing_without_their_confirmation(lesson):
    classroom, teacher = lesson["classroom"], client_for(lesson["teacher"])
    page = teacher.post(f"/classes/{classroom.pk}/rotate-code/", follow=True).content.decode()
    assert "Nothing changed: confirm to make a new code." in page
    page = teacher.post(f"/classes/{classroom.pk}/students/{lesson['sam'].pk}/remove/", follow=True).content.decode()
    assert "Nothing changed: confirm to remove a student." in page
    classroom.refresh_from_db()
    assert classroom.join_code == "maple-otter-42" and Membership.objects.filter(student=lesson["sam"]).exists()


def test_the_class_page_asks_before_new_code_and_remove(lesson):
    page = client_for(lesson["teacher"]).get(f"/classes/{lesson['classroom'].pk}/").content.decode()
    assert "<summary>New code…</summary>" in page
    assert 'name="confirm" value="yes">Make a new code</button>' in page
    assert "Remove sam from Period 3? Their work is kept." in page


def test_the_join_link_and_its_qr_code_are_on_the_class_page(lesson):
    page = client_for(lesson["teacher"]).get(f"/classes/{lesson['classroom'].pk}/").content.decode()
    assert 'value="http://testserver/accounts/signup/?code=maple-otter-42"' in page
    svg = re.search(r'<figure class="join-qr"><svg[^>]*>.*?</svg></figure>', page, re.S)
    assert svg and "<title>QR code of the join link of Period 3</title>" in svg.group()
    assert "style=" not in svg.group() and "<script" not in svg.group()  # the CSP allows neither


def test_the_join_link_fills_in_the_code_for_a_new_student_and_for_one_signed_in(lesson):
    signup = Client().get("/accounts/signup/?code=maple-otter-42").content.decode()
    assert 'value="maple-otter-42"' in signup
    signed_in = client_for(lesson["outsider"])
    response = signed_in.get("/accounts/signup/?code=maple-otter-42")
    assert response.status_code == 302 and response["Location"] == "/classes/?code=maple-otter-42"
    assert 'value="maple-otter-42"' in signed_in.get(response["Location"]).content.decode()
    assert client_for(lesson["outsider"]).get("/accounts/signup/")["Location"] == "/"
