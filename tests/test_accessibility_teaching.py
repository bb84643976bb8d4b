"""axe-core and a 390 px phone width on the pages of the teacher's private word, reuse, the key
from the class and classmates' claims that open after N claims: no serious or critical
violations, no sideways scroll. Screenshots at 1280 and 390 px go to $SCREENSHOTS when set."""

import os

import pytest
from django.contrib.auth.models import User

from annotator.annotations.models import Annotation
from annotator.classroom import review
from annotator.classroom.models import Exercise

from .test_accessibility import demo, demo_sign_in, serious  # noqa: F401  (demo is a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


# The new panels, shot on their own as well: a whole page at 390 px is too long to read.
PARTS = (".reuse", ".key-from-class", "#override", ".teacher-notes", ".peers", ".exercise-banner", ".preview-note",
         ".teacher-comments")


def look(page, live_server, paths, name):
    problems = {}
    for path in paths:
        for width in (1280, 390):
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(live_server.url + path)
            if width == 1280:
                found = serious(page)
                if found:
                    problems[path] = found
            sideways = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            if sideways > 0:
                problems.setdefault(path, []).append(f"{sideways}px sideways scroll at {width}px")
            if os.environ.get("SCREENSHOTS"):
                slug = path.strip("/").replace("/", "_").replace("?", "_").replace("=", "-")
                page.screenshot(path=os.path.join(os.environ["SCREENSHOTS"], f"{name}-{slug}-{width}.png"),
                                full_page=True)
                for part in PARTS:
                    for i, found in enumerate(page.locator(part).all()[:1]):
                        found.screenshot(path=os.path.join(os.environ["SCREENSHOTS"],
                                                           f"{name}-{slug}-{part.strip('.#')}-{width}.png"))
    assert problems == {}


@pytest.fixture
def taught(demo):  # noqa: F811
    exercise = Exercise.objects.get(pk=demo["exercise"])
    teacher, amira = exercise.classroom.teacher, User.objects.get(username="amira")
    claim = Annotation.objects.filter(exercise=exercise, author=amira, is_key=False).first()
    review.add_comment(teacher, claim.pk, {"text": "Who is speaking here? Check the byline."})
    review.set_override(teacher, exercise.pk, amira.pk, {"score": 80, "reason": "Strong links, one label off."})
    exercise.peers_after_claims = 50
    exercise.revealed = True
    exercise.save()
    return {**demo, "student": amira.pk}


def test_teacher_pages_of_feedback_reuse_and_the_class_key_pass_axe_and_fit_a_phone(taught, live_server, page):
    demo_sign_in(page, live_server, "teacher")
    e, a = taught["exercise"], taught["article"]
    look(page, live_server, [f"/exercises/{e}/feedback/?student={taught['student']}", f"/exercises/{e}/dashboard/",
                             f"/exercises/{e}/preview/", f"/exercises/{e}/preview/{a}/", f"/exercises/{e}/print/key/",
                             f"/articles/{a}/print/"], "teacher")


def test_student_pages_with_the_teachers_word_pass_axe_and_fit_a_phone(taught, live_server, page):
    demo_sign_in(page, live_server, "amira")
    e, a = taught["exercise"], taught["article"]
    look(page, live_server, ["/whats-new/", f"/exercises/{e}/feedback/", f"/exercises/{e}/",
                             f"/exercises/{e}/articles/{a}/", f"/exercises/{e}/print/"], "student")
