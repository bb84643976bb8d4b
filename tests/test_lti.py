"""Annotator as an LTI 1.3 tool, driven by a platform of the tests' own (tests/lti_platform.py)
over real HTTP: its JWKS, its tokens, its gradebook. Each invalid launch gets its refusal, and
none of them writes a row."""

import json
import time
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from jwt.algorithms import RSAAlgorithm

from annotator.classroom.models import Classroom, Membership, Reveal
from annotator.lti.models import (
    Deployment,
    GradeStatus,
    GradeSync,
    Platform,
    PlatformUser,
    ResourceLink,
    ToolKey,
)

from .factories import BODY_A, client_for, make_article, make_claim, make_exercise, make_user
from .lti_platform import INSTRUCTOR, LEARNER, FakePlatform, key_pair

LAUNCH_URL = "http://testserver/lti/launch/"


@pytest.fixture(scope="module")
def lms():
    platform = FakePlatform()
    yield platform
    platform.stop()


@pytest.fixture
def platform(db, lms):
    lms.scores.clear()
    lms.token_requests.clear()
    lms.score_status, lms.tool_jwks = 200, None
    registered = Platform.objects.create(**lms.registration())
    Deployment.objects.create(platform=registered, deployment_id=lms.deployment_id)
    return lms


def login_initiation(client, lms, **params):
    """The platform's first leg: the browser arrives at our login URL and is sent to /auth."""
    query = {"iss": lms.issuer, "login_hint": "hint-1", "target_link_uri": LAUNCH_URL, "client_id": lms.client_id,
             **params}
    response = client.get("/lti/login/", query)
    assert response.status_code == 302, response.content
    sent = urlsplit(response["Location"])
    assert f"{sent.scheme}://{sent.netloc}{sent.path}" == f"{lms.url}/auth"
    return {k: v[0] for k, v in parse_qs(sent.query).items()}


def launch(client, lms, token=None, state=None, **claims):
    auth = login_initiation(client, lms)
    if token is None:
        token = lms.sign(lms.claims(auth["nonce"], **claims))
    return client.post("/lti/launch/", {"id_token": token, "state": state or auth["state"]})


def row_counts():
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def refused(response, status, words):
    assert response.status_code == status, (response.status_code, response.content[:300])
    assert words in response.content.decode()
    assert "_auth_user_id" not in response.wsgi_request.session


# --- launches that work -------------------------------------------------------------------------

def test_an_instructors_first_launch_makes_the_class_from_the_course_and_signs_them_in(platform):
    client = Client()
    response = launch(client, platform, sub="teacher-7", roles=[INSTRUCTOR], given_name="Dana", family_name="Lee",
                      name="Dana Lee")
    link = ResourceLink.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/lti/links/{link.pk}/choose/"
    teacher = PlatformUser.objects.get(sub="teacher-7").user
    classroom = Classroom.objects.get()
    assert classroom.name == "Media Literacy 101" and classroom.teacher == teacher
    assert (teacher.first_name, teacher.last_name) == ("Dana", "Lee") and not teacher.has_usable_password()
    assert client.get("/classes/").context["user"] == teacher
    assert "Choose an exercise for Media Literacy 101" in client.get(response["Location"]).content.decode()


def test_a_learner_is_put_in_the_class_and_lands_on_the_exercise_the_link_points_to(platform):
    launch(Client(), platform, sub="teacher-7", roles=[INSTRUCTOR])
    classroom = Classroom.objects.get()
    exercise = make_exercise(classroom, [make_article("a", BODY_A)], title="Who says so?")
    client = Client()
    response = launch(client, platform, sub="student-1", roles=[LEARNER],
                      **{"https://purl.imsglobal.org/spec/lti/claim/custom": {"exercise": str(exercise.pk)}})
    assert response.status_code == 302 and response["Location"] == exercise.get_absolute_url()
    student = PlatformUser.objects.get(sub="student-1").user
    assert Membership.objects.filter(classroom=classroom, student=student).exists()
    assert client.get(response["Location"]).status_code == 200


def test_people_are_matched_by_the_platforms_user_id_never_by_name(platform):
    launch(Client(), platform, sub="teacher-7", roles=[INSTRUCTOR])
    launch(Client(), platform, sub="student-1", name="Sam Lee", given_name="Sam")
    launch(Client(), platform, sub="student-1", name="Samuel Lee", given_name="Samuel")
    launch(Client(), platform, sub="student-2", name="Sam Lee", given_name="Sam")
    first, second = PlatformUser.objects.get(sub="student-1").user, PlatformUser.objects.get(sub="student-2").user
    assert first != second and first.first_name == "Samuel" and second.first_name == "Sam"
    assert get_user_model().objects.count() == 3


def test_a_platforms_given_name_that_another_account_goes_by_is_not_taken_as_display_name(platform):
    make_user("sam", first_name="Sam Lee")
    launch(Client(), platform, sub="teacher-7", roles=[INSTRUCTOR])
    launch(Client(), platform, sub="student-1", given_name="SAM LEE")
    student = PlatformUser.objects.get(sub="student-1").user
    assert student.first_name == ""
    launch(Client(), platform, sub="student-1", given_name="Samuel")
    student.refresh_from_db()
    assert student.first_name == "Samuel"


def test_a_deep_link_lets_the_instructor_pick_an_exercise_that_later_launches_open(platform):
    client = Client()
    launch(client, platform, sub="teacher-7", roles=[INSTRUCTOR])
    exercise = make_exercise(Classroom.objects.get(), [make_article("a", BODY_A)], title="Who says so?")
    response = launch(client, platform, sub="teacher-7", roles=[INSTRUCTOR], message_type="LtiDeepLinkingRequest")
    assert response["Location"] == "/lti/deep-link/"
    page = client.get("/lti/deep-link/").content.decode()
    assert "Who says so?" in page and "Add to Test LMS" in page

    assert client.post("/lti/deep-link/", {"exercise": "99999"}).status_code == 422
    answer = client.post("/lti/deep-link/", {"exercise": str(exercise.pk)})
    assert answer.status_code == 200
    assert f"form-action 'self' {platform.url}" in answer["Content-Security-Policy"]
    form = answer.content.decode()
    assert f'action="{platform.url}/deep-link-return"' in form
    token = form.split('name="JWT" value="')[1].split('"')[0]
    jwks = client.get("/lti/jwks.json").json()
    key = next(k for k in jwks["keys"] if k["kid"] == jwt.get_unverified_header(token)["kid"])
    message = jwt.decode(token, RSAAlgorithm.from_jwk(json.dumps(key)), algorithms=["RS256"], audience=platform.issuer)
    assert message["https://purl.imsglobal.org/spec/lti/claim/message_type"] == "LtiDeepLinkingResponse"
    assert message["https://purl.imsglobal.org/spec/lti-dl/claim/data"] == "opaque-platform-data"
    [item] = message["https://purl.imsglobal.org/spec/lti-dl/claim/content_items"]
    assert item["url"] == LAUNCH_URL and item["custom"] == {"exercise": str(exercise.pk)}
    assert item["lineItem"]["scoreMaximum"] == 100
    # The choice is spent: a second post has nothing to answer.
    assert client.post("/lti/deep-link/", {"exercise": str(exercise.pk)}).status_code == 404

    # The platform launches the new link with the custom parameter it was given.
    student = Client()
    response = launch(student, platform, sub="student-1", link="link-9", custom=None,
                      **{"https://purl.imsglobal.org/spec/lti/claim/custom": item["custom"]})
    assert response["Location"] == exercise.get_absolute_url()


def test_an_instructor_chooses_the_exercise_of_a_plain_link_and_students_then_land_on_it(platform):
    teacher = Client()
    response = launch(teacher, platform, sub="teacher-7", roles=[INSTRUCTOR])
    link = ResourceLink.objects.get()
    exercise = make_exercise(Classroom.objects.get(), [make_article("a", BODY_A)], title="Who says so?")
    student = Client()
    waiting = launch(student, platform, sub="student-1")
    assert waiting["Location"] == f"/lti/links/{link.pk}/waiting/"
    assert "has not chosen an exercise" in student.get(waiting["Location"]).content.decode()

    assert teacher.post(response["Location"], {"exercise": "nonsense"}).status_code == 422
    chosen = teacher.post(response["Location"], {"exercise": str(exercise.pk)})
    assert chosen["Location"] == f"/exercises/{exercise.pk}/dashboard/"
    assert launch(Client(), platform, sub="teacher-7", roles=[INSTRUCTOR])["Location"] == chosen["Location"]
    assert launch(student, platform, sub="student-1")["Location"] == exercise.get_absolute_url()
    assert student.get(waiting["Location"])["Location"] == exercise.get_absolute_url()


# --- refusals: each one a 4xx page or the LMS's return URL, and no row written ------------------

def expired(platform, nonce):
    return platform.sign(platform.claims(nonce, iat=int(time.time()) - 900, exp=int(time.time()) - 600))


@pytest.mark.parametrize("case, status, words", [
    ("expired", 403, "Signature has expired"),
    ("wrong audience", 403, "Registration not found"),
    ("wrong issuer", 403, "Registration not found"),
    ("bad signature", 403, "Signature verification failed"),
    ("alg none", 403, "Unable to find public key"),
    ("unknown kid", 403, "Unable to find public key"),
    ("missing roles", 403, "Missing Roles Claim"),
    ("missing message type", 403, "Invalid message type"),
    ("nonce we never issued", 403, "Invalid Nonce"),
    ("unknown deployment", 403, "Unable to find deployment"),
    ("not a jwt", 400, "Invalid id_token"),
    ("no expiry", 403, "Token is missing the &quot;exp&quot; claim"),
    ("body not an object", 403, "could not be verified"),
    ("no id_token", 400, "Missing id_token"),
])
def test_an_invalid_launch_is_refused_and_writes_nothing(platform, case, status, words):
    client = Client()
    auth = login_initiation(client, platform)
    nonce, body = auth["nonce"], platform.claims(auth["nonce"])
    before = row_counts()
    other_key = key_pair()[1]
    token = {
        "expired": lambda: expired(platform, nonce),
        "wrong audience": lambda: platform.sign({**body, "aud": "someone-else"}),
        "wrong issuer": lambda: platform.sign({**body, "iss": "https://evil.example"}),
        "bad signature": lambda: platform.sign(body, key=other_key),
        "alg none": lambda: platform.sign(body, alg="none"),
        "unknown kid": lambda: platform.sign(body, kid="nobody-knows"),
        "missing roles": lambda: platform.sign({k: v for k, v in body.items() if not k.endswith("/roles")}),
        "missing message type": lambda: platform.sign({k: v for k, v in body.items() if not k.endswith("/message_type")}),
        "nonce we never issued": lambda: platform.sign({**body, "nonce": "made-up-nonce"}),
        "unknown deployment": lambda: platform.sign(
            {**body, "https://purl.imsglobal.org/spec/lti/claim/deployment_id": "deployment-from-nowhere"}),
        "not a jwt": lambda: "not.a-jwt",
        "no expiry": lambda: platform.sign({k: v for k, v in body.items() if k != "exp"}),
        "body not an object": lambda: platform.sign(body).split(".")[0] + ".WzFd." + platform.sign(body).split(".")[2],
        "no id_token": lambda: "",
    }[case]()
    response = client.post("/lti/launch/", {"id_token": token, "state": auth["state"]})
    refused(response, status, words)
    assert row_counts() == before


def test_a_launch_without_the_browsers_state_cookie_is_refused(platform):
    auth = login_initiation(Client(), platform)
    token = platform.sign(platform.claims(auth["nonce"]))
    refused(Client().post("/lti/launch/", {"id_token": token, "state": auth["state"]}), 403, "State not found")
    client = Client()
    login_initiation(client, platform)
    refused(client.post("/lti/launch/", {"id_token": token, "state": "state-guessed"}), 403, "State not found")


def test_a_replayed_launch_is_refused_even_from_another_browser(platform):
    launch(Client(), platform, sub="teacher-7", roles=[INSTRUCTOR])
    first = Client()
    auth = login_initiation(first, platform)
    token = platform.sign(platform.claims(auth["nonce"]))
    assert first.post("/lti/launch/", {"id_token": token, "state": auth["state"]}).status_code == 302
    before = row_counts()
    assert first.post("/lti/launch/", {"id_token": token, "state": auth["state"]})["Location"].startswith(
        f"{platform.url}/return?lti_errormsg=This+launch+has+already+been+used")
    # Another browser with a state cookie of its own, posting the captured token.
    other = Client()
    other_auth = login_initiation(other, platform)
    response = other.post("/lti/launch/", {"id_token": token, "state": other_auth["state"]})
    assert "already+been+used" in response["Location"]
    assert row_counts() == before
    assert not other.cookies.get("sessionid")


def test_a_learner_cannot_open_the_instructors_deep_link(platform):
    launch(Client(), platform, sub="teacher-7", roles=[INSTRUCTOR])
    before = row_counts()
    client = Client()
    response = launch(client, platform, sub="student-1", roles=[LEARNER], message_type="LtiDeepLinkingRequest")
    assert response.status_code == 302
    assert response["Location"].startswith(f"{platform.url}/return?lti_errormsg=Only+the+course")
    assert row_counts() == before
    assert client.get("/lti/deep-link/").status_code == 302  # not signed in: sent to sign in


def test_a_learner_before_any_instructor_is_told_to_wait_and_nothing_is_made(platform):
    before = row_counts()
    response = launch(Client(), platform, sub="student-1", roles=[LEARNER])
    assert "has+not+opened+Annotator" in response["Location"]
    assert row_counts() == before


def test_identifiers_too_long_for_our_columns_are_refused_not_a_500(platform):
    before = row_counts()
    response = launch(Client(), platform, sub="u" * 256, roles=[INSTRUCTOR])
    assert response.status_code == 400 and "no usable user id" in response.content.decode()
    response = launch(Client(), platform, roles=[INSTRUCTOR], context=("c" * 300, "Course"))
    assert response.status_code == 400 and "no usable course id" in response.content.decode()
    assert row_counts() == before


def test_a_launch_with_neither_instructor_nor_learner_role_is_refused(platform):
    response = launch(Client(), platform, roles=["http://purl.imsglobal.org/vocab/lis/v2/membership#Mentor"])
    assert "instructors+and+learners+only" in response["Location"]


def test_a_second_instructor_is_refused_with_who_teaches_the_class(platform):
    launch(Client(), platform, sub="teacher-7", roles=[INSTRUCTOR], name="Dana Lee")
    response = launch(Client(), platform, sub="teacher-8", roles=[INSTRUCTOR])
    assert "taught+by+dana-lee-" in response["Location"]


def test_a_link_to_an_exercise_of_another_class_is_refused(platform, lms):
    launch(Client(), platform, sub="teacher-7", roles=[INSTRUCTOR])
    from .factories import make_class, make_teacher

    elsewhere = make_exercise(make_class(make_teacher("t2")), [make_article("a", BODY_A)])
    response = launch(Client(), platform, sub="student-1",
                      **{"https://purl.imsglobal.org/spec/lti/claim/custom": {"exercise": str(elsewhere.pk)}})
    assert "not+in+this+course" in response["Location"]
    assert not Membership.objects.filter(classroom=elsewhere.classroom).exists()


def test_login_initiation_refuses_unknown_platforms_and_missing_parameters_and_keeps_no_state(platform):
    before = row_counts()
    client = Client()
    refused(client.get("/lti/login/", {"iss": "https://nowhere.example", "login_hint": "x",
                                       "target_link_uri": LAUNCH_URL}), 400, "not registered")
    refused(client.get("/lti/login/", {"iss": platform.issuer}), 400, "needs iss, login_hint and target_link_uri")
    auth = login_initiation(client, platform, target_link_uri="https://evil.example/steal")
    # The platform is always asked to come back to our own launch URL.
    assert auth["redirect_uri"] == LAUNCH_URL and auth["response_mode"] == "form_post"
    assert client.post("/lti/login/", {"iss": platform.issuer, "login_hint": "x",
                                       "target_link_uri": LAUNCH_URL}).status_code == 302
    assert row_counts() == before
    assert Client().get("/lti/launch/").status_code == 405


# --- grades back ----------------------------------------------------------------------------------

@pytest.fixture
def graded(platform, transactional_db):
    """A class from the course, an exercise with a key, a student with work, all through launches.

    Committed for real: scores go out once a submission or a reveal is committed."""
    teacher_client = Client()
    launch(teacher_client, platform, sub="teacher-7", roles=[INSTRUCTOR])
    teacher = PlatformUser.objects.get(sub="teacher-7").user
    a = make_article("a", BODY_A)
    exercise = make_exercise(Classroom.objects.get(), [a], title="Who says so?")
    make_claim(teacher, a, "Putin urged restraint", "attributed", key=True, exercise=exercise)
    make_claim(teacher, a, "Critics called", "editorialized", key=True, exercise=exercise)
    student_client = Client()
    launch(student_client, platform, sub="student-1", lineitem="7",
           **{"https://purl.imsglobal.org/spec/lti/claim/custom": {"exercise": str(exercise.pk)}})
    student = PlatformUser.objects.get(sub="student-1").user
    make_claim(student, a, "Putin urged restraint", "attributed", exercise=exercise)
    platform.tool_jwks = Client().get("/lti/jwks.json").json()
    return {"exercise": exercise, "student": student, "teacher": teacher, "student_client": student_client,
            "teacher_client": client_for(teacher)}


def submit(world):
    return world["student_client"].post(f"/exercises/{world['exercise'].pk}/submit/", {"confirm": "yes"})


def test_a_submission_sends_the_score_with_a_comment_to_the_gradebook(graded, platform):
    assert submit(graded).status_code == 302
    [score] = platform.scores
    assert score["lineitem"] == "/lineitems/7" and score["userId"] == "student-1"
    assert score["content_type"] == "application/vnd.ims.lis.v1.score+json"
    assert (score["scoreGiven"], score["scoreMaximum"]) == (66.7, 100)
    assert score["activityProgress"] == "Submitted" and score["gradingProgress"] == "FullyGraded"
    assert score["comment"] == "Found 1 of 2 key claims; 0 not in the key. F1 67%."
    # The platform gave the token only to an assertion signed by a key our JWKS publishes.
    assert platform.token_requests[0]["grant_type"] == "client_credentials"
    assert GradeSync.objects.get().status == GradeStatus.SENT


def test_a_teachers_score_override_goes_to_the_gradebook_with_its_reason(graded, platform):
    submit(graded)
    exercise, student = graded["exercise"], graded["student"]
    response = graded["teacher_client"].post(f"/exercises/{exercise.pk}/students/{student.pk}/score/",
                                             {"score": "90", "reason": "A sound link the key lacks."})
    assert response.status_code == 302
    first, second = platform.scores
    assert first["scoreGiven"] == 66.7 and second["scoreGiven"] == 90
    assert second["comment"].startswith("Score set by your teacher: A sound link the key lacks.")
    assert "F1 67%" in second["comment"]


def test_a_hidden_key_sends_submitted_without_a_score_and_the_reveal_sends_it(graded, platform):
    exercise = graded["exercise"]
    exercise.reveal_policy = Reveal.MANUAL
    exercise.save()
    submit(graded)
    [pending] = platform.scores
    assert "scoreGiven" not in pending and pending["gradingProgress"] == "Pending"
    assert pending["comment"] == "Submitted; the score follows when the key is revealed."
    graded["teacher_client"].post(f"/exercises/{exercise.pk}/reveal/", {"revealed": "1"})
    assert [s.get("scoreGiven") for s in platform.scores] == [None, 66.7]
    assert platform.scores[-1]["gradingProgress"] == "FullyGraded"
    # Saving the switches again sends nothing new: only a reveal is news.
    graded["teacher_client"].post(f"/exercises/{exercise.pk}/reveal/", {"revealed": "1"})
    assert len(platform.scores) == 2


def test_a_due_date_that_passes_sends_the_held_back_score_on_the_next_run_of_the_command(graded, platform):
    from datetime import timedelta

    from django.utils import timezone

    exercise = graded["exercise"]
    exercise.reveal_policy, exercise.due = Reveal.AFTER_DUE, timezone.now() + timedelta(days=1)
    exercise.save()
    submit(graded)
    call_command("lti_send_grades")
    assert [s.get("scoreGiven") for s in platform.scores] == [None]
    exercise.due = timezone.now() - timedelta(minutes=1)
    exercise.save()
    call_command("lti_send_grades")
    assert [s.get("scoreGiven") for s in platform.scores] == [None, 66.7]
    call_command("lti_send_grades")
    assert len(platform.scores) == 2


def test_a_refused_score_is_shown_to_the_teacher_and_sent_again_later(graded, platform):
    platform.score_status = 503
    submit(graded)
    grade = GradeSync.objects.get()
    assert grade.status == GradeStatus.FAILED and "503" in grade.error and grade.attempts == 1
    teacher = graded["teacher_client"]
    banner = teacher.get("/classes/").content.decode()
    assert "The LMS has not accepted 1 score of “Who says so?”" in banner
    report = teacher.get(f"/lti/exercises/{graded['exercise'].pk}/grades/").content.decode()
    assert "gradebook unavailable" in report and "Send the 1 waiting score again" in report
    # Still down: the command says so and fails, so cron notices.
    with pytest.raises(SystemExit):
        call_command("lti_send_grades")
    assert GradeSync.objects.get().attempts == 2
    platform.score_status = 200
    response = teacher.post(f"/lti/exercises/{graded['exercise'].pk}/grades/retry/", follow=True)
    assert "1 sent; the gradebook has every score." in response.content.decode()
    assert GradeSync.objects.get().status == GradeStatus.SENT and platform.scores[0]["scoreGiven"] == 66.7
    assert "has not accepted" not in teacher.get("/classes/").content.decode()


def test_a_tool_key_the_platform_does_not_trust_gets_no_token_and_the_failure_is_kept(graded, platform):
    platform.tool_jwks = {"keys": []}
    submit(graded)
    grade = GradeSync.objects.get()
    assert grade.status == GradeStatus.FAILED and "401" in grade.error
    assert platform.scores == []


def test_a_link_without_a_gradebook_column_sends_nothing_and_the_report_says_why(graded, platform):
    ResourceLink.objects.update(lineitem_url="")
    submit(graded)
    assert platform.scores == [] and not GradeSync.objects.exists()
    report = graded["teacher_client"].get(f"/lti/exercises/{graded['exercise'].pk}/grades/").content.decode()
    assert "1 link to this exercise in an LMS has no gradebook column" in report


def test_rotating_the_key_publishes_both_until_the_old_one_retires(platform):
    assert ToolKey.objects.count() == 0
    Client().get("/lti/jwks.json")
    Client().get("/lti/jwks.json")
    [old] = ToolKey.objects.all()
    call_command("lti_rotate_key")
    kids = {k["kid"] for k in Client().get("/lti/jwks.json").json()["keys"]}
    assert len(kids) == 2 and old.kid in kids
    call_command("lti_rotate_key", retire_after=0)
    kids = {k["kid"] for k in Client().get("/lti/jwks.json").json()["keys"]}
    assert len(kids) == 1 and old.kid not in kids


def test_staff_register_platforms_and_rotate_the_key_in_the_admin(platform):
    staff = make_user("admin", is_staff=True, is_superuser=True)
    client = client_for(staff)
    assert client.get("/admin/lti/platform/add/").status_code == 200
    response = client.post("/admin/lti/platform/add/", {
        "name": "District Moodle", "issuer": "https://moodle.example", "client_id": "abc",
        "auth_url": "https://moodle.example/mod/lti/auth.php", "token_url": "https://moodle.example/mod/lti/token.php",
        "keyset_url": "https://moodle.example/mod/lti/certs.php", "token_audience": "",
        "deployments-TOTAL_FORMS": "1", "deployments-INITIAL_FORMS": "0", "deployments-0-deployment_id": "7"})
    assert response.status_code == 302
    assert Deployment.objects.filter(platform__name="District Moodle", deployment_id="7").exists()
    assert "District Moodle" in client.get("/lti/").content.decode()

    Client().get("/lti/jwks.json")
    [old] = ToolKey.objects.all()
    client.post("/admin/lti/toolkey/", {"action": "rotate", "_selected_action": [old.pk]})
    old.refresh_from_db()
    assert old.retired is not None and ToolKey.objects.filter(retired__isnull=True).count() == 1
    assert client.get("/admin/lti/toolkey/add/").status_code == 403
