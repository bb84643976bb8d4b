"""Every URL × every kind of visitor, with the status each must get.

The table is checked against the URL conf: a new URL without a row here fails
test_every_url_has_a_row, so nobody adds a page without deciding who may open it.
Django's admin and its password-reset pages are Django's own and left out.
"""

import csv
import io
import json
import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from annotator.annotations import sources
from annotator.classroom import review
from annotator.classroom.models import Exercise
from annotator.corpus import outlets
from annotator.corpus.models import Article
from annotator.discussion import services as discussion
from annotator.lti.models import Course, Platform, ResourceLink

from .factories import (
    BODY_A, BODY_B, client_for, make_article, make_claim, make_class, make_exercise, make_link, make_teacher, make_user,
)

ROLES = ("anonymous", "student", "other_student", "teacher", "other_teacher", "staff")
DJANGOS_OWN = ("admin:", "password_", "logout")

# name: (method, path, {role: status}) — the path's {claim}, {link}, {exercise}, {classroom},
# {student} are the student's private claim and link, and the teacher's exercise and class.
A, S, OS, T, OT, ST = ROLES
every = lambda status: dict.fromkeys(ROLES, status)  # noqa: E731
signed_in = lambda status, anonymous=302: {**every(status), A: anonymous}  # noqa: E731


def teachers_only(status, other_teacher=None, anonymous=302):
    statuses = {A: anonymous, S: 403, OS: 403, T: status, OT: status, ST: status}
    if other_teacher is not None:
        statuses[OT] = statuses[ST] = other_teacher
    return statuses


def authors_only(status, others=404, anonymous=302):
    return {**every(others), A: anonymous, S: status}


MATRIX = {
    # accounts
    "signup": ("GET", "/accounts/signup/", {**every(302), A: 200}),
    "login": ("GET", "/accounts/login/", every(200)),
    # my data, and deleting an account: the person, their class's teacher, staff
    "privacy:my_data": ("GET", "/accounts/data/", signed_in(200)),
    "privacy:display_name": ("POST", "/accounts/data/name/", signed_in(302)),
    "privacy:download_json": ("GET", "/accounts/data/my-data.json", signed_in(200)),
    "privacy:download_zip": ("GET", "/accounts/data/my-data.zip", signed_in(200)),
    "privacy:delete_account": ("GET", "/accounts/{student}/delete/", {**every(404), A: 302, S: 200, T: 200, ST: 200}),
    "privacy:api-my-data": ("GET", "/api/me/data/", signed_in(200, anonymous=401)),
    "privacy:api-account-delete": ("POST", "/api/accounts/{student}/delete/",
                                   {**every(404), A: 401, S: 400, T: 400, ST: 400}),
    # corpus
    "home": ("GET", "/", every(200)),
    "corpus:original": ("GET", "/articles/a/original/", every(200)),
    "corpus:guide": ("GET", "/guide/", every(200)),
    "corpus:add": ("GET", "/articles/add/", teachers_only(200)),
    "corpus:save": ("POST", "/articles/add/save/", teachers_only(400)),
    "corpus:edit": ("GET", "/articles/a/edit/", teachers_only(200)),
    "corpus:replace": ("POST", "/articles/a/replace/", teachers_only(422)),
    "corpus:archive": ("POST", "/articles/a/archive/", teachers_only(302)),
    # Article "a" was imported by the command, so it has no owner: only staff may delete it.
    "corpus:outlet": ("GET", "/outlets/examiner/", every(200)),
    "corpus:outlet_find": ("GET", "/outlets/find/?name=examiner", every(302)),
    "corpus:outlet_new": ("POST", "/outlets/new/", teachers_only(422)),
    "corpus:outlet_edit": ("GET", "/outlets/examiner/edit/", teachers_only(200)),
    "corpus:outlet_lock": ("POST", "/outlets/examiner/lock/", {**teachers_only(403), ST: 302}),
    "corpus:outlets_csv": ("GET", "/export/outlets.csv", every(200)),
    "corpus:byline": ("GET", "/bylines/?name=Joel+Gehrke", every(200)),
    "corpus:delete": ("POST", "/articles/a/delete/", {**teachers_only(403), ST: 422}),
    # the reader and its htmx parts
    "annotations:reader": ("GET", "/articles/a/", every(200)),
    "annotations:create": ("POST", "/articles/a/claims/", signed_in(422)),
    "annotations:edit": ("GET", "/claims/{claim}/edit/", authors_only(200)),
    "annotations:delete": ("POST", "/claims/{claim}/delete/", authors_only(200)),
    "annotations:link_panel": ("GET", "/claims/{claim}/links/", authors_only(200)),
    "annotations:link_passages": ("GET", "/claims/{claim}/links/passages/?q=Putin", authors_only(200)),
    "annotations:link_article": ("GET", "/claims/{claim}/links/articles/b/", authors_only(200)),
    "annotations:link_create": ("POST", "/claims/{claim}/links/save/", authors_only(422)),
    "annotations:link_delete": ("POST", "/links/{link}/delete/", authors_only(302)),
    "annotations:claim_map": ("GET", "/map/", every(200)),
    # sources
    "annotations:sources": ("GET", "/sources/", every(200)),
    "annotations:source_find": ("GET", "/sources/find/?name=the+Kremlin", every(302)),
    "annotations:source_create": ("POST", "/sources/new/", teachers_only(422)),
    "annotations:source_suggestions": ("GET", "/sources/suggest/?source=Krem", every(200)),
    "annotations:source": ("GET", "/sources/kremlin/", every(200)),
    "annotations:alias_add": ("POST", "/sources/kremlin/aliases/", teachers_only(422)),
    "annotations:alias_delete": ("POST", "/sources/aliases/{alias}/delete/", teachers_only(302)),
    # JSON API
    "api-articles": ("GET", "/api/articles/", every(200)),
    "api-article": ("GET", "/api/articles/a/", every(200)),
    "api-article-related": ("GET", "/api/articles/a/related/?start=16&end=37", every(200)),
    "api-outlets": ("POST", "/api/outlets/", teachers_only(400, anonymous=401)),
    "api-outlet": ("PATCH", "/api/outlets/examiner/", teachers_only(400, anonymous=401)),
    "api-outlet-lock": ("POST", "/api/outlets/examiner/lock/", {**every(403), A: 401, ST: 400}),
    "api-passage-search": ("GET", "/api/passages/search/?q=Putin", every(200)),
    "api-annotations": ("POST", "/api/annotations/", signed_in(400, anonymous=401)),
    "api-annotation": ("GET", "/api/annotations/{claim}/", {**every(404), S: 200}),
    "api-links": ("POST", "/api/links/", signed_in(400, anonymous=401)),
    "api-link": ("DELETE", "/api/links/{link}/", {**every(404), A: 401, S: 204}),
    "api-sources": ("POST", "/api/sources/", teachers_only(400, anonymous=401)),
    "api-source": ("GET", "/api/sources/kremlin/", every(200)),
    "api-source-aliases": ("POST", "/api/sources/kremlin/aliases/", teachers_only(400, anonymous=401)),
    "api-source-alias": ("DELETE", "/api/sources/aliases/{alias}/", teachers_only(204, anonymous=401)),
    # exports
    "exports:annotations_csv": ("GET", "/export/annotations.csv?all=1", {**every(403), A: 401, ST: 200}),
    "exports:links_csv": ("GET", "/export/links.csv?exercise={exercise}", {**every(404), A: 401, T: 200}),
    "exports:annotations_jsonld": ("GET", "/export/annotations.jsonld?mine=1", signed_in(200, anonymous=401)),
    "exports:mine": ("GET", "/my/annotations/", signed_in(200)),
    "exports:sources_csv": ("GET", "/export/sources.csv?all=1", {**every(403), A: 401, ST: 200}),
    # assist
    # Suggestions are off in the students' exercise on this article, so they get none here either.
    "assist:api-list": ("GET", "/api/articles/a/suggestions/", {**every(200), S: 403, OS: 403}),
    "assist:api-dismiss": ("POST", "/api/articles/a/suggestions/dismiss/", signed_in(400, anonymous=401)),
    "assist:panel": ("GET", "/articles/a/suggestions/?show=1", {**every(200), S: 403, OS: 403}),
    "assist:accept": ("POST", "/articles/a/suggestions/accept/", signed_in(422)),
    "assist:dismiss": ("POST", "/articles/a/suggestions/dismiss/", signed_in(422)),
    # classroom
    "classroom:classes": ("GET", "/classes/", signed_in(200)),
    "classroom:class_create": ("POST", "/classes/new/", teachers_only(302)),
    "classroom:join": ("POST", "/classes/join/", signed_in(302)),
    "classroom:class": ("GET", "/classes/{classroom}/", teachers_only(200, other_teacher=404)),
    "classroom:archive": ("POST", "/classes/{classroom}/archive/", teachers_only(302, other_teacher=404)),
    "classroom:rotate_code": ("POST", "/classes/{classroom}/rotate-code/", teachers_only(302, other_teacher=404)),
    "classroom:remove_student": ("POST", "/classes/{classroom}/students/{student}/remove/",
                                 teachers_only(302, other_teacher=404)),
    "classroom:reset_password": ("POST", "/classes/{classroom}/students/{student}/password/",
                                 teachers_only(302, other_teacher=404)),
    "classroom:exercise_new": ("GET", "/classes/{classroom}/exercises/new/", teachers_only(200, other_teacher=404)),
    "classroom:exercise": ("GET", "/exercises/{exercise}/", {**every(404), A: 302, S: 200, OS: 200, T: 302}),
    "classroom:exercise_edit": ("GET", "/exercises/{exercise}/edit/", teachers_only(200, other_teacher=404)),
    "classroom:exercise_article": ("GET", "/exercises/{exercise}/articles/a/", {**every(404), A: 302, S: 200, OS: 200}),
    "classroom:key_article": ("GET", "/exercises/{exercise}/key/a/", teachers_only(200, other_teacher=404)),
    "classroom:discussion_article": ("GET", "/exercises/{exercise}/discussion/a/", {**every(404), A: 302, T: 200}),
    "classroom:submit": ("POST", "/exercises/{exercise}/submit/", {**every(404), A: 302, S: 302, OS: 302}),
    "classroom:reopen": ("POST", "/exercises/{exercise}/students/{student}/reopen/",
                         teachers_only(302, other_teacher=404)),
    "classroom:reveal": ("POST", "/exercises/{exercise}/reveal/", teachers_only(302, other_teacher=404)),
    "classroom:feedback": ("GET", "/exercises/{exercise}/feedback/?student={student}",
                           {**every(404), A: 302, S: 302, OS: 302, T: 200}),
    # {link} is the student's private link, outside the exercise: no link of it to mark.
    "classroom:link_review": ("POST", "/exercises/{exercise}/links/{link}/review/", teachers_only(404)),
    "classroom:dashboard": ("GET", "/exercises/{exercise}/dashboard/", teachers_only(200, other_teacher=404)),
    "classroom:results_csv": ("GET", "/exercises/{exercise}/results.csv", teachers_only(200, other_teacher=404)),
    # discussion
    "discussion:thread": ("GET", "/claims/{claim}/discussion/", {**every(404), S: 200}),
    "discussion:reply_create": ("POST", "/claims/{claim}/discussion/replies/", authors_only(302)),
    "discussion:claim_hide": ("POST", "/claims/{claim}/discussion/hide/", authors_only(403)),
    "discussion:thread_lock": ("POST", "/claims/{claim}/discussion/lock/", authors_only(403)),
    # Evidence pickers open only where replies are allowed; a private claim outside a class has none.
    "discussion:evidence_panel": ("GET", "/claims/{claim}/discussion/evidence/", signed_in(404)),
    "discussion:evidence_passages": ("GET", "/claims/{claim}/discussion/evidence/passages/?q=Putin", signed_in(404)),
    "discussion:evidence_article": ("GET", "/claims/{claim}/discussion/evidence/articles/b/", signed_in(404)),
    "discussion:evidence_chosen": ("POST", "/claims/{claim}/discussion/evidence/chosen/", signed_in(404)),
    "discussion:reply_edit": ("POST", "/replies/{reply}/edit/", authors_only(302)),
    "discussion:reply_delete": ("POST", "/replies/{reply}/delete/", authors_only(302)),
    "discussion:reply_flag": ("POST", "/replies/{reply}/flag/", authors_only(302)),
    "discussion:reply_hide": ("POST", "/replies/{reply}/hide/", authors_only(403)),
    "discussion:flags_clear": ("POST", "/replies/{reply}/flags/clear/", authors_only(403)),
    "discussion:whats_new": ("GET", "/whats-new/", signed_in(200)),
    "discussion:mark_all_read": ("POST", "/whats-new/read/", signed_in(302)),
    "discussion:flags": ("GET", "/exercises/{exercise}/flags/", {**every(404), A: 302, T: 200}),
    "discussion:replies_switch": ("POST", "/exercises/{exercise}/flags/replies/", {**every(404), A: 302, T: 302}),
    "discussion:replies_csv": ("GET", "/export/replies.csv", every(200)),
    "discussion:replies_jsonld": ("GET", "/export/replies.jsonld", every(200)),
    "api-replies": ("GET", "/api/annotations/{claim}/replies/", {**every(404), S: 200}),
    "api-reply": ("GET", "/api/replies/{reply}/", {**every(404), S: 200}),
    "api-reply-flag": ("POST", "/api/replies/{reply}/flag/", {**every(404), A: 401, S: 400}),
    # Moderation is the class teacher's; the student's private claim is theirs alone to see.
    "api-claim-moderation": ("GET", "/api/annotations/{claim}/moderation/", {**every(404), A: 401, S: 403}),
    "api-reply-moderation": ("GET", "/api/replies/{reply}/moderation/", {**every(404), A: 401, S: 403}),
    "api-exercise-discussion": ("GET", "/api/exercises/{exercise}/discussion/", {**every(404), A: 401, T: 200}),
    # LTI. The login and the launch are the platform's doors, open to everyone by the protocol;
    # what stands in for a session there is the platform's signature (tests/test_lti.py), so
    # every visitor gets the same refusal of a request without one.
    "lti:login": ("GET", "/lti/login/", every(400)),
    "lti:launch": ("POST", "/lti/launch/", every(400)),
    "lti:jwks": ("GET", "/lti/jwks.json", every(200)),
    "lti:setup": ("GET", "/lti/", {**every(403), A: 302, ST: 200}),
    # Only after an instructor's deep-linking launch, in that instructor's session.
    "lti:deep_link": ("GET", "/lti/deep-link/", signed_in(404)),
    "lti:choose": ("GET", "/lti/links/{lti_link}/choose/", teachers_only(200, other_teacher=404)),
    "lti:not_ready": ("GET", "/lti/links/{lti_link}/waiting/", {**every(404), A: 302, S: 200, OS: 200}),
    "lti:grades": ("GET", "/lti/exercises/{exercise}/grades/", teachers_only(200, other_teacher=404)),
    "lti:grades_retry": ("POST", "/lti/exercises/{exercise}/grades/retry/", teachers_only(302, other_teacher=404)),
    # The teacher's private word on {work}, the student's claim in the exercise: the student reads it.
    "classroom:comment_create": ("POST", "/claims/{work}/teacher-comments/", {**every(404), A: 302, T: 302}),
    "classroom:comment_delete": ("POST", "/teacher-comments/{comment}/delete/", {**every(404), A: 302, T: 302}),
    "classroom:score_override": ("POST", "/exercises/{exercise}/students/{student}/score/",
                                 {**every(404), A: 302, T: 302}),
    "api-claim-comments": ("GET", "/api/annotations/{work}/teacher-comments/",
                           {**every(404), A: 401, S: 200, T: 200}),
    "api-comment": ("DELETE", "/api/teacher-comments/{comment}/", {**every(404), A: 401, T: 204}),
    "api-score": ("GET", "/api/exercises/{exercise}/students/{student}/score/", {**every(404), A: 401, T: 200}),
    # Reuse: an empty form is the teacher's mistake (a message on the dashboard), anyone else's a 404.
    "classroom:exercise_copy": ("POST", "/exercises/{exercise}/copy/", {**every(404), A: 302, T: 302}),
    "classroom:key_reuse": ("POST", "/exercises/{exercise}/reuse-key/", {**every(404), A: 302, T: 302}),
    "classroom:more_time": ("POST", "/exercises/{exercise}/more-time/", {**every(404), A: 302, T: 302}),
    "classroom:preview": ("GET", "/exercises/{exercise}/preview/", teachers_only(200, other_teacher=404)),
    "classroom:preview_article": ("GET", "/exercises/{exercise}/preview/a/", teachers_only(200, other_teacher=404)),
    "api-exercise-copy": ("POST", "/api/exercises/{exercise}/copy/", signed_in(400, anonymous=401)),
    "api-key-reuse": ("POST", "/api/exercises/{exercise}/reuse-key/", signed_in(400, anonymous=401)),
    # A key built from the class.
    "classroom:accept_suggestion": ("POST", "/exercises/{exercise}/class-key/accept/", {**every(404), A: 302, T: 302}),
    "classroom:promote": ("POST", "/claims/{work}/promote/", {**every(404), A: 302, T: 302}),
    "api-class-key": ("GET", "/api/exercises/{exercise}/class-key/", {**every(404), A: 401, T: 200}),
    "api-promote": ("POST", "/api/annotations/{work}/promote/", signed_in(400, anonymous=401)),
    # Printing
    "annotations:print": ("GET", "/articles/a/print/", every(200)),
    "classroom:handout": ("GET", "/exercises/{exercise}/print/", {**every(404), A: 302, S: 200, OS: 200, T: 200}),
    "classroom:key_handout": ("GET", "/exercises/{exercise}/print/key/", teachers_only(200, other_teacher=404)),
    "api-due": ("GET", "/api/exercises/{exercise}/students/{student}/due/", {**every(404), A: 401, T: 200}),
}


def url_names(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield namespace + pattern.name


def test_every_url_has_a_row():
    names = {name for name in url_names(get_resolver().url_patterns) if not name.startswith(DJANGOS_OWN)}
    assert names - set(MATRIX) == set(), "add these URLs to MATRIX with the status each visitor must get"
    assert set(MATRIX) - names == set(), "these MATRIX rows name URLs that no longer exist"


@pytest.fixture
def world(db):
    users = {role: (make_teacher if "teacher" in role else make_user)(role) for role in ROLES[1:]}
    users["staff"].is_staff = True
    users["staff"].save()
    a, b = make_article("a", BODY_A), make_article("b", BODY_B)
    classroom = make_class(users["teacher"], [users["student"], users["other_student"]])
    make_class(users["other_teacher"], name="Period 5")
    exercise = make_exercise(classroom, [a, b], title="Restraint")
    claim = make_claim(users["student"], a, "Putin urged restraint")
    link = make_link(users["student"], claim, b, "Putin praised")
    reply = discussion.create_reply(users["student"], claim.pk, {"text": "See the Kremlin readout."})
    platform = Platform.objects.create(name="LMS", issuer="https://lms.example", client_id="c",
                                       auth_url="https://lms.example/auth", token_url="https://lms.example/token",
                                       keyset_url="https://lms.example/jwks")
    course = Course.objects.create(platform=platform, context_id="course-1", classroom=classroom)
    lti_link = ResourceLink.objects.create(course=course, resource_link_id="link-1")
    outlets.create_outlet(users["staff"], {"name": "Examiner", "kind": "newspaper"})
    kremlin = sources.create_source(users["staff"], {"name": "Kremlin", "kind": "office"})
    alias = sources.add_alias(users["staff"], kremlin.slug, {"alias": "Russian presidential press service"})
    work = make_claim(users["student"], a, "the Kremlin said", exercise=exercise)
    comment = review.add_comment(users["teacher"], work.pk, {"text": "Who said it?"})
    return {"users": users, "ids": {"alias": alias.pk, "reply": reply.pk, "claim": claim.pk, "link": link.pk,
                                    "exercise": exercise.pk, "classroom": classroom.pk, "student": users["student"].pk,
                                    "lti_link": lti_link.pk, "work": work.pk, "comment": comment.pk}}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_status(world, name, role):
    method, path, statuses = MATRIX[name]
    client = Client() if role == "anonymous" else client_for(world["users"][role])
    response = getattr(client, method.lower())(path.format(**world["ids"]))
    assert response.status_code == statuses[role], f"{method} {path} as {role}"


# Names in discussion mode: once the class discusses the exercise, who sees the student's
# username on their exercise claim (and its link), who sees "Student A", and who does not see
# the claim at all. One rule (classroom.visibility.AuthorNames) behind every output.
REAL, ANONYMOUS, UNSEEN = "student", "Student A", None
CLASS_NAMES = {A: UNSEEN, S: REAL, OS: ANONYMOUS, T: REAL, OT: UNSEEN, ST: UNSEEN}
NAMES = {
    "/api/annotations/{work}/": CLASS_NAMES,
    "/api/annotations/?article=a": CLASS_NAMES,
    "/export/annotations.csv?article=a": CLASS_NAMES,
    "/export/annotations.jsonld?article=a": CLASS_NAMES,
    "/export/links.csv?article=a": CLASS_NAMES,
    "/export/annotations.csv?exercise={exercise}": {**every(UNSEEN), T: REAL},
    "/export/annotations.jsonld?all=1": {**every(UNSEEN), ST: REAL},
}


@pytest.fixture
def discussed(world):
    """The student's claim in the teacher's exercise, linked to article b, in discussion mode."""
    student = world["users"]["student"]
    exercise = Exercise.objects.get(pk=world["ids"]["exercise"])
    a, b = Article.objects.get(slug="a"), Article.objects.get(slug="b")
    work = make_claim(student, a, "Critics called", "editorialized", exercise=exercise)
    make_link(student, work, b, "PressTV claimed", "corroborates")
    exercise.discussion = True
    exercise.save(update_fields=["discussion"])
    return {**world, "ids": {**world["ids"], "work": work.pk}}


def shown_authors(path, response, work):
    """The names the response gives the work claim and its link (empty: the claim is not in it)."""
    if response.status_code != 200:
        return set()
    body = b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()
    if path.startswith("/api/"):
        data = response.json()
        items = data.get("results", [data])
        return {name for item in items if item["id"] == work for name in
                (item["author"], *(link["author"] for link in item["links"]))}
    if ".jsonld" in path:
        items = json.loads(body)["first"]["items"]
        return {item["creator"]["nickname"] for item in items
                if f"urn:annotator:annotation:{work}" in (item["id"], item.get("target"))}
    rows = list(csv.DictReader(io.StringIO(body)))
    key = "from" if "links.csv" in path else "id"
    return {row["author"] for row in rows if row[key] == str(work)}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", sorted(NAMES))
def test_who_sees_a_students_name_in_discussion_mode(discussed, path, role):
    client = Client() if role == "anonymous" else client_for(discussed["users"][role])
    url = path.format(**discussed["ids"])
    response = client.get(url)
    expected = NAMES[path][role]
    assert shown_authors(path, response, discussed["ids"]["work"]) == ({expected} if expected else set()), \
        f"{url} as {role}"
    if expected == ANONYMOUS:
        body = b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()
        assert not re.search(r"\bstudent\b", body), f"{url} as {role} shows the username somewhere"
