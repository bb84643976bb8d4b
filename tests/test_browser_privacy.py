"""The privacy pages in a real browser at 1280 and 390 px: axe finds nothing serious, nothing
scrolls sideways, and a student deletes their account through the form with the keyboard; the
teacher then sees the archived class's warning and that a student left.

Screenshots go to $SCREENSHOTS (default: a temporary folder) to be looked at."""

import os
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from annotator.classroom.models import Departure, Exercise

from .test_accessibility import demo_sign_in, serious

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (1280, 390)


@pytest.fixture
def shots(tmp_path):
    folder = Path(os.environ.get("SCREENSHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def demo(seeded):
    call_command("load_demo", verbosity=0)
    exercise = Exercise.objects.get()
    return {"exercise": exercise.pk, "classroom": exercise.classroom_id, "amira": User.objects.get(username="amira").pk,
            "teacher": User.objects.get(username="teacher").pk}


def look(page, live_server, path, name, shots):
    """Open `path` at each width: axe-clean, no sideways scroll, a screenshot of each."""
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(live_server.url + path)
        assert serious(page) == [], (path, width)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at {width}px"
        page.screenshot(path=str(shots / f"{name}-{width}.png"), full_page=True)


def test_a_student_sees_their_data_and_deletes_their_account_with_the_keyboard(demo, live_server, page, shots):
    demo_sign_in(page, live_server, "amira")
    look(page, live_server, "/accounts/data/", "my-data", shots)
    page.get_by_role("link", name="Download as JSON")  # offered
    look(page, live_server, f"/accounts/{demo['amira']}/delete/", "delete-mine", shots)
    page.set_viewport_size({"width": 390, "height": 900})
    page.focus("#id_confirm")
    page.keyboard.type("amira")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/")
    assert "Your account and everything you wrote are deleted." in page.inner_text(".messages")
    assert not User.objects.filter(username="amira").exists()
    assert Departure.objects.filter(classroom_id=demo["classroom"]).count() == 1


def test_a_wrong_username_is_refused_in_place(demo, live_server, browser, shots):
    page = browser.new_page()  # Chromium logs the refusal's 400 in the console
    demo_sign_in(page, live_server, "ben")
    ben = User.objects.get(username="ben").pk
    page.goto(f"{live_server.url}/accounts/{ben}/delete/")
    page.fill("#id_confirm", "amira")
    page.click("button.danger")
    assert "Type the username ben exactly to confirm." in page.inner_text("#confirm-error")
    assert serious(page) == []
    page.screenshot(path=str(shots / "delete-refused-1280.png"), full_page=True)
    assert User.objects.filter(username="ben").exists()
    page.close()


def test_the_teacher_sees_the_archive_warning_the_departure_and_why_their_account_stays(demo, live_server, page,
                                                                                          shots):
    User.objects.get(username="chen").delete()  # stands for a deletion; the service's own test is test_privacy.py
    Departure.objects.create(classroom_id=demo["classroom"])
    demo_sign_in(page, live_server, "teacher")
    page.goto(f"{live_server.url}/classes/{demo['classroom']}/")
    page.get_by_role("button", name="Archive this class").click()
    page.wait_for_load_state()
    assert "This class is archived." in page.inner_text("main")
    look(page, live_server, f"/classes/{demo['classroom']}/", "class-archived", shots)
    look(page, live_server, f"/exercises/{demo['exercise']}/dashboard/", "dashboard-departed", shots)
    assert "1 student has left the class" in page.inner_text("main")
    look(page, live_server, f"/accounts/{demo['teacher']}/delete/", "delete-teacher-blocked", shots)
    assert "which still has students or their work" in page.inner_text("main")
    look(page, live_server, f"/accounts/{demo['amira']}/delete/", "delete-student-by-teacher", shots)


def test_no_page_asks_any_other_site_for_anything(demo, live_server, page):
    """Every request a page makes, scripts, styles, fonts and pictures included, goes to the site itself."""
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    demo_sign_in(page, live_server, "teacher")
    slug = Exercise.objects.get().articles.first().slug
    for path in ("/", f"/articles/{slug}/", "/map/", "/accounts/data/", f"/classes/{demo['classroom']}/",
                 f"/exercises/{demo['exercise']}/dashboard/", f"/exercises/{demo['exercise']}/key/{slug}/"):
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
    elsewhere = sorted({url for url in requested if not url.startswith((live_server.url, "data:", "blob:"))})
    assert len(requested) > 20 and elsewhere == []
