"""Two app servers, one database: the production layout (README, "Serving in production").

Two gunicorn instances on their own ports share a fresh database of this run's kind (a
SQLite file, or PostgreSQL when DATABASE_URL points at it), as two machines behind a load
balancer would. A reader who signed in on one is signed in on the other; a claim written
through one is drawn at once by the other, even though that one had just drawn the same
page (the reader keeps its drawing in the process); and wrong passwords count the same
whichever server they reach.
"""

import html
import http.cookiejar
import json
import re
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from contextlib import ExitStack
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from common import (  # noqa: E402
    PYTHON,
    gunicorn,
    postgres_url,
    prepare_database,
    scratch_database,
    server_env,
)

PASSWORD = "two-servers-password-7713"


class Browser:
    """One person's cookies, sent to whichever server is asked."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar),
                                                  NoRedirect())

    def cookie(self, name):
        return next((c.value for c in self.jar if c.name == name), "")

    def send(self, base, method, path, form=None, body=None):
        headers = {"X-CSRFToken": self.cookie("csrftoken"), "Referer": base + "/"}
        data = None
        if form is not None:
            data = urllib.parse.urlencode({"csrfmiddlewaretoken": self.cookie("csrftoken"), **form}).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(base + path, data=data, headers=headers, method=method)
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def sign_in(self, base, username, password=PASSWORD):
        self.send(base, "GET", "/accounts/login/")
        return self.send(base, "POST", "/accounts/login/", form={"username": username, "password": password})[0]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def drawn_ids(page):
    """The claim ids of the reader's compact geometry."""
    found = re.search(r'data-geometry="([^"]*)"', page)
    pk, ids = 0, []
    for step in json.loads(html.unescape(found.group(1)))["ids"]:
        pk += step
        ids.append(pk)
    return ids


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    """The base URLs of two gunicorn servers on one fresh database, with the seeds and three readers."""
    with ExitStack() as stack:
        server = postgres_url(False)
        database_url, scratch = stack.enter_context(scratch_database("two_servers", server))
        prepare_database(database_url)
        make = ("from django.contrib.auth.models import User\n"
                f"for name in ('amira', 'ben', 'chen'): User.objects.create_user(name, password={PASSWORD!r})")
        subprocess.run([str(PYTHON), "manage.py", "shell", "-c", make], cwd=ROOT, env=server_env(database_url),
                       check=True)
        first = stack.enter_context(gunicorn(database_url, scratch / "first.log", workers=1))
        second = stack.enter_context(gunicorn(database_url, scratch / "second.log", workers=1))
        yield first, second


def test_a_claim_written_through_one_server_is_drawn_by_the_other_at_once(servers):
    first, second = servers
    amira = Browser()
    assert amira.sign_in(first, "amira") == 302
    slug = json.loads(amira.send(second, "GET", "/api/articles/")[1])["results"][0]["slug"]  # same session
    body = json.loads(amira.send(second, "GET", f"/api/articles/{slug}/")[1])["body"]
    status, before = amira.send(second, "GET", f"/articles/{slug}/")
    assert status == 200 and drawn_ids(before) == []
    word = re.search(r"\w{5,}", body)
    status, answer = amira.send(first, "POST", "/api/annotations/", body={
        "article": slug, "start": word.start(), "end": word.end(), "exact": word.group(), "label": "disputed",
        "visibility": "public"})
    assert status == 201, answer
    claim = json.loads(answer)
    page = amira.send(second, "GET", f"/articles/{slug}/")[1]
    assert drawn_ids(page) == [claim["id"]] and f'id="claim-{claim["id"]}"' in page
    # Changed through the other one: the first server, which drew the page last, draws the change.
    amira.send(first, "GET", f"/articles/{slug}/")
    status, answer = amira.send(second, "PATCH", f"/api/annotations/{claim['id']}/", body={"label": "attributed"})
    assert status == 200, answer
    page = amira.send(first, "GET", f"/articles/{slug}/")[1]
    assert 'class="hl hl-attributed' in page and "hl-disputed" not in page
    # Another reader, on either server, sees the public claim.
    ben = Browser()
    assert ben.sign_in(second, "ben") == 302
    assert drawn_ids(ben.send(first, "GET", f"/articles/{slug}/")[1]) == [claim["id"]]


def test_wrong_passwords_are_counted_together_whichever_server_they_reach(servers):
    first, second = servers
    for base in (first, second, first, second):  # four wrong, split between the two: the form again
        assert Browser().sign_in(base, "ben", "not-the-password") == 200
    # The fifth is the fifth on either server: the pause starts, and holds on both.
    assert Browser().sign_in(first, "ben", "not-the-password") == 429
    for base in servers:
        assert Browser().sign_in(base, "ben") == 429


def test_a_reply_and_a_deletion_through_one_server_are_shown_by_the_other_at_once(servers):
    """The sidebar's latest threads and the drawing are remembered under the article's claim
    stamp; a write through the other server changes the stamp in the database."""
    first, second = servers
    amira, chen = Browser(), Browser()
    assert amira.sign_in(first, "amira") == 302 and chen.sign_in(second, "chen") == 302
    slug = json.loads(amira.send(first, "GET", "/api/articles/")[1])["results"][1]["slug"]
    body = json.loads(amira.send(first, "GET", f"/api/articles/{slug}/")[1])["body"]
    word = re.search(r"\w{6,}", body)
    status, answer = amira.send(first, "POST", "/api/annotations/", body={
        "article": slug, "start": word.start(), "end": word.end(), "exact": word.group(), "label": "disputed",
        "visibility": "public"})
    assert status == 201, answer
    claim = json.loads(answer)["id"]
    page = amira.send(second, "GET", f"/articles/{slug}/")[1]
    assert drawn_ids(page) == [claim] and "disc-recent" not in page
    status, answer = chen.send(first, "POST", f"/api/annotations/{claim}/replies/", body={"text": "Says who?"})
    assert status == 201, answer
    page = amira.send(second, "GET", f"/articles/{slug}/")[1]
    assert "disc-recent" in page and "1 thread" in page
    status, _ = amira.send(first, "DELETE", f"/api/annotations/{claim}/")
    assert status in (200, 204)
    page = amira.send(second, "GET", f"/articles/{slug}/")[1]
    assert drawn_ids(page) == [] and "disc-recent" not in page
