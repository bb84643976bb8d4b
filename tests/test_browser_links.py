"""Linking claims across articles in a real Chromium: the panel, the picker, both ends, the map."""

import re

import pytest
from playwright.sync_api import expect

from annotator.annotations.models import Annotation, Link
from annotator.corpus.models import Article
from annotator.corpus.search import related_passages

from .browser import drag_select, sign_in
from .factories import make_article, make_claim, make_link, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CLAIM = "Putin praised Iran’s unprecedented, 300+ missile and drone assault against Israel"


def tag_claim(page, phrase, key="3"):
    """Select `phrase` in the reader with the mouse and tag it; return the saved claim."""
    drag_select(page, phrase)
    page.keyboard.press(key)
    expect(page.locator(".card blockquote", has_text=phrase[:40])).to_be_visible()
    return Annotation.objects.get(exact=phrase)


def open_panel(page, claim):
    page.locator(f"#claim-{claim.pk}").get_by_role("button", name="Find in other articles").click()
    panel = page.get_by_role("dialog", name="Find this claim in other articles")
    expect(panel).to_be_visible()
    expect(panel.get_by_role("heading", name="Find this claim in other articles")).to_be_focused()
    return panel


def test_done_when_link_a_claim_as_contradicted_and_see_it_at_both_ends_and_on_the_map(seeded, live_server, page):
    make_user("amira")
    first = seeded["000_f75c1bf812ec66b2.txt"]
    sign_in(page, live_server, "amira")
    page.goto(live_server.url + first.get_absolute_url())
    claim = tag_claim(page, CLAIM)

    panel = open_panel(page, claim)
    expected = related_passages(first, claim.start, claim.end, limit=10)
    best = expected[0]
    passages = panel.locator(".lp-passage")
    expect(passages).to_have_count(len(expected))
    expect(passages.first.locator(".lp-text-quote")).to_have_text(best["text"])
    expect(passages.first.locator("mark.term").first).to_be_visible()
    expect(panel.locator(f'[data-article="{first.slug}"]')).to_have_count(0)

    passages.first.get_by_role("button", name="Link this passage").click()
    expect(panel.locator("[data-link-chosen]")).to_contain_text(best["text"][:60])
    expect(panel.locator(".lp-chosen-label")).to_have_text("Passage to link")
    expect(panel.get_by_role("radio", name="corroborates the claim")).to_be_focused()
    panel.get_by_role("radio", name="contradicts the claim").check()
    panel.get_by_label("Note").fill("This article says Russia wants to avoid a larger war.")
    panel.get_by_role("button", name="Save link").click()

    # The reader redraws: the panel is gone and the card tells what the claim is linked to.
    card = page.locator(f"#claim-{claim.pk}")
    expect(page.locator(".link-panel")).to_have_count(0)
    expect(card.locator(".link-counts")).to_have_text("contradicted by 1")
    expect(card).to_be_focused()
    link = Link.objects.get()
    target = Article.objects.get(slug=best["article"])
    assert (link.source_annotation_id, link.relation, link.to_article) == (claim.pk, "contradicts", target)
    assert (link.to_start, link.to_end, link.to_exact) == (best["start"], best["end"], best["text"])
    expect(card.locator(".link")).to_contain_text(target.title[:40])

    # The other end: the passage is highlighted and says which claim it contradicts.
    card.locator(".link a").click()
    page.wait_for_url(re.compile(re.escape(target.get_absolute_url()) + f"#passage-{link.pk}$"))
    passage = page.locator(f'#article-text [data-link~="{link.pk}"]').first
    expect(passage).to_have_class(re.compile(r"\blt-contradicts\b"))
    expect(passage).to_have_class(re.compile(r"\bis-current\b"))
    expect(passage).to_be_in_viewport()
    backlink = page.locator(f"#backlink-{link.pk}")
    expect(backlink).to_contain_text("contradicts a claim in")
    expect(backlink).to_contain_text(first.title[:40])
    backlink.get_by_role("link", name=first.title).click()
    page.wait_for_url(re.compile(f"#claim-{claim.pk}$"))
    expect(page.locator(f"#claim-{claim.pk}")).to_be_focused()

    # The map has the edge, drawn dashed, and the claim's node opens it in its article.
    page.goto(live_server.url + "/map/")
    edge = page.locator("path.map-edge.contradicts")
    expect(edge).to_have_count(1)
    expect(edge).to_have_attribute("stroke-dasharray", re.compile(r"\d"))
    expect(page.locator(".map-table tbody tr")).to_have_count(1)
    node = page.locator(f'a.map-claim[data-claim="{claim.pk}"]')
    expect(node).to_have_attribute("href", f"{first.get_absolute_url()}#claim-{claim.pk}")
    node.click()
    page.wait_for_url(re.compile(f"#claim-{claim.pk}$"))
    expect(page.locator(f"#claim-{claim.pk}")).to_be_focused()


def test_open_the_other_article_in_the_panel_and_link_a_span_selected_with_the_mouse(seeded, live_server, page):
    make_user("amira")
    first, other = seeded["000_f75c1bf812ec66b2.txt"], seeded["001_37fc0e4533d6664d.txt"]
    sign_in(page, live_server, "amira")
    page.goto(live_server.url + first.get_absolute_url())
    claim = tag_claim(page, CLAIM)
    panel = open_panel(page, claim)

    listed = panel.locator(".lp-passage").filter(has=page.locator(f'[data-article="{other.slug}"]')).first
    listed_text = listed.locator(".lp-text-quote").inner_text()
    listed.get_by_role("button", name="Open article").click()
    picker = panel.locator("[data-picker]")
    expect(picker).to_be_visible()
    text = panel.locator(f"#picker-text-{claim.pk}")
    expect(text).to_be_focused()
    # The passage it was opened from is chosen already...
    expect(panel.locator("[data-link-chosen]")).to_contain_text(listed_text[:50])
    # ...but any other span can be selected instead; part-words snap to whole words.
    drag_select(page, "ussia wants to avoid a larger wa", container=f"#picker-text-{claim.pk}")
    expect(panel.locator("[data-link-chosen] q")).to_have_text("Russia wants to avoid a larger war")
    panel.get_by_role("radio", name="corroborates the claim").check()
    panel.get_by_role("button", name="Save link").click()
    expect(page.locator(f"#claim-{claim.pk} .link-counts")).to_have_text("corroborated by 1")
    link = Link.objects.get()
    start = other.body.index("Russia wants to avoid a larger war")
    assert (link.to_article, link.to_start, link.to_end) == (other, start, start + 34)
    assert link.to_exact == other.body[link.to_start : link.to_end] == "Russia wants to avoid a larger war"
    assert link.relation == "corroborates"


def test_keyboard_only_linking_in_an_article_with_emoji_anchors_in_code_points(live_server, page):
    claims_article = make_article("claims", "Depot report\nOfficials denied the strike on the fuel depot.")
    other = make_article("other", "Other report 🇺🇦👍🏽\nFlags 🇺🇦 first. Officials denied the strike, "
                                  "witnesses said. Smoke rose over the fuel depot all night.")
    claim = make_claim(make_user("amira"), claims_article, "Officials denied the strike on the fuel depot")
    sign_in(page, live_server, "amira")
    page.goto(live_server.url + claims_article.get_absolute_url())
    page.locator(f"#claim-{claim.pk}").get_by_role("button", name="Find in other articles").focus()
    page.keyboard.press("Enter")
    panel = page.get_by_role("dialog", name="Find this claim in other articles")
    expect(panel.get_by_role("heading", name="Find this claim in other articles")).to_be_focused()
    # Wait for the ranked passages to arrive, so the button focused is the one that stays.
    expect(panel.locator(".lp-passage").first).to_be_visible()
    panel.get_by_role("button", name="Open article").first.focus()
    page.keyboard.press("Enter")
    text = panel.locator(f"#picker-text-{claim.pk}")
    expect(text).to_be_focused()
    page.keyboard.press("Escape")  # drops the preselected passage's selection, not the panel
    expect(panel).to_be_visible()
    for _ in range(3):
        page.keyboard.press("s")  # the headline, "Flags 🇺🇦 first.", then the sentence wanted
    chosen = panel.locator("[data-link-chosen] q")
    expect(chosen).to_have_text("Officials denied the strike, witnesses said.")
    page.keyboard.press("Shift+ArrowLeft")
    expect(chosen).to_have_text("Officials denied the strike, witnesses")
    page.keyboard.press("Enter")
    expect(panel.get_by_role("radio", name="corroborates the claim")).to_be_focused()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    expect(panel.get_by_label("Note")).to_be_focused()
    page.keyboard.type("Same denial, other outlet")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator(f"#claim-{claim.pk} .link-counts")).to_have_text("corroborated by 1")
    link = Link.objects.get()
    wanted = "Officials denied the strike, witnesses"
    assert (link.to_start, link.to_end) == (other.body.index(wanted), other.body.index(wanted) + len(wanted))
    assert link.to_exact == wanted and link.note == "Same denial, other outlet"


def test_errors_show_in_the_panel_and_escape_closes_it_back_to_its_button(seeded, live_server, page,
                                                                       expected_statuses):
    expected_statuses.add(409)
    make_user("amira")
    first = seeded["000_f75c1bf812ec66b2.txt"]
    sign_in(page, live_server, "amira")
    page.goto(live_server.url + first.get_absolute_url())
    claim = tag_claim(page, CLAIM)
    panel = open_panel(page, claim)
    best = panel.locator(".lp-passage").first
    best.get_by_role("button", name="Link this passage").click()
    panel.get_by_role("radio", name="contradicts the claim").check()
    panel.get_by_role("button", name="Save link").click()
    expect(page.locator(".link-panel")).to_have_count(0)
    # The same passage and relation again: refused, and said so in the panel.
    panel = open_panel(page, claim)
    best = panel.locator(".lp-passage").first
    expect(best.locator(".lp-linked")).to_have_text("already linked: contradicts")
    best.get_by_role("button", name="Link this passage").click()
    panel.get_by_role("radio", name="contradicts the claim").check()
    panel.get_by_role("button", name="Save link").click()
    expect(panel.get_by_role("alert")).to_have_text("This claim already contradicts that passage.")
    assert Link.objects.count() == 1
    # Search, then Escape: the words go first, then the panel, and focus returns to the button.
    search = panel.get_by_role("searchbox", name="Search the other articles")
    search.fill("Lavrov")
    expect(panel.locator(".lp-summary")).to_contain_text("matching Lavrov")
    expect(panel.locator(".lp-passage mark.term").first).to_have_text("Lavrov")
    page.keyboard.press("Escape")
    expect(search).to_have_value("")
    page.keyboard.press("Escape")
    expect(page.locator(".link-panel")).to_have_count(0)
    opener = page.locator(f"#claim-{claim.pk}").get_by_role("button", name="Find in other articles")
    expect(opener).to_be_focused()
    expect(opener).to_have_attribute("aria-expanded", "false")


def test_deleting_a_link_from_the_card_keeps_the_claim_and_the_passage(seeded, live_server, page):
    user = make_user("amira")
    first, other = seeded["000_f75c1bf812ec66b2.txt"], seeded["002_8b1818b777817aec.txt"]
    claim = make_claim(user, first, CLAIM, "disputed")
    make_link(user, claim, other, "Lavrov")
    sign_in(page, live_server, "amira")
    page.goto(live_server.url + first.get_absolute_url())
    card = page.locator(f"#claim-{claim.pk}")
    expect(card.locator(".link-counts")).to_have_text("contradicted by 1")
    page.once("dialog", lambda dialog: dialog.accept())
    card.get_by_role("button", name=re.compile("Delete the link")).click()
    expect(card.locator(".link")).to_have_count(0)
    expect(page.locator("mark.hl-disputed").first).to_be_visible()
    assert not Link.objects.exists() and Annotation.objects.filter(pk=claim.pk).exists()
