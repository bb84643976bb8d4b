"""The front page: every listed article, a page at a time, newest first, and a search over titles,
outlets and authors; each with the number of claims this reader may open."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from annotator.views import ARTICLES_PAGE

from .factories import client_for, make_article, make_claim, make_user


def titles(response):
    return [a.title for a in response.context["articles"]]


@pytest.fixture
def archive(db):
    """ARTICLES_PAGE + 5 dated articles, one a day, and one undated."""
    first = datetime.date(2026, 1, 1)
    dated = [make_article(f"day-{n:03d}", title=f"Report of day {n:03d}", published=first + datetime.timedelta(days=n),
                          outlet="Wire" if n % 2 else "Gazette", byline=f"Writer {n % 3}")
             for n in range(ARTICLES_PAGE + 5)]
    undated = make_article("undated", title="An undated essay")
    return dated, undated


def test_the_front_page_shows_one_page_of_articles_newest_first_and_undated_last(archive):
    dated, undated = archive
    first = Client().get(reverse("home"))
    assert first.status_code == 200
    assert titles(first) == [a.title for a in reversed(dated)][:ARTICLES_PAGE]
    page = first.content.decode()
    assert f"Articles 1–{ARTICLES_PAGE} of {ARTICLES_PAGE + 6}, newest first" in page
    assert 'rel="next" href="?page=2"' in page and 'rel="prev"' not in page
    second = Client().get(reverse("home"), {"page": "2"})
    assert titles(second) == [a.title for a in reversed(dated)][ARTICLES_PAGE:] + [undated.title]
    assert 'rel="prev" href="?page=1"' in second.content.decode()


@pytest.mark.parametrize("page", ["0", "-1", "abc", "999999999999999999999", ""])
def test_a_page_number_out_of_range_or_not_a_number_shows_a_real_page(archive, page):
    response = Client().get(reverse("home"), {"page": page})
    assert response.status_code == 200 and len(titles(response)) >= 1


def test_a_search_finds_articles_by_title_outlet_or_author_and_keeps_itself_across_pages(archive):
    by_title = Client().get(reverse("home"), {"q": "  undated   ESSAY "})
    assert titles(by_title) == ["An undated essay"]
    assert "1 article match “undated ESSAY”" in by_title.content.decode()
    assert len(titles(Client().get(reverse("home"), {"q": "gazette"}))) == (ARTICLES_PAGE + 5 + 1) // 2
    many = Client().get(reverse("home"), {"q": "report of"})
    assert len(titles(many)) == ARTICLES_PAGE and 'href="?q=report%20of&amp;page=2"' in many.content.decode()
    assert len(titles(Client().get(reverse("home"), {"q": "report of", "page": "2"}))) == 5
    assert len(titles(Client().get(reverse("home"), {"q": "Writer 1"}))) == (ARTICLES_PAGE + 5 + 1) // 3


def test_a_search_that_finds_nothing_says_so_and_offers_every_article(archive):
    response = Client().get(reverse("home"), {"q": "<script>nothing like this</script>"})
    page = response.content.decode()
    assert titles(response) == []
    assert "No article’s title, outlet or author holds “&lt;script&gt;nothing like this&lt;/script&gt;”" in page
    assert "<script>nothing" not in page


def test_claim_counts_are_only_what_this_reader_may_open_and_cost_no_query_per_article(archive):
    dated, _ = archive
    newest = dated[-1]
    author, stranger = make_user("author"), make_user("stranger")
    make_claim(author, newest, newest.body.split()[0], visibility="public")
    make_claim(author, newest, newest.body.split()[1], visibility="private")
    counts = {a.pk: a.claim_count for a in client_for(stranger).get(reverse("home")).context["articles"]}
    assert counts[newest.pk] == 1
    mine = {a.pk: a.claim_count for a in client_for(author).get(reverse("home")).context["articles"]}
    assert mine[newest.pk] == 2
    with CaptureQueriesContext(connection) as few:
        client_for(stranger).get(reverse("home"))
    for n in range(30):
        make_article(f"more-{n}", title=f"More {n}")
    with CaptureQueriesContext(connection) as more:
        client_for(stranger).get(reverse("home"))
    assert len(more) == len(few)


def test_a_search_with_a_nul_finds_nothing_and_breaks_nothing(archive):
    # PostgreSQL cannot compare text holding a NUL; the search must not reach it with one.
    response = Client().get(reverse("home"), {"q": "day\x00"})
    assert response.status_code == 200 and titles(response) == []
