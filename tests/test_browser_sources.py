"""Lateral reading by source in a real browser: a claim's source, its page, another article's claim."""

import os
from pathlib import Path

import pytest
from django.core.management import call_command

from annotator.corpus.models import Article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("SCREENSHOTS", "/tmp/annotator-screenshots"))


@pytest.fixture
def demo(seeded):
    call_command("load_demo", verbosity=0)
    return {seed: Article.objects.get(source_file=name) for seed, name in (
        ("000", "000_f75c1bf812ec66b2.txt"), ("004", "004_405ef5057e510925.txt"))}


def test_a_reader_walks_from_a_claim_to_its_source_and_on_to_another_articles_claim(demo, live_server, page):
    page.goto(f"{live_server.url}/articles/{demo['000'].slug}/")
    page.locator("a.source-link", has_text="Russian presidential press service").first.click()
    page.wait_for_url(f"{live_server.url}/sources/kremlin/")
    assert page.locator("h1").inner_text() == "Kremlin"
    # The same office, to two outlets: the April call (Breitbart's piece) and the October readout.
    assert page.locator("h3").count() == 2
    assert page.locator(".source-links").first.inner_text().startswith("Corroborated by")
    page.locator("a.source-claim", has_text="Serious concerns were voiced").click()
    page.wait_for_url(f"{live_server.url}/articles/{demo['004'].slug}/#claim-*")
    assert page.locator("#article-text").inner_text().count("Serious concerns were voiced") == 1


def test_the_source_pages_fit_a_phone_and_a_desktop(demo, live_server, page):
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        for name, path in (("sources", "/sources/"), ("source", "/sources/kremlin/"), ("map", "/map/?source=kremlin"),
                           ("outlet", "/outlets/washington-examiner/"), ("reader", f"/articles/{demo['004'].slug}/"),
                           ("byline", f"/bylines/?name={demo['004'].byline}")):
            page.goto(live_server.url + path)
            if name not in ("map", "reader"):  # the map scrolls sideways inside its own frame, by design
                assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (name, width)
            page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)


def test_a_reader_goes_from_an_article_to_its_outlets_profile_and_the_authors_other_articles(demo, live_server, page):
    page.goto(f"{live_server.url}/articles/{demo['004'].slug}/")
    assert "Clarity Media Group" in page.locator(".outlet-card").inner_text()
    page.locator("a.outlet-link").click()
    page.wait_for_url(f"{live_server.url}/outlets/washington-examiner/")
    assert page.locator(".article-list li").count() == 1
    page.go_back()
    page.locator("a.byline-link").click()
    page.wait_for_url(f"{live_server.url}/bylines/?name=*")
    assert "Israel war" in page.locator(".article-list").inner_text()


def test_an_outlet_without_a_profile_offers_teachers_its_form_on_a_phone_and_a_desktop(demo, live_server, browser):
    # A page of its own: the strict `page` fixture fails on console errors, and Chromium
    # reports the find page's 404 (no profile yet) in the console.
    page = browser.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "teacher")
    page.fill("#id_password", "demo-pass-2026")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/**")
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        assert page.goto(f"{live_server.url}/outlets/find/?name=The+America+One+News").status == 404
        assert page.locator("h1").inner_text() == "The America One News"
        assert page.locator("#outlet-name").input_value() == "The America One News"
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), width
        page.screenshot(path=str(SHOTS / f"outlet-find-{width}.png"), full_page=True)
    page.select_option("#outlet-kind", "aggregator")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/outlets/the-america-one-news/")
    assert page.locator(".lede").inner_text() == "Aggregator"
    page.close()
