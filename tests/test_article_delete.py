"""Deleting an article: only its owner or staff, only with nothing but the owner's own work on it.

Every refusal is checked to have changed nothing at all: the rows of every table that
depends on articles are compared before and after.
"""

import ast
import html
import re
from pathlib import Path

import pytest
from django.db.models import ProtectedError

from annotator.annotations.models import Annotation, Link
from annotator.classroom import services as classroom
from annotator.classroom.models import Exercise, ExerciseArticle
from annotator.corpus.models import Article, Passage
from annotator.discussion import services as discussion
from annotator.discussion.models import ReadMarker, Reply

from .factories import (
    BODY_A, BODY_B, client_for, make_article, make_claim, make_class, make_exercise, make_link, make_teacher, make_user,
    passage,
)

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent
TABLES = (Article, Passage, Annotation, Link, Reply, ReadMarker, ExerciseArticle, Exercise)


@pytest.fixture
def users():
    """Two teachers, tess (Tess Ward) and otto; a student, sam; and root, on the staff."""
    return {"tess": make_teacher("tess", first_name="Tess", last_name="Ward"), "otto": make_teacher("otto"),
            "sam": make_user("sam"), "root": make_user("root", is_staff=True)}


@pytest.fixture
def a(users):
    """Tess's article, as if she had added it on the Add article page."""
    made = make_article("a", BODY_A)
    made.owner = users["tess"]
    made.save(update_fields=["owner"])
    return made


@pytest.fixture
def b(users):
    """An article imported by the command: nobody owns it."""
    return make_article("b", BODY_B)


def exercise_of(teacher, *articles, title="Restraint or praise?", students=()):
    # The class is named after its teacher: a page that leaked it would show their username.
    return make_exercise(make_class(teacher, students, name=f"{teacher.username}'s class"), articles, title=title)


def snapshot():
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in TABLES}


def edit_page(user, on):
    response = client_for(user).get(f"/articles/{on.slug}/edit/")
    assert response.status_code == 200
    return response


def plan_of(response):
    found = re.search(r'name="plan" value="([0-9a-f]+)"', response.content.decode())
    return found.group(1) if found else None


def text_of(response):
    return " ".join(html.unescape(response.content.decode()).split())


def delete_panel(response):
    found = re.search(r'<section class="panel danger-zone".*?</section>', response.content.decode(), re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", found.group(0))).split())


def delete(user, on, plan):
    return client_for(user).post(f"/articles/{on.slug}/delete/", {"confirm": "on", "plan": plan or ""})


# --- the database guards ------------------------------------------------------------------


@pytest.mark.parametrize("dependent", ["claim", "link into it", "reply evidence", "exercise"])
def test_a_plain_delete_of_an_article_something_depends_on_raises_protected_error(users, a, b, dependent):
    sam = users["sam"]
    if dependent == "claim":
        make_claim(sam, a, "Putin urged restraint")
    elif dependent == "link into it":
        make_link(sam, make_claim(sam, b, "Putin praised"), a, "Putin urged restraint")
    elif dependent == "reply evidence":
        on_b = make_claim(sam, b, "Putin praised", visibility="public")
        discussion.create_reply(sam, on_b.pk, {"text": "Compare", **passage(a, "Putin urged restraint")})
    else:
        exercise_of(users["tess"], a)
    before = snapshot()
    with pytest.raises(ProtectedError):
        a.delete()
    assert snapshot() == before


# --- who may delete -----------------------------------------------------------------------


def test_another_teacher_sees_who_may_delete_and_is_refused_with_403(users, a):
    page = edit_page(users["otto"], a)
    assert plan_of(page) is None and "Delete for good" not in page.content.decode()
    assert "Only Tess Ward, who added this article, or a site administrator can delete it" in text_of(page)
    assert "archive it" in text_of(page)
    before = snapshot()
    response = delete(users["otto"], a, plan_of(edit_page(users["tess"], a)))
    assert response.status_code == 403
    assert "Only the teacher who added this article, or staff, can delete it" in text_of(response)
    assert snapshot() == before


def test_an_unowned_article_says_only_staff_may_delete_it_and_staff_can(users, b):
    page = edit_page(users["otto"], b)
    assert plan_of(page) is None
    assert "imported in bulk, so only a site administrator can delete it" in text_of(page)
    assert delete(users["otto"], b, plan_of(edit_page(users["root"], b))).status_code == 403
    page = edit_page(users["root"], b)
    assert "Nothing else depends on this article" in text_of(page)
    response = delete(users["root"], b, plan_of(page))
    assert response.status_code == 302
    assert not Article.objects.filter(pk=b.pk).exists() and not Passage.objects.filter(article_id=b.pk).exists()


def test_staff_cannot_delete_an_unowned_article_with_anyones_claims_on_it(users, b):
    make_claim(users["root"], b, "Putin praised")
    page = edit_page(users["root"], b)
    assert plan_of(page) is None and "1 claim by other people" in text_of(page)
    before = snapshot()
    assert delete(users["root"], b, "0" * 32).status_code == 409
    assert snapshot() == before


def test_staff_may_delete_an_owned_article_with_only_its_owners_work(users, a):
    make_claim(users["tess"], a, "Putin urged restraint")
    page = edit_page(users["root"], a)
    assert "This deletes 1 claim" in text_of(page)
    assert delete(users["root"], a, plan_of(page)).status_code == 302
    assert not Article.objects.filter(pk=a.pk).exists()
    assert Annotation.objects.count() == 0


# --- what blocks ----------------------------------------------------------------------------


def _exercise_uses_it(users, a, b):
    exercise_of(users["tess"], a, title="Restraint or praise?")
    return ["Your exercise “Restraint or praise?” uses it"]


def _another_teachers_exercise_uses_it(users, a, b):
    exercise_of(users["otto"], a, title="Otto's secret lesson")
    return ["1 exercise that is not yours uses it"]


def _students_submitted_work(users, a, b):
    sam = users["sam"]
    exercise = exercise_of(users["tess"], a, b, students=[sam])
    make_claim(sam, a, "Putin urged restraint", exercise=exercise, note="sam's private reasoning")
    classroom.submit(sam, exercise)
    return ["Your exercise “Restraint or praise?” uses it, with 1 claim of its work on it"]


def _owners_key_claim_after_the_exercise_dropped_it(users, a, b):
    exercise = exercise_of(users["tess"], a, b)
    make_claim(users["tess"], a, "Putin urged restraint", exercise=exercise, explanation="The Kremlin's words.",
               key=True)
    ExerciseArticle.objects.filter(article=a).delete()
    return ["1 claim of the work in your exercise “Restraint or praise?”"]


def _owners_key_link_into_it_from_another_article(users, a, b):
    exercise = exercise_of(users["tess"], a, b)
    key = make_claim(users["tess"], b, "Putin praised", exercise=exercise, explanation="PressTV's claim.", key=True)
    make_link(users["tess"], key, a, "Putin urged restraint")
    ExerciseArticle.objects.filter(article=a).delete()
    return ["1 link of the work in your exercise “Restraint or praise?”"]


def _another_users_claim(users, a, b):
    make_claim(users["sam"], a, "Putin urged restraint", note="sam's private reasoning")
    return ["1 claim by other people"]


def _another_users_link_into_it(users, a, b):
    make_link(users["sam"], make_claim(users["sam"], b, "Putin praised"), a, "Putin urged restraint")
    return ["1 link by other people"]


def _another_users_reply_on_the_owners_claim(users, a, b):
    mine = make_claim(users["tess"], a, "Putin urged restraint", visibility="public")
    discussion.create_reply(users["sam"], mine.pk, {"text": "sam's private reasoning"})
    return ["1 reply by other people"]


def _another_users_see_this_passage_into_it(users, a, b):
    on_b = make_claim(users["sam"], b, "Putin praised", visibility="public")
    discussion.create_reply(users["sam"], on_b.pk, {"text": "sam's private reasoning",
                                                     **passage(a, "Putin urged restraint")})
    return ["1 reply by other people"]


BLOCKERS = [_exercise_uses_it, _another_teachers_exercise_uses_it, _students_submitted_work,
            _owners_key_claim_after_the_exercise_dropped_it, _owners_key_link_into_it_from_another_article,
            _another_users_claim, _another_users_link_into_it, _another_users_reply_on_the_owners_claim,
            _another_users_see_this_passage_into_it]


@pytest.mark.parametrize("make", BLOCKERS, ids=lambda make: make.__name__.strip("_"))
def test_each_dependent_that_is_not_the_owners_to_lose_refuses_the_delete_and_deletes_nothing(users, a, b, make):
    said = make(users, a, b)
    page = edit_page(users["tess"], a)
    assert plan_of(page) is None, "no delete form while something blocks"
    assert "It cannot be deleted" in text_of(page) and "Archive it instead" in text_of(page)
    for line in said:
        assert line in text_of(page)
    before = snapshot()
    response = delete(users["tess"], a, "0" * 32)
    assert response.status_code == 409
    assert "archive it instead" in text_of(response)
    for line in said:
        assert line in text_of(response)
    assert snapshot() == before


def test_a_refusal_names_neither_other_people_nor_their_words_nor_exercises_the_viewer_does_not_teach(users, a, b):
    _another_teachers_exercise_uses_it(users, a, b)
    _another_users_claim(users, a, b)
    response = delete(users["tess"], a, "0" * 32)
    panel = delete_panel(response)
    assert "1 exercise that is not yours uses it" in panel and "1 claim by other people" in panel
    for secret in ("Otto's secret lesson", "sam's private reasoning", "otto", "sam"):
        assert secret not in panel


# --- the owner's own work -----------------------------------------------------------------


def test_the_owner_sees_everything_the_delete_removes_and_it_removes_exactly_that(users, a, b):
    tess, sam = users["tess"], users["sam"]
    restraint = make_claim(tess, a, "Putin urged restraint", visibility="public")
    make_claim(tess, a, "strongman's bluff")
    make_link(tess, restraint, b, "Putin praised")  # out of her claim
    on_b = make_claim(tess, b, "Putin praised")
    make_link(tess, on_b, a, "Kremlin said")  # into the article
    discussion.create_reply(tess, restraint.pk, {"text": "My own note to self."})
    discussion.mark_read(tess, restraint)
    sams = make_claim(sam, b, "PressTV claimed", visibility="public")
    kept = discussion.create_reply(tess, sams.pk, {"text": "Compare the Kremlin's words.",
                                                  **passage(a, "Putin urged restraint")})
    page = edit_page(tess, a)
    said = delete_panel(page)
    assert "This deletes 2 claims, 2 links and 1 reply along with the article" in said
    assert "(with 1 read marker kept about them)" in said
    assert "1 reply of yours on other articles stays, losing only its “see this” passage into this article" in said
    assert "2 claims, 2 links and 1 reply on it" in text_of(page)

    response = client_for(tess).post(f"/articles/{a.slug}/delete/", {"confirm": "on", "plan": plan_of(page)},
                                     follow=True)
    assert response.status_code == 200
    assert "Deleted “Kremlin readout” with 2 claims, 2 links and 1 reply." in text_of(response)
    assert "1 reply of yours on other articles stays, losing only its “see this” passage" in text_of(response)
    assert not Article.objects.filter(pk=a.pk).exists() and not Passage.objects.filter(article_id=a.pk).exists()
    assert set(Annotation.objects.all()) == {on_b, sams}
    assert Link.objects.count() == 0
    assert set(ReadMarker.objects.values_list("claim", flat=True)) <= {on_b.pk, sams.pk}
    assert list(Reply.objects.all()) == [kept]
    kept.refresh_from_db()
    assert (kept.text, kept.to_article, kept.to_start, kept.to_end, kept.to_exact, kept.to_prefix) == (
        "Compare the Kremlin's words.", None, None, None, "", "")


def test_the_owner_of_an_article_nothing_depends_on_deletes_it_with_one_tick(users, a):
    page = edit_page(users["tess"], a)
    assert "Nothing else depends on this article" in text_of(page)
    assert delete(users["tess"], a, plan_of(page)).status_code == 302
    assert not Article.objects.filter(pk=a.pk).exists()


def test_a_delete_without_the_plan_it_confirms_is_refused_and_the_page_offers_the_current_one(users, a):
    response = client_for(users["tess"]).post(f"/articles/{a.slug}/delete/", {"confirm": "on"})
    assert response.status_code == 422 and "This page is out of date" in text_of(response)
    assert Article.objects.filter(pk=a.pk).exists()
    assert delete(users["tess"], a, plan_of(response)).status_code == 302


# --- between the page and the confirmation ------------------------------------------------


def test_another_users_claim_made_after_the_page_loaded_makes_the_confirm_refuse(users, a):
    page = edit_page(users["tess"], a)
    assert "Nothing else depends on this article" in text_of(page)
    make_claim(users["sam"], a, "Putin urged restraint")
    before = snapshot()
    response = delete(users["tess"], a, plan_of(page))
    assert response.status_code == 409
    assert "archive it instead" in text_of(response) and "1 claim by other people" in text_of(response)
    assert snapshot() == before


def test_the_owners_own_claim_made_after_the_page_loaded_needs_a_new_confirmation(users, a):
    make_claim(users["tess"], a, "Putin urged restraint")
    page = edit_page(users["tess"], a)
    assert "This deletes 1 claim" in text_of(page)
    make_claim(users["tess"], a, "strongman's bluff")
    before = snapshot()
    response = delete(users["tess"], a, plan_of(page))
    assert response.status_code == 409
    assert "changed since you opened this page" in text_of(response) and "This deletes 2 claims" in text_of(response)
    assert snapshot() == before
    assert delete(users["tess"], a, plan_of(response)).status_code == 302
    assert Annotation.objects.count() == 0


# --- layering -----------------------------------------------------------------------------


@pytest.mark.parametrize("module", ["deletion.py", "manage_views.py"])
def test_the_corpus_delete_imports_none_of_the_apps_built_on_corpus(module):
    tree = ast.parse((ROOT / "annotator" / "corpus" / module).read_text())
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    assert not {name for name in imported if name.startswith(("annotator.annotations", "annotator.discussion"))}
    if module == "deletion.py":
        assert not {name for name in imported if name.startswith("annotator.classroom")}


def test_exercises_the_viewer_does_not_teach_are_counted_together(users, a, b):
    sam = users["sam"]
    for title in ("Otto's first lesson", "Otto's second lesson"):
        exercise = exercise_of(users["otto"], a, title=title, students=[sam])
        make_claim(sam, a, "Putin urged restraint", exercise=exercise)
    panel = delete_panel(delete(users["tess"], a, "0" * 32))
    assert "2 exercises that are not yours use it, with 2 claims of their work on it" in panel
    assert "Otto" not in panel
