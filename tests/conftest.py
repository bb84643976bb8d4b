"""The worlds tests share, built with factories.py: the seed articles, readers, a class at work
on an exercise (`lesson`), and the awkward claims the export tests start from (`people`, `corpus`)."""

import re
from pathlib import Path

import pytest

from .factories import (
    BODY_A, BODY_B, BRIDGE, FORMULA_NOTES, INSPECTORS, make_article, make_claim, make_class, make_exercise,
    make_link, make_teacher, make_user, words,
)

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Playwright cannot download its own browser here; Debian's chromium is used instead.
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"],
    }


@pytest.fixture
def seeded(db):
    """The five seed articles, imported by the real importer."""
    from django.core.management import call_command

    call_command("import_articles", str(SEEDS), verbosity=0)
    from annotator.corpus.models import Article

    return {a.source_file: a for a in Article.objects.all()}


@pytest.fixture
def expected_statuses():
    """HTTP statuses a browser test expects the server to refuse with (add to it): Chromium logs
    each refused response as a console error, which `page` otherwise counts as a failure."""
    return set()


@pytest.fixture
def page(page, expected_statuses):
    """Playwright's page, failing the test if the page's own script throws or is refused."""
    problems = []

    def console(msg):
        refused = re.search(r"the server responded with a status of (\d+)", msg.text)
        if msg.type == "error" and not (refused and int(refused.group(1)) in expected_statuses):
            problems.append(f"console: {msg.text}")

    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on("console", console)
    yield page
    assert not problems, problems


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Tests make hundreds of accounts; the real hasher is slow by design.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def reader(db):
    return make_user("reader")


@pytest.fixture
def other(db):
    """A second reader, for what one reader may do to another's claims."""
    return make_user("other")


@pytest.fixture
def alice(db):
    return make_user("alice")


@pytest.fixture
def bob(db):
    return make_user("bob")


@pytest.fixture
def lesson(db):
    """A class taught by `teach` (join code maple-otter-42) of three students, sam, kim and lee,
    joined in that order (Student A, B, C); an exercise on articles a and b with a key claim
    (with source and explanation), sam's work on the same words and kim's on others; and an
    outsider in no class."""
    teacher = make_teacher("teach")
    a, b = make_article("a", BODY_A), make_article("b", BODY_B)
    sam, kim, lee = (make_user(name) for name in ("sam", "kim", "lee"))
    classroom = make_class(teacher, [sam, kim, lee], join_code="maple-otter-42")
    exercise = make_exercise(classroom, [a, b])
    key = make_claim(teacher, a, "Putin urged restraint", source="Kremlin", exercise=exercise,
                     explanation="The Kremlin's words.", key=True)
    sams = make_claim(sam, a, "Putin urged restraint", exercise=exercise)
    kims = make_claim(kim, a, "a strongman's bluff", "editorialized", exercise=exercise)
    return {"teacher": teacher, "a": a, "b": b, "classroom": classroom, "exercise": exercise, "sam": sam,
            "kim": kim, "lee": lee, "key": key, "sams": sams, "kims": kims, "outsider": make_user("outsider")}


@pytest.fixture
def people(alice, bob):
    return {"alice": alice, "bob": bob, "staff": make_user("staff", is_staff=True)}


@pytest.fixture
def corpus(people):
    """Two articles with awkward claims by alice (private and public), bob (private and
    public), and links between them."""
    first, second = make_article("bridge-reopens", BRIDGE), make_article("inspectors-doubt", INSPECTORS)
    alice, bob = people["alice"], people["bob"]
    made = {
        "formula": make_claim(alice, first, words(first, 3), note=FORMULA_NOTES[0], source="@SUM"),
        "multiline": make_claim(alice, first, words(first, 10), label="disputed", visibility="public",
                                note='Line one, with a comma\nline "two" — “curly” 😀\r\nthird', source="-Reuters"),
        "tricky": make_claim(alice, second, words(second, 5), label="editorialized", note="\n".join(FORMULA_NOTES)),
        "bob": make_claim(bob, first, words(first, 20), note="bob's private thoughts"),
        "bob_public": make_claim(bob, second, words(second, 30), visibility="public", note="bob in public"),
    }
    made["link"] = make_link(alice, made["formula"], second, words(second, 12), note="+contradiction")
    made["link2"] = make_link(alice, made["formula"], second, words(second, 40), relation="corroborates")
    made["bob_link"] = make_link(bob, made["bob"], second, words(second, 50), note="bob's link")
    made["first"], made["second"] = first, second
    return made


@pytest.fixture(autouse=True)
def empty_caches():
    # Cached text and cards are keyed by what they show; a test's ids and texts can repeat in
    # the next test's fresh database, so every test starts with nothing cached.
    from django.core.cache import caches

    from annotator.annotations.reader import forget_drawings

    for cache in caches.all():
        cache.clear()
    forget_drawings()
