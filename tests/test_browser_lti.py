"""LTI in a real Chromium: the platform's login, its form post of the token, and the launch
landing on the exercise signed in; the LTI pages pass axe and fit a phone."""

import re
from pathlib import Path

import jwt
import pytest
from axe_playwright_python.sync_playwright import Axe
from django.test import Client
from playwright.sync_api import expect

from annotator.classroom.models import Classroom, Submission
from annotator.lti.models import (
    Deployment,
    GradeSync,
    Platform,
    PlatformUser,
    ResourceLink,
)

from .factories import BODY_A, client_for, make_article, make_claim, make_exercise
from .lti_platform import INSTRUCTOR, FakePlatform
from .test_lti import launch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path("/tmp/shots")
CUSTOM = "https://purl.imsglobal.org/spec/lti/claim/custom"


@pytest.fixture
def lms(transactional_db):
    platform = FakePlatform()
    registered = Platform.objects.create(**platform.registration())
    Deployment.objects.create(platform=registered, deployment_id=platform.deployment_id)
    yield platform
    platform.stop()


@pytest.fixture
def course(lms):
    launch(Client(), lms, sub="teacher-7", roles=[INSTRUCTOR], name="Dana Lee")
    teacher = PlatformUser.objects.get(sub="teacher-7").user
    a = make_article("a", BODY_A)
    exercise = make_exercise(Classroom.objects.get(), [a], title="Who says so?", instructions="Tag every claim.")
    make_claim(teacher, a, "Putin urged restraint", "attributed", key=True, exercise=exercise)
    return {"teacher": teacher, "exercise": exercise}


def open_from_the_course(page, live_server, lms):
    """What a platform does when a student clicks the link: send the browser to our login URL."""
    page.goto(f"{live_server.url}/lti/login/?iss={lms.issuer}&login_hint=student-1"
              f"&target_link_uri={live_server.url}/lti/launch/&client_id={lms.client_id}")


def test_a_launch_from_the_lms_lands_on_the_exercise_signed_in(course, lms, live_server, page):
    exercise = course["exercise"]
    lms.next_launch = {"sub": "student-1", "name": "Amira Khan", CUSTOM: {"exercise": str(exercise.pk)}}
    open_from_the_course(page, live_server, lms)
    page.wait_for_url(f"{live_server.url}{exercise.get_absolute_url()}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Who says so?")
    expect(page.locator(".who")).to_contain_text("amira-khan-")
    student = PlatformUser.objects.get(sub="student-1").user
    assert exercise.classroom.memberships.filter(student=student).exists()
    assert not Submission.objects.filter(student=student, submitted__isnull=False).exists()


def test_a_teacher_picks_an_exercise_inside_the_lms_and_the_answer_reaches_it(course, lms, live_server, page):
    lms.next_launch = {"sub": "teacher-7", "roles": [INSTRUCTOR], "message_type": "LtiDeepLinkingRequest"}
    open_from_the_course(page, live_server, lms)
    page.wait_for_url(f"{live_server.url}/lti/deep-link/")
    look(page, "deep-link")
    page.get_by_role("button", name="Add to Test LMS").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Add “Who says so?” to Test LMS")
    look(page, "deep-link-return")
    # Chromium enforces the page's form-action: the post reaches the platform only because
    # this one response allows the platform's origin.
    page.get_by_role("button", name="Send to Test LMS").click()
    expect(page.locator("p")).to_have_text("Item added.")
    [answer] = lms.deep_link_answers
    items = jwt.decode(answer, options={"verify_signature": False})[
        "https://purl.imsglobal.org/spec/lti-dl/claim/content_items"]
    assert items[0]["custom"] == {"exercise": str(course["exercise"].pk)}


def serious(page):
    violations = Axe().run(page).response["violations"]
    return [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in violations if v["impact"] in ("serious", "critical")]


def look(page, name):
    """Axe, no sideways scroll at 390 px, and screenshots at both widths to look at."""
    SHOTS.mkdir(exist_ok=True)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), f"{name} at {width}px"
        page.screenshot(path=str(SHOTS / f"lti-{name}-{width}.png"), full_page=True)
    assert serious(page) == [], name


def test_the_lti_pages_pass_axe_and_fit_a_phone(course, lms, live_server, browser):
    teacher, exercise = course["teacher"], course["exercise"]
    link = ResourceLink.objects.get()
    student_client = Client()
    launch(student_client, lms, sub="student-1", link="link-2", lineitem="3",
           **{CUSTOM: {"exercise": str(exercise.pk)}})
    # The gradebook refuses the score: the teacher sees why on every page and on the report.
    lms.score_status = 503
    lms.tool_jwks = Client().get("/lti/jwks.json").json()
    student_client.post(f"/exercises/{exercise.pk}/submit/", {"confirm": "yes"})
    assert GradeSync.objects.get().status == "failed"

    context = browser.new_context()
    session = client_for(teacher).cookies["sessionid"].value
    context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
    page = context.new_page()
    for name, path in (("choose", f"/lti/links/{link.pk}/choose/"), ("grades", f"/lti/exercises/{exercise.pk}/grades/")):
        page.goto(live_server.url + path)
        look(page, name)
    expect(page.get_by_role("alert").first).to_contain_text("The LMS has not accepted 1 score")

    teacher.is_staff = True
    teacher.save()
    page.goto(f"{live_server.url}/lti/")
    expect(page.locator(".tool-urls")).to_contain_text("/lti/jwks.json")
    look(page, "setup")

    # A refusal, as a person whose launch could not be checked sees it.
    page.goto(f"{live_server.url}/lti/login/?iss=https://nowhere.example&login_hint=x&target_link_uri=x")
    expect(page.get_by_role("alert").last).to_contain_text(re.compile("not registered"))
    look(page, "refused")
    context.close()
