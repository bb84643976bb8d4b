"""axe-core on every page type, as each kind of visitor sees it: no serious or critical violations."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command

from annotator.classroom.models import Exercise
from annotator.corpus.models import Article


pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO_PASSWORD = "demo-pass-2026"

def serious(page):
    results = Axe().run(page)
    found = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    return [(v["id"], v["impact"], [(node["target"], node["failureSummary"][:160]) for node in v["nodes"]][:3])
            for v in found]

def demo_sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/**")

@pytest.fixture
def demo(seeded):
    call_command("load_demo", verbosity=0)
    exercise = Exercise.objects.get()
    article = Article.objects.get(source_file="000_f75c1bf812ec66b2.txt")
    return {"exercise": exercise.pk, "article": article.slug}

def check(page, live_server, paths):
    problems = {}
    for path in paths:
        page.goto(live_server.url + path)
        found = serious(page)
        if found:
            problems[path] = found
    assert problems == {}

def test_public_pages_pass_axe(demo, live_server, page):
    check(page, live_server, ["/", "/?q=iran", "/?q=nothing-matches-this", f"/articles/{demo['article']}/", f"/articles/{demo['article']}/original/",
                              "/guide/", "/map/", "/map/?source=kremlin", "/sources/", "/sources/kremlin/",
                              "/outlets/washington-examiner/", "/bylines/?name=Joel+Gehrke", "/bylines/",
                              "/accounts/login/", "/accounts/signup/"])

def test_student_pages_pass_axe(demo, live_server, page):
    demo_sign_in(page, live_server, "amira")
    e, a = demo["exercise"], demo["article"]
    check(page, live_server, ["/classes/", f"/exercises/{e}/", f"/exercises/{e}/articles/{a}/",
                              f"/exercises/{e}/feedback/", "/my/annotations/", "/whats-new/", "/accounts/data/"])

def test_teacher_pages_pass_axe(demo, live_server, page):
    demo_sign_in(page, live_server, "teacher")
    e, a = demo["exercise"], demo["article"]
    classroom = Exercise.objects.get(pk=e).classroom_id
    check(page, live_server, ["/classes/", f"/classes/{classroom}/", f"/exercises/{e}/dashboard/",
                              f"/exercises/{e}/key/{a}/", f"/exercises/{e}/edit/", f"/classes/{classroom}/exercises/new/",
                              "/articles/add/", f"/articles/{a}/edit/", "/sources/", "/sources/kremlin/",
                              "/outlets/washington-examiner/edit/", "/outlets/new/"])

def test_error_pages_pass_axe(demo, live_server, browser):
    # A page of its own: the strict `page` fixture fails on console errors, and Chromium
    # reports every 403 and 404 response in the console.
    page = browser.new_page()
    demo_sign_in(page, live_server, "amira")
    for path, status in (("/no/such/page/", 404), ("/articles/add/", 403),
                         ("/outlets/find/?name=The+America+One+News", 404), ("/sources/find/?name=Nobody", 404)):
        assert page.goto(live_server.url + path).status == status
        assert serious(page) == [], path
    page.close()


def test_an_outlet_without_a_profile_passes_axe_with_the_teachers_form(demo, live_server, browser):
    page = browser.new_page()
    demo_sign_in(page, live_server, "teacher")
    assert page.goto(f"{live_server.url}/outlets/find/?name=The+America+One+News").status == 404
    assert page.locator("#outlet-kind").count() == 1
    assert serious(page) == []
    page.close()


def test_highlights_are_announced_with_their_label(demo, live_server, page):
    page.goto(f"{live_server.url}/articles/{demo['article']}/")
    announced = page.locator("#article-text .sr-only").all_inner_texts()
    assert any(text.startswith("(attributed claim ") for text in announced)
    assert any(text.startswith("(end of claim ") for text in announced)
