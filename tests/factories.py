"""The builders every test shares: articles, accounts, claims and links, classes and exercises,
signed-in clients.

Claims and links are saved through the services (annotations.services.create_annotation and
create_link), so every row a test starts from is one the site itself would have written. The
shared worlds built from these (the `lesson`, the export `corpus`) are fixtures in conftest.py.
"""

import hashlib
import re

from django.contrib.auth.models import Group, User
from django.test import Client

from annotator.annotations import services
from annotator.classroom.models import Classroom, Exercise, Membership
from annotator.corpus.models import Article
from annotator.roles import TEACHERS_GROUP

BODY_A = "Kremlin readout\nPutin urged restraint, the Kremlin said. Critics called it a strongman's bluff."
BODY_B = "PressTV story\nPutin praised the attack as wise, PressTV claimed."

# Two longer stories with curly quotes, emoji and several paragraphs, for the export tests.
BRIDGE = (
    "Bridge to reopen in May, officials say 🌉\n"
    "The city’s transport office said on Monday that the old river bridge will reopen to traffic in May, "
    "three months earlier than planned. “We are confident the repairs are on schedule,” said Ana Müller, "
    "who runs the office. Critics call the plan a reckless gamble with public money.\n"
    "The bridge, built in 1932, carries about 40,000 vehicles a day. It was closed in January after divers "
    "found cracks in two of its piers. Shop owners on both banks say the closure has cost them a third of "
    "their trade, and the café by the eastern ramp has shut for good.\n"
    "Opposition councillors have asked to see the engineers’ report before any date is announced. "
    "The mayor’s spokesman said the report would be published “in due course”."
)
INSPECTORS = (
    "Inspectors doubt the May reopening of the old river bridge, report says today\n"
    "An inspection report seen by this paper says repairs to the piers will take until autumn at the earliest. "
    "The engineers write that one of the two damaged piers needs a new foundation, work that cannot start "
    "before the spring floods have passed. “May is not realistic,” one of the inspectors told us.\n"
    "The transport office did not comment on the report. A spokeswoman said only that “all options remain "
    "under review” and that safety came first. Residents on the eastern bank have started a petition for a "
    "temporary ferry, which has gathered 3,000 signatures in a week."
)

# Notes a spreadsheet would run as formulas, and apostrophes that escaping them must keep.
FORMULA_NOTES = ['=HYPERLINK("http://evil.example","click")', "+1", "-2", "@SUM(A1:A2)", "\tTabbed", "\rReturn",
                 "'quoted", "''=twice", "'"]

# Every account gets this password, so a browser test can sign in through the form; the test
# settings' hasher (conftest.py) keeps that cheap.
PASSWORD = "a-long-test-password-42"


def make_article(slug, body=BODY_A, **fields):
    """An article as the import command stores it (no owner); the title is the first line unless given."""
    fields.setdefault("title", body.split("\n")[0])
    return Article.objects.create(slug=slug, body=body, raw=body, source_file=f"{slug}.txt",
                                  raw_sha256=hashlib.sha256(body.encode()).hexdigest(), **fields)


# Also importable as `article`, the name a number of tests use.
article = make_article


def make_user(username, password=PASSWORD, **fields):
    return User.objects.create_user(username, password=password, **fields)


def make_teacher(username, **fields):
    """An account in the teachers' group (annotator.roles), who may add articles and run classes."""
    teacher = make_user(username, **fields)
    teacher.groups.add(Group.objects.get_or_create(name=TEACHERS_GROUP)[0])
    return teacher


def span(art, phrase, occurrence=0):
    """The API's span fields for `phrase` in the article: its first occurrence, or a later one."""
    start = -1
    for _ in range(occurrence + 1):
        start = art.body.index(phrase, start + 1)
    return {"start": start, "end": start + len(phrase), "exact": phrase}


def passage(art, phrase, occurrence=0):
    """The fields that point a link or a reply's "see this" at `phrase` in `art`."""
    return {"to_article": art.slug, **{f"to_{name}": value for name, value in span(art, phrase, occurrence).items()}}


def words(art, first, count=4):
    """The text of `count` words of `art` from word number `first` on: a span that exists."""
    found = list(re.finditer(r"\S+", art.body))[first : first + count]
    return art.body[found[0].start() : found[-1].end()]


def make_claim(author, art, phrase, label="attributed", key=False, occurrence=0, **fields):
    """`author`'s claim on `phrase` in `art`, saved as the API saves it.

    fields: source, note, visibility (the service's default is private), exercise (an Exercise
    or its id), explanation (with `key`: the claim is in the exercise's answer key).
    """
    if "exercise" in fields:
        fields["exercise"] = getattr(fields["exercise"], "pk", fields["exercise"])
    data = {**span(art, phrase, occurrence), "label": label, **fields}
    return services.create_annotation(author, art, data, key=key)


def make_link(author, claim, art, phrase, relation="contradicts", occurrence=0, **fields):
    """`author`'s link from their `claim` to `phrase` in another article `art` (fields: note)."""
    data = {"from": claim.pk, "relation": relation, **passage(art, phrase, occurrence), **fields}
    return services.create_link(author, data)


def make_class(teacher, students=(), name="Period 3", **fields):
    """`teacher`'s class with `students` joined in the order given: Student A, B… in discussion mode."""
    classroom = Classroom.objects.create(name=name, teacher=teacher, **fields)
    for student in students:
        Membership.objects.create(classroom=classroom, student=student)
    return classroom


def make_exercise(classroom, articles, title="Restraint or praise?", **fields):
    exercise = Exercise.objects.create(classroom=classroom, title=title, **fields)
    exercise.articles.set(articles)
    return exercise


def client_for(user, **defaults):
    """A test client signed in as `user`; `defaults` are headers sent with every request."""
    client = Client(**defaults)
    client.force_login(user)
    return client
