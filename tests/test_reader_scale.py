"""The reader with many claims: the sidebar pages through them in text order, a page of cards
comes alone when asked with htmx, and what the reader remembers follows the database."""

import re

import pytest
from playwright.sync_api import expect

from annotator.annotations.anchoring import quote_selector
from annotator.annotations.models import Annotation

from .browser import sign_in
from .factories import client_for, make_article, make_user

LONG = "Headline here\n" + " ".join(f"word{n}" for n in range(400)) + "."


def many_claims(author, article, count):
    """`count` claims of one word each, word 0, 1, 2… in the order of the text."""
    found = list(re.finditer(r"word\d+", article.body))[:count]
    rows = []
    for n, match in enumerate(found):
        exact, prefix, suffix = quote_selector(article.body, match.start(), match.end())
        rows.append(Annotation(article=article, author=author, start=match.start(), end=match.end(), exact=exact,
                               prefix=prefix, suffix=suffix, label=("attributed", "disputed")[n % 2]))
    return Annotation.objects.bulk_create(rows)


def card_ids(page):
    return [int(pk) for pk in re.findall(r'id="claim-(\d+)"', page)]


def test_the_sidebar_pages_through_every_claim_in_the_order_of_the_text(reader):
    article = make_article("long", LONG)
    made = many_claims(reader, article, 60)
    client = client_for(reader)
    seen, address = [], article.get_absolute_url()
    while address:
        page = client.get(address.replace("&amp;", "&")).content.decode()
        seen += card_ids(page)
        later = re.search(r'<a [^>]*rel="next" [^>]*href="([^"]+)"', page)
        address = later and later.group(1)
    assert seen == [c.pk for c in made]
    last = client.get(article.get_absolute_url(), {"from": 50}).content.decode()
    assert "Claims 51–60 of 60" in last and 'rel="prev"' in last and "from=25" in last


def test_a_page_of_cards_asked_for_with_htmx_comes_without_the_text(reader):
    article = make_article("long", LONG)
    made = many_claims(reader, article, 30)
    response = client_for(reader).get(article.get_absolute_url(), {"from": 25}, HTTP_HX_REQUEST="true",
                                      HTTP_HX_TARGET="claim-page")
    page = response.content.decode()
    assert card_ids(page) == [c.pk for c in made[25:]]
    assert 'id="article-text"' not in page and "Claims 26–30 of 30" in page


@pytest.mark.parametrize("value", ["-1", "x", "1.5", "100001", "9" * 40])
def test_a_bad_first_card_is_a_clear_400(reader, value):
    article = make_article("long", LONG)
    response = client_for(reader).get(article.get_absolute_url(), {"from": value})
    assert response.status_code == 400
    assert "(from=) must be a whole number from 0 to 100,000" in response.content.decode()


def test_a_first_card_past_the_end_shows_the_last_page(reader):
    article = make_article("long", LONG)
    made = many_claims(reader, article, 30)
    page = client_for(reader).get(article.get_absolute_url(), {"from": 99}).content.decode()
    assert card_ids(page) == [c.pk for c in made[5:]]


def test_claims_changed_where_this_process_cannot_see_are_drawn_at_once(reader):
    """Another worker or server writes straight to the database: no signal reaches this
    process, and the next view still shows the change."""
    article = make_article("long", LONG)
    made = many_claims(reader, article, 3)
    client = client_for(reader)
    assert 'class="hl hl-disputed' in client.get(article.get_absolute_url()).content.decode()
    # A label changed as the service changes it (version and time move), without this process.
    Annotation.objects.filter(article=article, label="disputed").update(label="attributed", version=2)
    page = client.get(article.get_absolute_url()).content.decode()
    assert 'class="hl hl-disputed' not in page and "Disputed · 0" in page
    Annotation.objects.filter(pk=made[0].pk).delete()
    page = client.get(article.get_absolute_url()).content.decode()
    assert card_ids(page) == [c.pk for c in made[1:]]
    assert f"claim {made[0].pk}:" not in page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_clicking_a_highlight_whose_card_is_on_a_later_page_brings_that_page(live_server, page):
    article = make_article("long", LONG)
    made = many_claims(make_user("amira"), article, 60)
    sign_in(page, live_server, "amira")
    page.goto(live_server.url + article.get_absolute_url())
    expect(page.locator(".claim-list .card")).to_have_count(25)
    page.locator("mark.hl", has_text="word55").click()
    expect(page.locator(f"#claim-{made[55].pk}")).to_be_focused()
    expect(page.locator("#claim-page-status")).to_have_text("Claims 51–60 of 60, in the order of the text")
    # And by keyboard: the pager's links are links; focus lands on where the list now is.
    page.get_by_role("link", name="← Earlier claims").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#claim-page-status")).to_be_focused()
    expect(page.locator("#claim-page-status")).to_have_text("Claims 26–50 of 60, in the order of the text")
