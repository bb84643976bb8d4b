"""The exercise form: every aria-describedby names an element of the page, articles are
listed by title, outlet and date with their opening words and a preview, times say their
zone, and changing the articles after students submitted asks for a confirmation."""

import re

import pytest
from django.utils import timezone

from annotator.classroom.models import Submission

from .factories import client_for


def form_data(lesson, articles, **extra):
    return {"title": "Restraint or praise?", "articles": [a.pk for a in articles], "labels": ["attributed", "disputed"],
            "min_contradicting_links": "0", "required_link_relation": "contradicts", "reveal_policy": "on_submit", **extra}


def test_every_description_the_form_points_to_exists(lesson):
    page = client_for(lesson["teacher"]).get(f"/classes/{lesson['classroom'].pk}/exercises/new/").content.decode()
    ids = set(re.findall(r'id="([^"]+)"', page))
    described = {one for value in re.findall(r'aria-describedby="([^"]+)"', page) for one in value.split()}
    assert described and described <= ids, described - ids


def test_articles_are_listed_by_title_with_outlet_date_opening_and_a_preview(lesson):
    a = lesson["a"]
    a.outlet = "Kremlin.ru"
    a.save()
    page = client_for(lesson["teacher"]).get(f"/classes/{lesson['classroom'].pk}/exercises/new/").content.decode()
    choice = page[page.index("<strong>Kremlin readout</strong>"):]
    choice = choice[: choice.index("</li>")]
    assert "<span>Kremlin.ru</span>" in choice and "<span>undated</span>" in choice
    assert "Putin urged restraint, the Kremlin said." in choice  # the opening words, after the headline
    assert 'href="/articles/a/" target="_blank" rel="noopener" aria-label="Preview Kremlin readout' in choice


def test_the_opening_and_due_times_name_their_time_zone(lesson):
    page = client_for(lesson["teacher"]).get(f"/exercises/{lesson['exercise'].pk}/edit/").content.decode()
    assert 'id="id_due_helptext">Times are in UTC.' in page


@pytest.fixture
def submitted(lesson):
    Submission.objects.create(exercise=lesson["exercise"], student=lesson["sam"], submitted=timezone.now())
    return lesson


def test_changing_the_articles_after_a_submission_warns_and_needs_a_tick(submitted):
    exercise, teacher = submitted["exercise"], client_for(submitted["teacher"])
    url = f"/exercises/{exercise.pk}/edit/"
    page = teacher.get(url).content.decode()
    assert "1 student has already submitted." in page and 'name="confirm_article_change"' in page
    refused = teacher.post(url, form_data(submitted, [submitted["a"]])).content.decode()
    assert "1 student has already submitted: tick this box to change the articles anyway." in refused
    assert set(exercise.articles.values_list("slug", flat=True)) == {"a", "b"}
    teacher.post(url, form_data(submitted, [submitted["a"]], confirm_article_change="on"))
    assert list(exercise.articles.values_list("slug", flat=True)) == ["a"]


def test_other_changes_after_a_submission_need_no_tick(submitted):
    exercise = submitted["exercise"]
    response = client_for(submitted["teacher"]).post(
        f"/exercises/{exercise.pk}/edit/", form_data(submitted, [submitted["a"], submitted["b"]], title="Renamed"))
    assert response.status_code == 302
    exercise.refresh_from_db()
    assert exercise.title == "Renamed"


def test_before_any_submission_there_is_nothing_to_confirm(lesson):
    page = client_for(lesson["teacher"]).get(f"/exercises/{lesson['exercise'].pk}/edit/").content.decode()
    assert "confirm_article_change" not in page and "already submitted" not in page
