"""The reader's claim filters survive the reader's own writes: tagging, editing, deleting."""

import pytest
from playwright.sync_api import expect

from annotator.annotations import services
from annotator.annotations.models import Annotation
from annotator.corpus.models import Article

from .browser import drag_select, make_user, sign_in
from .factories import span

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SEED = "000_f75c1bf812ec66b2.txt"


def claim(user, article, phrase, label):
    return services.create_annotation(user, article, {**span(article, phrase), "label": label})


@pytest.fixture
def filtered(seeded, live_server, page):
    """Amira's reader with one editorialized and one disputed claim, filtered to editorialized."""
    amira = make_user("amira")
    article = Article.objects.get(source_file=SEED)
    claim(amira, article, "Russian strongman", "editorialized")
    claim(amira, article, "Vladimir Putin", "disputed")
    sign_in(page, live_server, "amira")
    page.goto(live_server.url + article.get_absolute_url())
    expect(page.locator(".card")).to_have_count(2)
    page.select_option("#filter-label", "editorialized")
    expect(page.locator(".card")).to_have_count(1)
    return page


def expect_still_filtered(page, cards):
    expect(page.locator("#filter-label")).to_have_value("editorialized")
    expect(page.locator(".card")).to_have_count(cards)
    expect(page.locator(".card.disputed")).to_have_count(0)


def test_tagging_a_claim_keeps_the_label_filter(filtered):
    drag_select(filtered, "propaganda outlet")
    filtered.keyboard.press("2")  # editorialized
    expect_still_filtered(filtered, cards=2)
    assert Annotation.objects.count() == 3


def test_editing_a_claim_keeps_the_label_filter(filtered):
    filtered.locator(".card.editorialized").get_by_role("button", name="Edit").click()
    filtered.locator(".edit-form textarea[name=note]").fill("a loaded title")
    filtered.locator(".edit-form").get_by_role("button", name="Save").click()
    expect(filtered.locator(".card.editorialized")).to_contain_text("a loaded title")
    expect_still_filtered(filtered, cards=1)


def test_deleting_a_claim_keeps_the_label_filter(filtered):
    drag_select(filtered, "propaganda outlet")
    filtered.keyboard.press("2")
    expect(filtered.locator(".card")).to_have_count(2)
    filtered.once("dialog", lambda dialog: dialog.accept())
    filtered.locator(".card.editorialized").first.get_by_role("button", name="Delete").click()
    expect_still_filtered(filtered, cards=1)
    assert Annotation.objects.count() == 2
