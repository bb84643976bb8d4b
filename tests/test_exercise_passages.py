"""Inside an exercise, the passage picker offers the exercise's own articles, with a way to
widen the search to every article."""

import re

import pytest

from annotator.corpus.search import related_passages

from .factories import BODY_A, BODY_B, client_for, make_article, make_claim, make_class, make_exercise, make_teacher, make_user

OUTSIDE = "Outside story\nPutin praised restraint and urged the attack, wise or not, outside the lesson."


@pytest.fixture
def world(db):
    teacher, student = make_teacher("teach"), make_user("sam")
    a, b, outside = make_article("a", BODY_A), make_article("b", BODY_B), make_article("outside", OUTSIDE)
    exercise = make_exercise(make_class(teacher, [student]), [a, b])
    claim = make_claim(student, a, "Putin urged restraint", exercise=exercise)
    return {"student": student, "a": a, "outside": outside, "exercise": exercise, "claim": claim}


def listed_articles(html):
    return re.findall(r'data-article="([^"]+)"', html)


def test_an_exercise_claims_related_passages_come_only_from_the_exercises_other_articles(world):
    corpus_wide = {r["article"] for r in related_passages(world["a"], world["claim"].start, world["claim"].end)}
    assert "outside" in corpus_wide  # the corpus-wide search would offer it
    html = client_for(world["student"]).get(f"/claims/{world['claim'].pk}/links/").content.decode()
    assert listed_articles(html) == ["b"]
    assert "related passage in this exercise's other articles" in html
    assert "Also search articles outside this exercise" in html


def test_widening_the_search_offers_articles_outside_the_exercise(world):
    client = client_for(world["student"])
    html = client.get(f"/claims/{world['claim'].pk}/links/passages/?scope=all").content.decode()
    assert "outside" in listed_articles(html)
    assert "in other articles" in html


def test_a_search_for_words_in_an_exercise_stays_in_its_articles_until_widened(world):
    client = client_for(world["student"])
    url = f"/claims/{world['claim'].pk}/links/passages/"
    assert listed_articles(client.get(url, {"q": "praised"}).content.decode()) == ["b"]
    assert set(listed_articles(client.get(url, {"q": "praised", "scope": "all"}).content.decode())) == {"b", "outside"}


def test_a_claim_outside_any_exercise_has_no_scope_to_widen(world):
    claim = make_claim(world["student"], world["a"], "the Kremlin said")
    html = client_for(world["student"]).get(f"/claims/{claim.pk}/links/").content.decode()
    assert "outside this exercise" not in html
    assert "in other articles" in html


def test_an_exercise_of_one_article_searches_every_article(world):
    exercise = make_exercise(world["exercise"].classroom, [world["a"]], title="One article")
    claim = make_claim(world["student"], world["a"], "Critics called it", exercise=exercise)
    html = client_for(world["student"]).get(f"/claims/{claim.pk}/links/passages/", {"q": "praised"}).content.decode()
    assert set(listed_articles(html)) == {"b", "outside"} and "outside this exercise" not in html
