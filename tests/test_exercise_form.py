"""The exercise form: every aria-describedby names an element of the page, articles are
listed by title, outlet and date with their opening words and a preview, times say their
zone, and changing the articles after students submitted asks for a confirmation."""

import datetime
import re

import pytest
from django.utils import timezone

from annotator.classroom.forms import ARTICLES_OFFERED
from annotator.classroom.models import Exercise, Submission

from .factories import client_for, make_article


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


# --- a large archive: the form offers the chosen articles and a searchable few, never them all ---

@pytest.fixture
def archive(lesson):
    """ARTICLES_OFFERED + 5 more articles, dated one a day (newer than lesson's undated a and b)."""
    first = datetime.date(2026, 1, 1)
    return [make_article(f"report-{n:03d}", f"Report {n:03d}\nThe council met on day {n}.",
                         published=first + datetime.timedelta(days=n), outlet="Gazette" if n % 2 else "Wire")
            for n in range(ARTICLES_OFFERED + 5)]


def offered(page):
    return re.findall(r'name="articles" value="(\d+)"', page)


def test_a_new_exercise_offers_the_newest_articles_and_says_there_are_more(lesson, archive):
    page = client_for(lesson["teacher"]).get(f"/classes/{lesson['classroom'].pk}/exercises/new/").content.decode()
    assert offered(page) == [str(a.pk) for a in reversed(archive)][:ARTICLES_OFFERED]
    assert "More articles are in the archive: these are the newest; search to find others." in page


def test_editing_offers_the_exercises_own_articles_first_and_ticked_however_old(lesson, archive):
    page = client_for(lesson["teacher"]).get(f"/exercises/{lesson['exercise'].pk}/edit/").content.decode()
    ids = offered(page)
    assert set(ids[:2]) == {str(lesson["a"].pk), str(lesson["b"].pk)} and len(ids) == ARTICLES_OFFERED + 2
    assert len(re.findall(r'name="articles" value="\d+"[^>]*checked', page)) == 2


def test_a_search_offers_matching_articles_after_the_ticked_ones(lesson, archive):
    teacher = client_for(lesson["teacher"])
    url = f"/classes/{lesson['classroom'].pk}/exercises/new/"
    oldest = archive[0]
    page = teacher.get(url, {"article_q": "  report  001 ", "articles": [str(oldest.pk), "x", "9" * 40]}).content.decode()
    assert offered(page) == [str(oldest.pk), str(archive[1].pk)]
    assert re.search(rf'name="articles" value="{oldest.pk}"[^>]*checked', page)
    assert 'value="report 001"' in page
    nothing = teacher.get(url, {"article_q": "<b>no such words</b>"}).content.decode()
    assert offered(nothing) == [] and "No article’s title, outlet or author holds “&lt;b&gt;no such words" in nothing


def test_an_article_the_form_did_not_offer_can_still_be_saved_but_an_archived_one_cannot(lesson, archive):
    teacher = client_for(lesson["teacher"])
    url = f"/classes/{lesson['classroom'].pk}/exercises/new/"
    oldest = archive[0]
    response = teacher.post(url, form_data(lesson, [oldest, lesson["a"]], title="From the back of the archive"))
    assert response.status_code == 302
    assert set(Exercise.objects.get(title="From the back of the archive").articles.all()) == {oldest, lesson["a"]}
    oldest.archived = True
    oldest.save()
    refused = teacher.post(url, form_data(lesson, [oldest, lesson["a"]], title="Archived only"))
    assert refused.status_code == 200 and "Select a valid choice" in refused.content.decode()
    assert not Exercise.objects.filter(title="Archived only").exists()
    # The refused form still offers what was posted, so nothing ticked vanishes from the page.
    assert offered(refused.content.decode())[0] == str(lesson["a"].pk)


def test_an_article_search_with_a_nul_finds_nothing_and_breaks_nothing(lesson, archive):
    page = client_for(lesson["teacher"]).get(f"/classes/{lesson['classroom'].pk}/exercises/new/",
                                             {"article_q": "report\x00"})
    assert page.status_code == 200 and offered(page.content.decode()) == []
