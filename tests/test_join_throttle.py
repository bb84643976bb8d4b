"""Join codes cannot be guessed: wrong codes are counted per account and per address, a
paused join answers 429 saying when to try again, sign-up is no oracle, and the code space
is large enough that the limits make guessing hopeless."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.utils import timezone

from annotator.classroom import throttle
from annotator.classroom.models import CODE_WORD_COUNT, CODE_WORDS, Classroom, JoinAttempt, Membership, new_join_code
from annotator.roles import TEACHERS_GROUP

pytestmark = pytest.mark.django_db

SCHOOL = "203.0.113.7"  # one address for a whole school behind its router
PASSWORD = "long-enough-pass-93"


@pytest.fixture
def klass():
    teacher = User.objects.create_user("tess", password=PASSWORD)
    teacher.groups.add(Group.objects.create(name=TEACHERS_GROUP))
    return Classroom.objects.create(name="Period 3", teacher=teacher)


@pytest.fixture
def student():
    """student(name, address) -> (user, client signed in as them from that address).

    Students at one address share one client, signed in as the latest, like a computer room
    (and a new test client per student would spend most of the test starting up).
    """
    clients = {}

    def sign_in(name, address=SCHOOL):
        user = User.objects.create_user(name, password=PASSWORD)
        client = clients.setdefault(address, Client(REMOTE_ADDR=address))
        client.force_login(user)
        return user, client

    return sign_in


def join(client, code):
    return client.post("/classes/join/", {"code": code}, follow=True)


def mistype(client, code, times=1):
    """Wrong codes, without reading the page each one leads back to."""
    for _ in range(times):
        assert client.post("/classes/join/", {"code": typo(code)}).status_code == 302


def typo(code):
    """The code with its number mistyped, as a student who misheard it would."""
    return re.sub(r"\d+$", lambda number: str(int(number.group()) % 89 + 10), code)


def age(key, by):
    JoinAttempt.objects.filter(key=key).update(created=timezone.now() - by)


def minutes_in(text):
    return int(re.search(r"try again in (\d+) minutes?", text).group(1))


# --- per account -----------------------------------------------------------------------------


def test_five_wrong_codes_pause_an_account_and_the_429_says_when_to_try_again(klass, student):
    sam, client = student("sam")
    for _ in range(5):
        assert "No class has that join code" in join(client, typo(klass.join_code)).content.decode()
    paused = join(client, klass.join_code)  # even the right code: a paused try is not looked at
    page = paused.content.decode()
    assert paused.status_code == 429
    assert "Too many wrong join codes from your account: 5 in 15 minutes" in page
    assert minutes_in(page) == 15 and 890 <= int(paused["Retry-After"]) <= 900
    assert not Membership.objects.filter(student=sam).exists()
    assert JoinAttempt.objects.filter(key=f"account:{sam.pk}").count() == 5  # the refused try is not kept


def test_the_last_wrong_codes_before_the_pause_are_announced(klass, student):
    _, client = student("sam")
    pages = [join(client, typo(klass.join_code)).content.decode() for _ in range(5)]
    assert "more wrong code" not in pages[1]
    assert "After 2 more wrong codes, joining pauses" in pages[2]
    assert "After 1 more wrong code, joining pauses" in pages[3]


def test_the_pause_ends_as_the_wrong_codes_age(klass, student):
    sam, client = student("sam")
    mistype(client, klass.join_code, 5)
    age(f"account:{sam.pk}", timedelta(minutes=10))
    assert minutes_in(join(client, klass.join_code).content.decode()) == 5
    age(f"account:{sam.pk}", timedelta(minutes=15, seconds=1))
    assert "You joined Period 3" in join(client, klass.join_code).content.decode()
    assert Membership.objects.filter(student=sam, classroom=klass).exists()


def test_a_paused_account_is_paused_from_every_address(klass, student):
    sam, client = student("sam")
    mistype(client, klass.join_code, 5)
    elsewhere = Client(REMOTE_ADDR="198.51.100.1")
    elsewhere.force_login(sam)
    assert join(elsewhere, klass.join_code).status_code == 429


# --- per address -----------------------------------------------------------------------------


def test_a_class_of_thirty_at_the_bell_with_typos_all_get_in(klass, student):
    for n in range(30):
        user, client = student(f"pupil{n}")
        mistype(client, klass.join_code, 1 if n % 3 else 2)  # everyone mistypes once, a third of them twice
        assert "You joined Period 3" in join(client, klass.join_code.upper().replace("-", " ")).content.decode()
    assert klass.memberships.count() == 30
    assert JoinAttempt.objects.filter(key=f"address:{SCHOOL}").count() == 40


def test_fifty_wrong_codes_from_one_address_pause_it_for_everyone_there(klass, student):
    for n in range(10):
        mistype(student(f"guesser{n}")[1], klass.join_code, 5)
    newcomer, client = student("newcomer")
    paused = join(client, klass.join_code)
    page = paused.content.decode()
    assert paused.status_code == 429
    assert "from this network (everyone here shares it): 50 in 15 minutes" in page and minutes_in(page) == 15
    _, at_home = student("at-home", address="198.51.100.1")
    assert "You joined Period 3" in join(at_home, klass.join_code).content.decode()


def test_ipv6_addresses_of_one_network_share_its_limit(klass, student):
    for n in range(10):
        mistype(student(f"guesser{n}", address=f"2001:db8:1:2::{n + 1:x}")[1], klass.join_code, 5)
    assert join(student("next-door", address="2001:db8:1:2:ffff::1")[1], klass.join_code).status_code == 429
    assert "You joined" in join(student("elsewhere", address="2001:db8:1:3::1")[1], klass.join_code).content.decode()


def test_an_address_gets_two_hundred_wrong_codes_a_day(klass, student):
    key = f"address:{SCHOOL}"
    JoinAttempt.objects.bulk_create([JoinAttempt(key=key) for _ in range(200)])
    JoinAttempt.objects.filter(key=key).update(created=timezone.now() - timedelta(hours=20))
    _, client = student("sam")
    paused = join(client, klass.join_code)
    assert paused.status_code == 429
    assert "200 in a day. Check the code with your teacher and try again in 4 hours" in paused.content.decode()


# --- old tries are forgotten -------------------------------------------------------------------


def test_a_wrong_code_deletes_its_keys_tries_older_than_a_day(klass, student):
    sam, client = student("sam")
    JoinAttempt.objects.bulk_create([JoinAttempt(key=f"account:{sam.pk}"), JoinAttempt(key=f"address:{SCHOOL}")])
    JoinAttempt.objects.update(created=timezone.now() - timedelta(days=1, minutes=1))
    join(client, typo(klass.join_code))
    recent = timezone.now() - timedelta(minutes=1)
    assert JoinAttempt.objects.count() == 2 and not JoinAttempt.objects.filter(created__lt=recent).exists()


def test_old_tries_of_addresses_that_never_return_are_swept_within_a_hundred_wrong_codes(klass, student):
    JoinAttempt.objects.create(key="address:192.0.2.1")
    JoinAttempt.objects.update(created=timezone.now() - timedelta(days=2))
    for n in range(throttle.SWEEP_EVERY // 10):  # two rows a try (account and address): 100 rows
        mistype(student(f"guesser{n}")[1], klass.join_code, 5)
    assert not JoinAttempt.objects.filter(key="address:192.0.2.1").exists()


def test_a_right_code_leaves_no_try_behind(klass, student):
    _, client = student("sam")
    join(client, klass.join_code)
    assert not JoinAttempt.objects.exists()


# --- sign-up ---------------------------------------------------------------------------------


def signup(data, address=SCHOOL):
    return Client(REMOTE_ADDR=address).post("/accounts/signup/", data)


def test_sign_up_with_only_a_code_says_nothing_about_the_code(klass):
    pages = []
    for code in (klass.join_code, typo(klass.join_code)):
        response = signup({"join_code": code})
        assert response.status_code == 200
        page = response.content.decode().replace(code, "")
        pages.append(re.sub(r"[A-Za-z0-9]{64}", "", page))  # CSRF tokens differ every time
    assert pages[0] == pages[1]
    assert "No class has that" not in pages[0] and "Too many" not in pages[0]
    assert User.objects.count() == 1  # only the teacher
    assert not JoinAttempt.objects.exists()


def test_sign_up_looks_at_the_code_only_once_every_other_field_is_valid(klass):
    weak = signup({"username": "newbie", "password1": "12345678", "password2": "12345678",
                   "join_code": typo(klass.join_code)})
    assert "No class has that join code" not in weak.content.decode()
    complete = signup({"username": "newbie", "password1": PASSWORD, "password2": PASSWORD,
                       "join_code": typo(klass.join_code)})
    assert complete.status_code == 200 and "No class has that join code" in complete.content.decode()
    assert not User.objects.filter(username="newbie").exists()
    assert JoinAttempt.objects.filter(key=f"address:{SCHOOL}").count() == 1


def test_wrong_codes_at_sign_up_count_against_the_address_and_create_nothing(klass):
    for n in range(50):
        signup({"username": f"guess{n}", "password1": PASSWORD, "password2": PASSWORD,
                "join_code": typo(klass.join_code)})
    paused = signup({"username": "newbie", "password1": PASSWORD, "password2": PASSWORD,
                     "join_code": klass.join_code})
    assert paused.status_code == 429 and "try again in 15 minutes" in paused.content.decode()
    assert int(paused["Retry-After"]) > 0
    assert User.objects.count() == 1 and not Membership.objects.exists()  # only the teacher
    elsewhere = signup({"username": "newbie", "password1": PASSWORD, "password2": PASSWORD,
                        "join_code": klass.join_code}, address="198.51.100.1")
    assert elsewhere.status_code == 302
    assert Membership.objects.filter(student__username="newbie", classroom=klass).exists()


# --- the code space ----------------------------------------------------------------------------


def test_new_codes_are_four_words_and_a_number_from_over_a_billion():
    codes = {new_join_code() for _ in range(2_000)}
    assert len(codes) == 2_000
    for code in codes:
        *words, number = code.split("-")
        assert len(words) == CODE_WORD_COUNT and set(words) <= set(CODE_WORDS) and 10 <= int(number) <= 99
        assert len(code) <= Classroom._meta.get_field("join_code").max_length
    assert len(set(CODE_WORDS)) ** CODE_WORD_COUNT * 90 >= 10**9


@pytest.mark.parametrize("code, typed", [
    ("maple-otter-river-heron-42", "Maple Otter River Heron 42"),
    ("maple-otter-river-heron-42", "  maple-otter river, heron. 42 "),
    ("maple-otter-42", "MAPLE otter 42"),  # a code made before codes had four words
])
def test_old_and_new_codes_join_typed_loosely(klass, code, typed, student):
    klass.join_code = code
    klass.save()
    sam, client = student("sam")
    assert "You joined Period 3" in join(client, typed).content.decode()


# --- in the browser ----------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [1280, 390])
def test_a_student_who_keeps_mistyping_reads_when_to_try_again(live_server, context, width):
    from pathlib import Path

    from .browser import make_user, sign_in

    page = context.new_page()  # not the checked page fixture: Chromium logs the expected 429 as an error
    teacher = make_user("tess")
    klass = Classroom.objects.create(name="Period 3", teacher=teacher)
    make_user("sam")
    page.set_viewport_size({"width": width, "height": 800})
    sign_in(page, live_server, "sam")
    for attempt in range(6):
        page.goto(f"{live_server.url}/classes/")
        page.fill("#id_code", typo(klass.join_code))
        with page.expect_navigation():
            page.keyboard.press("Enter")
        if attempt < 5:
            assert "No class has that join code" in page.content()
    assert page.locator("h1").inner_text() == "Joining a class is paused"
    assert "try again in 15 minutes" in page.get_by_role("alert").inner_text()
    shots = Path("/tmp/shots")
    shots.mkdir(exist_ok=True)
    page.screenshot(path=str(shots / f"join-paused-{width}.png"), full_page=True)
    page.goto(f"{live_server.url}/classes/")
    page.screenshot(path=str(shots / f"join-form-{width}.png"), full_page=True)
