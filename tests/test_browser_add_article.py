"""Adding an article in a real Chromium: paste, look at the cleaning, overrule it, save, annotate."""

import pytest
from playwright.sync_api import expect

from annotator.annotations.models import Annotation
from annotator.corpus.forms import MAX_PASTE_CHARS
from annotator.corpus.models import Article

from .browser import drag_select, sign_in
from .factories import make_teacher, make_user
from .test_add_article import HEADLINE, HOSTILE_HTML, PASTE, TAGLINE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SUBHEAD = "WHAT HAPPENS NEXT"


def paste_and_preview(page, live_server):
    page.goto(f"{live_server.url}/articles/add/")
    page.get_by_label("Paste the article").fill(PASTE)
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_role("heading", name="Check what will be stored")).to_be_visible()


def test_teacher_pastes_restores_a_line_fixes_the_title_saves_and_annotates(live_server, page):
    make_teacher("tess")
    sign_in(page, live_server, "tess")
    paste_and_preview(page, live_server)

    expect(page.locator(".clean-line.is-removed")).to_have_count(9)
    sponsor = page.locator(".clean-line", has_text="Sponsor: QuickLoans Direct")
    expect(sponsor.locator("del")).to_have_text("Sponsor: QuickLoans Direct")
    expect(sponsor.locator(".reason")).to_have_text("site chrome: sponsor line")
    expect(page.locator(".clean-line", has_text="You must be logged in")).to_contain_text("comment-form footer")
    expect(page.locator(".clean-line", has_text="By Anna Kowalski")).to_contain_text("byline → moved to byline")
    expect(page.get_by_label("Byline")).to_have_value("Anna Kowalski")
    expect(page.get_by_label("Title")).to_have_value(TAGLINE)
    assert Article.objects.count() == 0

    # The subhead was taken for a banner: put it back. The site's tagline is not the story's.
    subhead = page.locator(".clean-line", has_text=SUBHEAD)
    subhead.get_by_label("keep").check()
    # The strike goes as soon as the line is kept, before anything is sent.
    assert subhead.locator("del").evaluate("e => getComputedStyle(e).textDecorationLine") == "none"
    page.locator(".clean-line", has_text=TAGLINE).get_by_label("remove").check()
    page.get_by_label("Title").fill(HEADLINE)
    page.get_by_role("button", name="Save article").click()

    expect(page.locator("#article-text")).to_contain_text("The regional ferry company said on Monday")
    article = Article.objects.get()
    assert page.url == live_server.url + article.get_absolute_url()
    assert (article.title, article.title_derived) == (HEADLINE, False)
    assert article.body.startswith(HEADLINE + "\n") and SUBHEAD in article.body
    assert "You must be logged in" not in article.body and TAGLINE not in article.body
    expect(page.locator(".message")).to_contain_text(f"Added “{HEADLINE}”")

    drag_select(page, "fares on its island routes")
    page.keyboard.press("2")
    expect(page.locator("mark.hl-editorialized")).to_have_text("fares on its island routes")
    assert Annotation.objects.get().article == article


def test_lines_can_be_overruled_with_the_keyboard(live_server, page):
    make_teacher("tess")
    sign_in(page, live_server, "tess")
    paste_and_preview(page, live_server)
    toggle = page.locator(".clean-line", has_text="Share this article").get_by_label("keep")
    toggle.focus()
    page.keyboard.press("Space")
    expect(toggle).to_be_checked()


def test_several_files_are_previewed_and_saved_one_by_one_in_place(live_server, page, tmp_path):
    make_teacher("tess")
    sign_in(page, live_server, "tess")
    (tmp_path / "ferry.txt").write_text(PASTE)
    (tmp_path / "library.html").write_text(HOSTILE_HTML)
    page.goto(f"{live_server.url}/articles/add/")
    page.get_by_label("Or upload files").set_input_files([tmp_path / "ferry.txt", tmp_path / "library.html"])
    page.get_by_role("button", name="Preview").click()
    library = page.locator("section.preview", has_text="library.html")
    expect(page.locator("section.preview")).to_have_count(2)
    library.get_by_role("button", name="Save article").click()
    expect(library.get_by_role("status")).to_contain_text("Saved as Library Opens Late Hours")
    ferry = page.locator("section.preview", has_text="ferry.txt")
    expect(ferry.get_by_role("button", name="Save article")).to_be_visible()
    assert list(Article.objects.values_list("source_file", flat=True)) == ["library.html"]
    ferry.get_by_label("Title").fill(HEADLINE)
    ferry.get_by_role("button", name="Save article").click()
    expect(ferry.get_by_role("status")).to_contain_text(f"Saved as {HEADLINE}")
    assert Article.objects.count() == 2


def test_an_over_long_paste_is_stopped_before_it_is_sent(live_server, page):
    make_teacher("tess")
    sign_in(page, live_server, "tess")
    page.goto(f"{live_server.url}/articles/add/")
    page.get_by_label("Paste the article").fill("a" * (MAX_PASTE_CHARS + 1))
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_role("alert")).to_contain_text(f"paste at most {MAX_PASTE_CHARS:,}")
    expect(page.get_by_role("heading", name="Add an article")).to_be_visible()


def test_a_student_cannot_reach_the_page(live_server, page):
    make_user("sam")
    sign_in(page, live_server, "sam")
    # Through the page's own session, without a navigation whose 403 the page fixture counts as an error.
    response = page.request.get(f"{live_server.url}/articles/add/")
    assert response.status == 403
    assert "Paste the article" not in response.text()


@pytest.mark.parametrize("width", [1280, 390])
def test_the_preview_fits_the_screen(live_server, page, width, tmp_path):
    make_teacher("tess")
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server, "tess")
    paste_and_preview(page, live_server)
    page.locator(".clean-line", has_text=SUBHEAD).get_by_label("keep").check()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=tmp_path / f"preview-{width}.png", full_page=True)
