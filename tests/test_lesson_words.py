"""The words of a lesson's pages: read-only reasons, confirmations, captions, what a teacher
is told about agreement, when a student hears about feedback."""

import pytest
from django.test import Client

from .factories import client_for


def test_a_submitted_students_reader_says_it_is_locked_not_sign_in(lesson):
    exercise = lesson["exercise"]
    client_for(lesson["sam"]).post(f"/exercises/{exercise.pk}/submit/", {"confirm": "yes"})
    page = client_for(lesson["sam"]).get(f"/exercises/{exercise.pk}/articles/a/").content.decode()
    assert "Sign in</a> to tag claims" not in page
    assert "Read only: you submitted this work, so it is locked. Your teacher can reopen it." in page


def test_a_discussion_page_says_why_it_is_read_only(lesson):
    exercise = lesson["exercise"]
    exercise.discussion = True
    exercise.save()
    page = client_for(lesson["kim"]).get(f"/exercises/{exercise.pk}/discussion/a/").content.decode()
    assert "Sign in</a> to tag claims" not in page
    assert "Read only: the class discussion shows everyone's claims" in page


def test_a_signed_out_reader_is_still_asked_to_sign_in(lesson):
    assert "Sign in</a> to tag claims." in Client().get("/articles/a/").content.decode()


@pytest.mark.parametrize("switches, said, header", [
    ({"revealed": "1", "discussion": "1"}, "Discussion mode is on: the class sees everyone's work, anonymised, and the key",
     "key revealed to everyone"),
    ({"revealed": "1"}, "The key and feedback are revealed to everyone; discussion mode is off.", "key revealed to everyone"),
    ({}, "revealed to each student as soon as they submit; discussion mode is off.",
     "key revealed to each student as soon as they submit"),
])
def test_saving_the_reveal_switches_confirms_both_and_the_header_follows(lesson, switches, said, header):
    teacher = client_for(lesson["teacher"])
    page = teacher.post(f"/exercises/{lesson['exercise'].pk}/reveal/", switches, follow=True).content.decode()
    assert said in page.replace("&#x27;", "'")
    assert f"<span>{header}</span>" in page
    assert ("<span>discussion mode on</span>" in page) == ("discussion" in switches)


def test_the_dashboard_says_agreement_in_plain_words_once_per_chart_and_opens_no_article(lesson):
    page = client_for(lesson["teacher"]).get(f"/exercises/{lesson['exercise'].pk}/dashboard/").content.decode()
    assert "against what students said" not in page  # one caption, not a second help line saying it again
    assert "<caption>Answer key label (rows) against the label students gave (columns), over 3 students</caption>" in page
    assert 'Agreement: <strong class="alpha-band">no more agreement than chance</strong> <span class="alpha">(α' in page
    assert "Agreement: <strong class=\"alpha-band\">not enough to compare yet</strong></span>" in page
    assert '<details class="coverage-article">' in page and "coverage-article\" open" not in page
