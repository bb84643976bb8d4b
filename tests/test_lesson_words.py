"""The words of a lesson's pages: read-only reasons, confirmations, captions, what a teacher
is told about agreement, when a student hears about feedback."""

import csv
import io

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


def test_an_unmet_link_requirement_disables_submit_and_is_said_once_in_one_wording(lesson):
    exercise, sam = lesson["exercise"], lesson["sam"]
    exercise.min_contradicting_links = 1
    exercise.save()
    client = client_for(sam)
    page = client.get(f"/exercises/{exercise.pk}/").content.decode()
    said = "Link 1 more claim to a passage that contradicts it, in another article, before you submit."
    assert page.count(said) == 1
    assert '<button type="submit" disabled aria-describedby="submit-blocked">Submit my work</button>' in page
    # A form posted anyway (a stale page) is refused, and the reason still shows once.
    refused = client.post(f"/exercises/{exercise.pk}/submit/", {"confirm": "yes"}, follow=True).content.decode()
    assert refused.count(said) == 1


@pytest.mark.parametrize("policy, said", [
    ("manual", "Your teacher reveals the key and your feedback, usually in class"),
    ("on_submit", "You see the key and your feedback as soon as you submit."),
])
def test_a_student_is_told_when_feedback_comes(lesson, policy, said):
    exercise = lesson["exercise"]
    exercise.reveal_policy = policy
    exercise.save()
    client = client_for(lesson["sam"])
    assert said in client.get(f"/exercises/{exercise.pk}/").content.decode().replace("&#x27;", "'")
    early = client.get(f"/exercises/{exercise.pk}/feedback/", follow=True).content.decode()
    assert "No feedback yet." in early and "when I say so" not in early


def test_after_the_due_date_names_the_date_and_its_time_zone(lesson):
    from datetime import datetime, timezone

    exercise = lesson["exercise"]
    exercise.reveal_policy, exercise.due = "after_due", datetime(2031, 5, 1, 15, 30, tzinfo=timezone.utc)
    exercise.save()
    page = client_for(lesson["sam"]).get(f"/exercises/{exercise.pk}/").content.decode()
    assert "You see the key and your feedback after the due date (1 May 2031, 15:30 UTC)." in page


def test_an_attributed_claim_without_a_source_is_nudged_on_its_card_in_feedback_and_in_the_csv(lesson):
    from .factories import make_claim

    exercise, sam = lesson["exercise"], lesson["sam"]
    make_claim(sam, lesson["b"], "Putin praised the attack", exercise=exercise)  # attributed, no source
    client = client_for(sam)
    reader = client.get(f"/exercises/{exercise.pk}/articles/b/").content.decode()
    assert "No source named: who says so?" in reader
    assert 'class="help source-nudge"' in reader  # the tagging form's nudge, shown by CSS while the source is empty
    exercise.revealed = True
    exercise.save()
    feedback = client.get(f"/exercises/{exercise.pk}/feedback/").content.decode()
    assert "Attributed, but who says so?" in feedback and "2 attributed claims name no source." in feedback
    response = client_for(lesson["teacher"]).get(f"/exercises/{exercise.pk}/results.csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    summary = {row["student"]: row for row in rows if row["row"] == "summary"}
    assert summary["sam"]["attributed_without_source"] == "2"  # this claim and the one the lesson began with
    assert summary["kim"]["attributed_without_source"] == "0"


def test_key_building_goes_to_the_next_article_in_key_mode(lesson):
    exercise = lesson["exercise"]
    page = client_for(lesson["teacher"]).get(f"/exercises/{exercise.pk}/key/a/").content.decode()
    assert "Article 1 of 2" in page
    assert f'<a href="/exercises/{exercise.pk}/key/b/" rel="next">Next article: PressTV story →</a>' in page
    last = client_for(lesson["teacher"]).get(f"/exercises/{exercise.pk}/key/b/").content.decode()
    assert "Article 2 of 2" in last and 'rel="next"' not in last
    assert f'<a href="/exercises/{exercise.pk}/key/a/" rel="prev">' in last
    work = client_for(lesson["sam"]).get(f"/exercises/{exercise.pk}/articles/a/").content.decode()
    assert f'<a href="/exercises/{exercise.pk}/articles/b/" rel="next">' in work


@pytest.mark.parametrize("text, shown", [
    ("“It's time,” she said", "“It's time,” she said”"),
    ("“It's time,”", "“It's time,”"),
    ("Putin urged restraint", "“Putin urged restraint”"),
    ("the students'", "“the students'”"),
    ("<b>", "“&lt;b&gt;”"),
])
def test_a_quote_is_put_between_curly_quotes_without_doubling_its_own(text, shown):
    from annotator.annotations.templatetags.quotes import quoted

    assert quoted(text).replace("&#x27;", "'") == shown


def test_a_card_quoting_a_quotation_shows_its_marks_once(lesson):
    from annotator.annotations import services

    from .factories import make_article

    art = make_article("quoted", "Quoted story\n“It's time,” she said of the talks.")
    services.create_annotation(lesson["sam"], art, {"start": 13, "end": 25, "exact": "“It's time,”", "label": "attributed"})
    page = client_for(lesson["sam"]).get("/articles/quoted/").content.decode().replace("&#x27;", "'")
    assert "<blockquote dir=\"auto\">“It's time,”</blockquote>" in page and "““" not in page
