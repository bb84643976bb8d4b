"""Backups that restore and crashes that lose nothing, against a real gunicorn over real HTTP.

Each test runs on a throwaway database of the same kind as this test run's (a temporary
SQLite file, or a new PostgreSQL database when DATABASE_URL points at a server), served by
gunicorn in its own process group, written to by readers through the JSON API (bench/load.py's
Annotator: every write it counts was acknowledged with a 201).

- Backup: `manage.py backup` runs while the readers write; `restore` brings the copy into a
  new, empty database, where every claim and link acknowledged before the backup began is
  found, word for word.
- Crash: in the middle of a burst of writes, an account deletion of 1,200 rows and an import
  of 1,200 rows, the server and the import are killed with SIGKILL. The database then passes
  `manage.py integrity`; every acknowledged write is there; the account is whole or gone; the
  import is all there or not at all.
"""

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from common import (
    GUNICORN,
    PYTHON,
    free_port,
    postgres_url,
    prepare_database,
    scratch_database,
    server_env,
)
from load import PASSWORD, Annotator

WRITERS = 4
BULK = 600  # claims of the leaving account and of the import, each with a link

SEED = """
import json
from django.contrib.auth.models import User
from django.core.management import call_command
from annotator.annotations.models import Annotation, Link
from annotator.corpus.models import Article

password = {password!r}
for n in range({writers}):
    User.objects.create_user(f"loaduser{{n:03d}}", password=password)
articles = list(Article.objects.order_by("slug"))
def bulk(author):
    claims = []
    for n in range({bulk}):
        article = articles[n % len(articles)]
        start = (n * 7) % (len(article.body) - 40)
        end = start + 20
        claims.append(Annotation(article=article, author=author, start=start, end=end,
                                 exact=article.body[start:end], prefix=article.body[max(0, start - 32):start],
                                 suffix=article.body[end:end + 32], label="disputed", note=f"bulk {{n}}"))
    claims = Annotation.objects.bulk_create(claims)
    Link.objects.bulk_create([
        Link(source_annotation=c, author=author, relation="contradicts", to_article=articles[(i + 1) % len(articles)],
             to_start=0, to_end=10, to_exact=articles[(i + 1) % len(articles)].body[:10])
        for i, c in enumerate(claims)])
bulk(User.objects.create_user("leaver", password=password))
ghost = User.objects.create_user("ghost")
bulk(ghost)
call_command("export_annotations", format="jsonld", output={export!r})
ghost.delete()
"""

COUNT = """
import json
from django.contrib.auth.models import User
from annotator.annotations.models import Annotation, Link
print(json.dumps({
    "claims": {str(pk): exact for pk, exact in Annotation.objects.values_list("pk", "exact")},
    "links": [pk for pk in Link.objects.values_list("pk", flat=True)],
    "by_author": {name: [Annotation.objects.filter(author__username=name).count(),
                         Link.objects.filter(author__username=name).count()] for name in ("leaver", "ghost")},
    "accounts": list(User.objects.filter(username__in=["leaver", "ghost"]).values_list("username", flat=True)),
}))
"""


def manage(database_url, *args, check=True):
    done = subprocess.run([str(PYTHON), "manage.py", *args], cwd=ROOT, env=server_env(database_url),
                          capture_output=True, text=True, timeout=600, check=False)
    assert not check or done.returncode == 0, f"manage.py {args[0]}: {done.stdout}\n{done.stderr}"
    return done


def database_state(database_url):
    return json.loads(manage(database_url, "shell", "--no-imports", "-c", COUNT).stdout)


@contextlib.contextmanager
def gunicorn_group(database_url, log_path):
    """gunicorn in a process group of its own, so that one SIGKILL takes every worker with it."""
    port = free_port()
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [str(GUNICORN), "annotator.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "3", "--timeout", "120"],
            cwd=ROOT, env=server_env(database_url), stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                assert process.poll() is None, Path(log_path).read_text()
                with contextlib.suppress(OSError, urllib.error.URLError), \
                        urllib.request.urlopen(base + "/accounts/login/", timeout=5):
                    break
                assert time.monotonic() < deadline, "gunicorn did not answer"
                time.sleep(0.2)
            yield process, base
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()


class Writer(Annotator):
    """A reader who creates claims and links them until told to stop."""

    def __init__(self, number, base, stop):
        super().__init__(number, base, [0], 0, seed=number)
        self.stop = stop

    def run(self):
        self.sign_in()
        for slug in self.read_articles():
            self.read_article(slug)
        while not self.stop.is_set():
            self.create() if self.rng.random() < 0.6 else self.link()

    def acknowledged(self):
        """{claim id: exact} and link ids acknowledged so far (copied: the thread keeps writing)."""
        return ({str(pk): claim["exact"] for pk, claim in list(self.claims.items())},
                {pk for pk in list(self.links)})


def start_writers(base):
    stop = threading.Event()
    writers = [Writer(n, base, stop) for n in range(WRITERS)]
    for writer in writers:
        writer.start()
    deadline = time.monotonic() + 60
    while sum(len(w.claims) for w in writers) < 20 * WRITERS:
        assert time.monotonic() < deadline, [w.unexpected[:3] for w in writers]
        time.sleep(0.1)
    return stop, writers


def acknowledged(writers):
    claims, links = {}, set()
    for writer in writers:
        some_claims, some_links = writer.acknowledged()
        claims.update(some_claims)
        links |= some_links
    return claims, links


@pytest.fixture
def server_database(tmp_path):
    with scratch_database("crash", postgres_url(False)) as (url, scratch):
        prepare_database(url)
        manage(url, "shell", "--no-imports", "-c", SEED.format(password=PASSWORD, writers=WRITERS, bulk=BULK,
                                                export=str(scratch / "ghost.jsonld")))
        yield url, scratch


def test_a_backup_taken_during_writes_restores_every_write_acknowledged_before_it_began(server_database):
    url, scratch = server_database
    backup = scratch / "backup.bin"
    with gunicorn_group(url, scratch / "gunicorn.log") as (_, base):
        stop, writers = start_writers(base)
        before_claims, before_links = acknowledged(writers)
        manage(url, "backup", str(backup))
        time.sleep(1)  # the readers go on writing after the backup
        stop.set()
        for writer in writers:
            writer.join(60)
        after_claims, _ = acknowledged(writers)
    assert not [w.unexpected for w in writers if w.unexpected]
    assert len(after_claims) > len(before_claims)  # the writes really ran alongside the backup
    with scratch_database("restored", postgres_url(False)) as (restored_url, _):
        out = manage(restored_url, "restore", str(backup)).stdout
        assert "integrity check passed" in out
        restored = database_state(restored_url)
    assert {pk: restored["claims"].get(pk) for pk in before_claims} == before_claims
    assert before_links <= set(restored["links"])
    # The restore refuses a database that is not empty, and leaves it alone.
    refused = manage(url, "restore", str(backup), check=False)
    assert refused.returncode == 1 and "is not empty" in refused.stderr


def test_a_crash_in_the_middle_of_writes_leaves_every_acknowledged_write_and_nothing_half_done(server_database):
    url, scratch = server_database
    with gunicorn_group(url, scratch / "gunicorn.log") as (server, base):
        stop, writers = start_writers(base)
        leaver = Annotator(900, base, [0], 0, seed=900)
        leaver.username = "leaver"
        leaver.sign_in()
        leaver_id = json.loads(leaver.request("me", "GET", "/api/me/data/")[1])["profile"]["id"]
        deletion = {}

        def delete():
            deletion["status"], _ = leaver.request("delete", "POST", f"/api/accounts/{leaver_id}/delete/",
                                                   body={"confirm": "leaver"})

        # Aimed at the middle of the import, timed by a dry run of it (which reads and checks as much),
        # and just after the deletion's request went out.
        began = time.monotonic()
        manage(url, "import_annotations", "--dry-run", str(scratch / "ghost.jsonld"))
        importing = time.monotonic() - began
        importer = subprocess.Popen([str(PYTHON), "manage.py", "import_annotations", str(scratch / "ghost.jsonld")],
                                    cwd=ROOT, env=server_env(url), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                    start_new_session=True)
        time.sleep(max(0.0, 0.6 * importing - 0.1))
        deleting = threading.Thread(target=delete)
        deleting.start()
        time.sleep(0.1)
        # The crash: every process of the server, and the import, at once and without warning.
        os.killpg(server.pid, signal.SIGKILL)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(importer.pid, signal.SIGKILL)
        imported = importer.wait() == 0
        deleting.join(60)
        stop.set()
        for writer in writers:
            writer.join(60)
        claims, links = acknowledged(writers)
    print(f"import {'finished' if imported else 'killed'}; deletion answered {deletion.get('status')}; "
          f"{len(claims)} claims and {len(links)} links acknowledged")
    problems = [item for w in writers for item in w.unexpected if item[1] != "no answer"]
    assert not problems, problems[:5]
    integrity = manage(url, "integrity", check=False)
    assert integrity.returncode == 0, integrity.stderr
    state = database_state(url)
    assert {pk: state["claims"].get(pk) for pk in claims} == claims
    assert links <= set(state["links"])
    leaver_rows, ghost_rows = state["by_author"]["leaver"], state["by_author"]["ghost"]
    if deletion.get("status") == 200:
        assert "leaver" not in state["accounts"]
    assert leaver_rows == ([BULK, BULK] if "leaver" in state["accounts"] else [0, 0])
    assert ghost_rows == ([BULK, BULK] if imported else ghost_rows) and ghost_rows in ([0, 0], [BULK, BULK])
