"""Concurrent annotators against gunicorn: zero 5xx and zero lost or duplicated writes.

    .venv/bin/python bench/load.py [--seconds 60] [--users 50] [--workers 4] [--postgres]
    .venv/bin/python bench/load.py --bell [--users 500] [--class-size 200] [--seconds 120] [--postgres]

Starts gunicorn on a free loopback port over a fresh database (a temporary SQLite file, or
a database of its own on the PostgreSQL server of DATABASE_URL or, with --postgres, of
postgres://annotator:annotator@127.0.0.1:5432/), migrates it, imports seeds/ and creates
the users. Each simulated annotator is a thread with its own cookie jar: it signs in at
/accounts/login/, then for --seconds reads the article list, articles, their claims and the
reader page, creates claims on valid spans, edits them, links them to passages of other
articles, downloads its CSV export and now and then deletes a claim or a link.

Every acknowledged write is remembered. Afterwards the database is read directly through
the ORM: every acknowledged claim and link that was not deleted must be there with the
content of its last acknowledged edit, nothing deleted may be there, and nothing that was
never acknowledged. Each CSV export must list exactly the user's claims at that moment.
Exits 1 on any 5xx, unanswered request, unexpected refusal, lost or duplicated write.

--bell is a lesson starting: --users students in classes of --class-size (one teacher and
one exercise on every article each) sign in at the same moment, join their class with its
code, open the exercise, then read an article of it and tag a claim every 5-15 s (a fifth of
the time editing one of theirs, a sixth linking one) for --seconds, and submit. Each teacher
refreshes the exercise dashboard every 10-20 s. The same read-back checks every claim, link
and submission; p95 per request type is reported, and the dashboard of the largest class
against its budget (under 500 ms).
"""

import argparse
import csv
import http.client
import io
import json
import random
import sys
import threading
import time
from collections import Counter, defaultdict
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import gunicorn, percentile, postgres_url, result, scratch_database, setup_django  # noqa: E402

PASSWORD = "load-test-password-4821"
LABELS = ("attributed", "editorialized", "disputed")
VISIBILITIES = ("private", "public", "class")
RELATIONS = ("corroborates", "contradicts")
NOTES = ("Who says so?", "Loaded word: “slammed”.", "Compare with the agency wire 👍", "=1+1 should stay text",
         "<b>bold</b> and <script>x()</script>", "Ünïcödé naïve café — “quotes”", "")
# Relative weights of the actions once signed in (those needing a claim fall back to creating one).
ACTIONS = {"articles": 6, "article": 6, "claims": 8, "page": 6, "create": 30, "patch": 16, "link": 12,
           "export": 6, "delete": 5, "delete_link": 3}
TIMEOUT = 120
DASHBOARD_BUDGET_MS = 500


class Annotator(threading.Thread):
    """One signed-in reader with a cookie jar, doing what a person does, as fast as the server allows."""

    def __init__(self, number, base, deadline_box, think, seed):
        super().__init__(name=f"annotator-{number}", daemon=True)
        self.username = f"loaduser{number:03d}"
        parts = urlparse(base)
        self.host, self.port = parts.hostname, parts.port
        self.cookies = {}
        self.barrier = None  # set by together(): everyone starts the timed part at once
        self.deadline_box = deadline_box
        self.think = think
        self.rng = random.Random(seed)
        self.timings = []  # (kind, status, seconds)
        self.claims = {}  # id -> expected state, with "deleted"
        self.links = {}  # id -> expected state, with "deleted"
        self.unanswered = Counter()  # kind -> writes with no answer (the server may or may not have saved them)
        self.unexpected = []  # (kind, status, detail)
        self.export_mismatches = []
        self.bodies = {}  # slug -> body
        self.crashed = None
        self.phase = " (start)"  # requests before everyone has signed in are reported apart
        self.context = {}  # added to every claim created: {"exercise": id} for exercise work

    # HTTP with a cookie jar

    def request(self, kind, method, path, body=None, form=None):
        headers = {"Host": f"{self.host}:{self.port}", "Accept": "application/json"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        payload = None
        if form is not None:
            payload = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif body is not None:
            payload = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if method not in ("GET", "HEAD") and "csrftoken" in self.cookies:
            headers["X-CSRFToken"] = self.cookies["csrftoken"]
        began = time.perf_counter()
        connection = http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT)
        try:
            connection.request(method, path, body=payload, headers=headers)
            response = connection.getresponse()
            data = response.read()
            for header in response.headers.get_all("Set-Cookie") or ():
                jar = SimpleCookie()
                jar.load(header)
                for name, morsel in jar.items():
                    if morsel["max-age"] == "0" or not morsel.value:
                        self.cookies.pop(name, None)
                    else:
                        self.cookies[name] = morsel.value
            status = response.status
        except (OSError, http.client.HTTPException) as exc:
            self.timings.append((kind + self.phase, "no answer", time.perf_counter() - began))
            self.unexpected.append((kind, "no answer", f"{method} {path}: {exc!r}"))
            return None, b""
        finally:
            connection.close()
        self.timings.append((kind + self.phase, status, time.perf_counter() - began))
        return status, data

    def expect(self, kind, status, data, *accepted):
        if status in accepted:
            return True
        if status is not None:
            self.unexpected.append((kind, status, data[:300].decode("utf-8", "replace")))
        return False

    # Signing in and reading

    def sign_in(self):
        status, data = self.request("login_page", "GET", "/accounts/login/")
        if not self.expect("login_page", status, data, 200) or "csrftoken" not in self.cookies:
            raise RuntimeError(f"{self.username}: no sign-in form or CSRF cookie ({status})")
        form = {"csrfmiddlewaretoken": self.cookies["csrftoken"], "username": self.username,
                "password": PASSWORD, "next": "/"}
        status, data = self.request("login", "POST", "/accounts/login/", form=form)
        if not self.expect("login", status, data, 302) or "sessionid" not in self.cookies:
            raise RuntimeError(f"{self.username}: sign-in refused ({status})")

    def read_articles(self):
        status, data = self.request("articles", "GET", "/api/articles/")
        if self.expect("articles", status, data, 200):
            return [row["slug"] for row in json.loads(data)["results"]]
        return []

    def read_article(self, slug):
        status, data = self.request("article", "GET", f"/api/articles/{slug}/")
        if self.expect("article", status, data, 200):
            self.bodies[slug] = json.loads(data)["body"]

    # Writes, each remembered once acknowledged

    def span(self, slug):
        """A claim-sized run of whole words in the article: [start, end) in code points."""
        body = self.bodies[slug]
        for _ in range(50):
            start = self.rng.randrange(0, max(1, len(body) - 20))
            while start > 0 and not body[start - 1].isspace():
                start -= 1
            while start < len(body) and body[start].isspace():
                start += 1
            end = min(len(body), start + self.rng.randint(8, 160))
            while end < len(body) and not body[end].isspace():
                end += 1
            while end > start and body[end - 1].isspace():
                end -= 1
            if end > start:
                return start, end, body[start:end]
        raise RuntimeError(f"no span found in {slug}")

    def create(self):
        slug = self.rng.choice(list(self.bodies))
        start, end, exact = self.span(slug)
        sent = {"article": slug, "start": start, "end": end, "exact": exact, "label": self.rng.choice(LABELS),
                "source": self.rng.choice(("", "PressTV", "the ministry", "Reuters")),
                "note": self.rng.choice(NOTES), "visibility": self.rng.choice(VISIBILITIES), **self.context}
        if self.context:  # exercise work is seen by its author and the teacher: always "private"
            sent["visibility"] = "private"
        status, data = self.request("create", "POST", "/api/annotations/", body=sent)
        if status is None or status >= 500:
            self.unanswered["create"] += 1
        if status == 409:  # the same words and label again by this user: refused, nothing written
            return
        if self.expect("create", status, data, 201):
            answer = json.loads(data)
            self.check_echo("create", answer, sent)
            self.claims[answer["id"]] = {**sent, "deleted": False}

    def live_claim(self):
        live = [pk for pk, claim in self.claims.items() if not claim["deleted"]]
        return self.rng.choice(live) if live else None

    def patch(self):
        pk = self.live_claim()
        if pk is None:
            return self.create()
        change = {"note": f"edited {self.rng.randrange(10**6)} " + self.rng.choice(NOTES),
                  "label": self.rng.choice(LABELS)}
        if self.rng.random() < 0.3 and not self.context:
            change["visibility"] = self.rng.choice(VISIBILITIES)
        status, data = self.request("patch", "PATCH", f"/api/annotations/{pk}/", body=change)
        if status is None or status >= 500:
            # The edit may or may not have been saved: either content is then acceptable.
            self.claims[pk].setdefault("maybe", []).append(change)
        if self.expect("patch", status, data, 200):
            answer = json.loads(data)
            self.check_echo("patch", answer, change)
            self.claims[pk].update(change)
            self.claims[pk].pop("maybe", None)

    def link(self):
        pk = self.live_claim()
        if pk is None:
            return self.create()
        others = [slug for slug in self.bodies if slug != self.claims[pk]["article"]]
        slug = self.rng.choice(others)
        start, end, exact = self.span(slug)
        sent = {"from": pk, "to_article": slug, "to_start": start, "to_end": end, "to_exact": exact,
                "relation": self.rng.choice(RELATIONS), "note": self.rng.choice(NOTES)}
        status, data = self.request("link", "POST", "/api/links/", body=sent)
        if status is None or status >= 500:
            self.unanswered["link"] += 1
        if status == 409:  # the same claim, passage and relation again: refused, nothing written
            return
        if self.expect("link", status, data, 201):
            answer = json.loads(data)
            self.check_echo("link", answer, sent)
            self.links[answer["id"]] = {**sent, "deleted": False}

    def delete(self):
        pk = self.live_claim()
        if pk is None:
            return
        status, data = self.request("delete", "DELETE", f"/api/annotations/{pk}/")
        if status is None or status >= 500:
            self.claims[pk]["maybe_deleted"] = True
        if self.expect("delete", status, data, 204):
            self.claims[pk]["deleted"] = True
            for link in self.links.values():
                if link["from"] == pk:
                    link["deleted"] = True

    def delete_link(self):
        live = [pk for pk, link in self.links.items() if not link["deleted"]]
        if not live:
            return self.link()
        pk = self.rng.choice(live)
        status, data = self.request("delete_link", "DELETE", f"/api/links/{pk}/")
        if status is None or status >= 500:
            self.links[pk]["maybe_deleted"] = True
        if self.expect("delete_link", status, data, 204):
            self.links[pk]["deleted"] = True

    def export(self):
        status, data = self.request("export", "GET", "/export/annotations.csv?mine=1")
        if not self.expect("export", status, data, 200):
            return
        rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
        listed = {int(row["id"]) for row in rows}
        live = {pk for pk, claim in self.claims.items() if not claim["deleted"]}
        unsure = {pk for pk, claim in self.claims.items() if claim.get("maybe_deleted")}
        if listed - unsure != live - unsure:
            self.export_mismatches.append(f"{self.username}: export listed {len(listed)} claims, "
                                          f"expected {len(live)} (missing {sorted(live - listed)[:5]}, "
                                          f"extra {sorted(listed - live)[:5]})")

    def check_echo(self, kind, answer, sent):
        for key, value in sent.items():
            if key in answer and answer[key] != value:
                self.unexpected.append((kind, "wrong echo", f"{key}: sent {value!r}, got {answer[key]!r}"))

    # The session

    def arrive(self):
        """Sign in, settle in and read the articles, then wait for everyone else: whether to go on."""
        try:
            self.sign_in()
            self.settle_in()
            for slug in self.read_articles():
                self.read_article(slug)
        except Exception as exc:  # reported, and the run fails
            self.crashed = f"{type(exc).__name__}: {exc}"
        finally:
            self.barrier.wait()
            self.phase = ""
        if self.crashed or len(self.bodies) < 2:
            self.crashed = self.crashed or "fewer than two articles readable"
        return not self.crashed

    def settle_in(self):
        """What comes between signing in and reading: nothing for a reader on their own."""

    def run(self):
        if not self.arrive():
            return
        actions, weights = zip(*ACTIONS.items())
        try:
            while time.monotonic() < self.deadline_box[0]:
                action = self.rng.choices(actions, weights)[0]
                if action == "articles":
                    self.read_articles()
                elif action == "article":
                    self.read_article(self.rng.choice(list(self.bodies)))
                elif action == "claims":
                    slug = self.rng.choice(list(self.bodies))
                    status, data = self.request("claims", "GET", f"/api/annotations/?article={slug}")
                    self.expect("claims", status, data, 200)
                elif action == "page":
                    status, data = self.request("page", "GET", f"/articles/{self.rng.choice(list(self.bodies))}/")
                    self.expect("page", status, data, 200)
                else:
                    getattr(self, action)()
                if self.think:
                    time.sleep(self.rng.uniform(0, self.think))
        except Exception as exc:
            self.crashed = f"{type(exc).__name__}: {exc}"


class Student(Annotator):
    """Bell time: a student signs in, joins the class with its code, opens the exercise and its
    articles, then reads and tags a claim every 5-15 s (now and then editing or linking one)
    until the end of the lesson, and submits."""

    def __init__(self, number, base, deadline_box, seed, join_code, exercise):
        super().__init__(number, base, deadline_box, 0, seed)
        self.join_code, self.exercise = join_code, exercise
        self.context = {"exercise": exercise}
        self.submitted = None  # True once the server acknowledged the submission

    def form(self, kind, path, fields):
        return self.request(kind, "POST", path, form={"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **fields})

    def settle_in(self):
        status, data = self.form("join", "/classes/join/", {"code": self.join_code})
        self.expect("join", status, data, 302)
        status, data = self.request("exercise", "GET", f"/exercises/{self.exercise}/")
        self.expect("exercise", status, data, 200)

    def run(self):
        if not self.arrive():
            return
        try:
            while time.monotonic() < self.deadline_box[0]:
                slug = self.rng.choice(list(self.bodies))
                status, data = self.request("exercise_article", "GET", f"/exercises/{self.exercise}/articles/{slug}/")
                self.expect("exercise_article", status, data, 200)
                time.sleep(self.rng.uniform(5, 15))  # reading, then choosing words
                if time.monotonic() >= self.deadline_box[0]:
                    break
                roll = self.rng.random()
                self.patch() if roll < 0.2 else self.link() if roll < 0.35 else self.create()
            status, data = self.form("submit", f"/exercises/{self.exercise}/submit/", {"confirm": "yes"})
            self.submitted = self.expect("submit", status, data, 302)
        except Exception as exc:
            self.crashed = f"{type(exc).__name__}: {exc}"


class Teacher(Annotator):
    """A teacher watching the class dashboard, refreshing it every 10-20 s."""

    def __init__(self, username, base, deadline_box, seed, exercise, size):
        super().__init__(0, base, deadline_box, 0, seed)
        self.username, self.exercise, self.size = username, exercise, size

    def run(self):
        try:
            self.sign_in()
        except Exception as exc:
            self.crashed = f"{type(exc).__name__}: {exc}"
        finally:
            self.barrier.wait()
            self.phase = ""
        kind = f"dashboard ({self.size} students)"
        while not self.crashed and time.monotonic() < self.deadline_box[0]:
            status, data = self.request(kind, "GET", f"/exercises/{self.exercise}/dashboard/")
            self.expect(kind, status, data, 200)
            time.sleep(self.rng.uniform(10, 20))


def build_lesson(students, class_size):
    """Classes of `class_size` students (the last one smaller) with a teacher each and one
    exercise on every article; returns [(teacher username, join code, exercise id, size)]."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group, User

    from annotator.classroom.models import Classroom, Exercise
    from annotator.corpus.models import Article
    from annotator.roles import TEACHERS_GROUP

    hashed = make_password(PASSWORD)
    teachers = Group.objects.get_or_create(name=TEACHERS_GROUP)[0]
    articles = list(Article.objects.all())
    lessons = []
    for number, first in enumerate(range(0, students, class_size)):
        teacher = User.objects.create(username=f"loadteacher{number:02d}", password=hashed)
        teacher.groups.add(teachers)
        classroom = Classroom.objects.create(name=f"Period {number + 1}", teacher=teacher)
        exercise = Exercise.objects.create(classroom=classroom, title="Who says so?")
        exercise.articles.set(articles)
        lessons.append((teacher.username, classroom.join_code, exercise.pk, min(class_size, students - first)))
    return lessons


def verify_submissions(students):
    """Every acknowledged submission is stored; none that was refused is."""
    from annotator.classroom.models import Submission

    stored = set(Submission.objects.filter(submitted__isnull=False).values_list("student__username", flat=True))
    return ([f"{s.username}: submission acknowledged, not stored" for s in students if s.submitted and s.username not in stored]
            + [f"{s.username}: submission stored, never acknowledged" for s in students
               if s.submitted is False and s.username in stored])


def create_users(count):
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import User

    hashed = make_password(PASSWORD)  # hashed once: the same password for everyone
    User.objects.bulk_create([User(username=f"loaduser{n:03d}", password=hashed) for n in range(count)])


def verify(annotators):
    """Compare what the server acknowledged with what the database holds; return problems."""
    from annotator.annotations.models import Annotation, Link

    problems = defaultdict(list)
    for user in annotators:
        stored = {a.pk: a for a in Annotation.objects.filter(author__username=user.username).select_related("article")}
        for pk, claim in user.claims.items():
            row = stored.get(pk)
            if claim["deleted"]:
                if row is not None:
                    problems["duplicated"].append(f"claim {pk} of {user.username} is back after its acknowledged delete")
                continue
            if row is None:
                if not claim.get("maybe_deleted"):
                    problems["lost"].append(f"claim {pk} of {user.username} is missing")
                continue
            actual = {"article": row.article.slug, "start": row.start, "end": row.end, "exact": row.exact,
                      "label": row.label, "source": row.source, "note": row.note, "visibility": row.visibility}
            expected = {key: claim[key] for key in actual}
            acceptable = [expected] + [{**expected, **change} for change in claim.get("maybe", [])]
            if actual not in acceptable:
                diff = {k: (expected[k], actual[k]) for k in actual if expected[k] != actual[k]}
                problems["lost"].append(f"claim {pk} of {user.username}: last acknowledged edit not stored {diff}")
        extra = set(stored) - set(user.claims)
        if len(extra) > user.unanswered["create"]:
            problems["duplicated"].append(f"{user.username}: {len(extra)} claims never acknowledged: {sorted(extra)[:5]}")
        links = {link.pk: link for link in Link.objects.filter(author__username=user.username).select_related("to_article")}
        for pk, link in user.links.items():
            row = links.get(pk)
            if link["deleted"]:
                if row is not None:
                    problems["duplicated"].append(f"link {pk} of {user.username} is back after its delete")
                continue
            if row is None:
                if not (link.get("maybe_deleted") or user.claims[link["from"]].get("maybe_deleted")):
                    problems["lost"].append(f"link {pk} of {user.username} is missing")
                continue
            actual = (row.source_annotation_id, row.to_article.slug, row.to_start, row.to_end, row.to_exact,
                      row.relation, row.note)
            expected = tuple(link[k] for k in ("from", "to_article", "to_start", "to_end", "to_exact", "relation", "note"))
            if actual != expected:
                problems["lost"].append(f"link {pk} of {user.username} stored as {actual}, acknowledged as {expected}")
        extra = set(links) - set(user.links)
        if len(extra) > user.unanswered["link"]:
            problems["duplicated"].append(f"{user.username}: {len(extra)} links never acknowledged: {sorted(extra)[:5]}")
    return problems


def report(annotators, elapsed, vendor, users, seconds, problems, log_path, bell=False):
    timings = [t for user in annotators for t in user.timings]
    by_kind = defaultdict(list)
    statuses = defaultdict(Counter)
    for kind, status, took in timings:
        by_kind[kind].append(took * 1000)
        statuses[kind][status] += 1
    print(f"database: {vendor}; {users} annotators for {seconds:g} s (after signing in) against gunicorn")
    print(f"{'request':<20} {'count':>7} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}  statuses")
    for kind in sorted(by_kind, key=lambda k: -len(by_kind[k])):
        values = by_kind[kind]
        shown = ", ".join(f"{status}×{n}" for status, n in sorted(statuses[kind].items(), key=str))
        print(f"{kind:<20} {len(values):>7} {percentile(values, .5):>8.1f} {percentile(values, .95):>8.1f} "
              f"{max(values):>8.1f}  {shown}")
    session = [t for t in timings if not t[0].endswith(" (start)")]
    throughput = len(session) / elapsed if elapsed else 0.0
    all_ms = [took * 1000 for _, _, took in session]
    print(f"throughput: {throughput:.1f} requests/s over {elapsed:.1f} s "
          f"(p50 {percentile(all_ms, .5):.1f} ms, p95 {percentile(all_ms, .95):.1f} ms)")
    server_errors = sum(1 for _, status, _ in timings if isinstance(status, int) and status >= 500)
    unanswered = sum(1 for _, status, _ in timings if status == "no answer")
    claims = sum(1 for u in annotators for c in u.claims.values() if not c["deleted"])
    links = sum(1 for u in annotators for link in u.links.values() if not link["deleted"])
    writes = sum(statuses[k][s] for k in ("create", "patch", "link", "delete", "delete_link") for s in (200, 201, 204))
    print(f"acknowledged writes: {writes}; claims kept {claims}, links kept {links}")
    unexpected = [u for user in annotators for u in user.unexpected if u[1] != "no answer"]
    mismatches = [m for user in annotators for m in user.export_mismatches]
    crashed = [f"{user.username}: {user.crashed}" for user in annotators if user.crashed]
    if bell:
        print(f"submissions acknowledged: {sum(1 for u in annotators if getattr(u, 'submitted', None))} "
              f"of {users} students")
    print(f"5xx: {server_errors}; no answer: {unanswered}; unexpected answers: {len(unexpected)}; "
          f"lost writes: {len(problems['lost'])}; duplicated writes: {len(problems['duplicated'])}; "
          f"stale exports: {len(mismatches)}; crashed annotators: {len(crashed)}")
    for line in (problems["lost"] + problems["duplicated"] + mismatches + crashed)[:20]:
        print("  " + line)
    for kind, status, detail in unexpected[:10]:
        print(f"  {kind} → {status}: {detail}")
    failed = bool(server_errors or unanswered or unexpected or problems["lost"] or problems["duplicated"]
                  or mismatches or crashed)
    if failed and log_path.exists():
        lines = log_path.read_text(errors="replace").splitlines()
        interesting = [line for line in lines if "Error" in line or "error" in line or "locked" in line]
        print(f"server log ({log_path.name}), {len(lines)} lines; last errors:")
        for line in interesting[-15:]:
            print("  " + line)
    measured = (f"{server_errors} 5xx, {len(problems['lost'])} lost, {len(problems['duplicated'])} duplicated "
                f"of {writes} writes; {throughput:.0f} req/s, p95 {percentile(all_ms, .95):.0f} ms")
    if bell:
        result(f"bell.{vendor}", measured, f"zero 5xx, zero lost writes ({users} students, {seconds:g} s of lesson, "
               "think time 5-15 s)", "FAIL" if failed else "PASS")
        dashboards = [kind for kind in by_kind if kind.startswith("dashboard (") and not kind.endswith("(start)")]
        if dashboards:
            largest = max(dashboards, key=lambda kind: int(kind.split("(")[1].split()[0]))
            p95 = percentile(by_kind[largest], .95)
            result(f"bell.dashboard.{vendor}", f"p95 {p95:.0f} ms ({largest}, {len(by_kind[largest])} views)",
                   f"< {DASHBOARD_BUDGET_MS} ms", "PASS" if p95 < DASHBOARD_BUDGET_MS else "SHORT")
    else:
        result(f"load.{vendor}", measured, f"zero 5xx, zero lost writes ({users} users, {seconds:g} s)",
               "FAIL" if failed else "PASS")
    return failed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--think", type=float, default=0.1,
                        help="each annotator pauses a random 0..THINK seconds between requests")
    parser.add_argument("--postgres", action="store_true",
                        help="use PostgreSQL (DATABASE_URL's server, else 127.0.0.1:5432) instead of SQLite")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--bell", action="store_true",
                        help="bell time: --users students in classes of --class-size sign in at once, join, "
                             "read and tag with 5-15 s think time, and submit; teachers refresh dashboards")
    parser.add_argument("--class-size", type=int, default=200)
    args = parser.parse_args()
    server = postgres_url(args.postgres)
    return together(args, server, *(bell_cast if args.bell else plain_cast)(args))


def plain_cast(args):
    """Annotators who sign in and work without pause: (label, setup, make people, read back)."""
    def make(base, deadline):
        return [Annotator(n, base, deadline, args.think, args.seed * 1000 + n) for n in range(args.users)]

    return "load", lambda: None, make, verify


def bell_cast(args):
    """Students in classes and their teachers at the bell: (label, setup, make people, read back)."""
    lessons = []

    def make(base, deadline):
        students = [Student(n, base, deadline, args.seed * 1000 + n, *lessons[n // args.class_size][1:3])
                    for n in range(args.users)]
        return students + [Teacher(name, base, deadline, args.seed * 7 + n, exercise, size)
                           for n, (name, _, exercise, size) in enumerate(lessons)]

    def read_back(people):
        students = [person for person in people if isinstance(person, Student)]
        problems = verify(students)
        problems["lost"] += verify_submissions(students)
        return problems

    return "bell", lambda: lessons.extend(build_lesson(args.users, args.class_size)), make, read_back


def together(args, server, label, setup, make, read_back):
    """A fresh database with the seeds and the users (and `setup`'s classes), gunicorn over it,
    everyone `make` gives started at once and timed from the moment all have signed in; then
    the database read back and the report. Returns the exit status."""
    with scratch_database(label, server) as (database_url, scratch):
        setup_django(database_url)
        from django.core.management import call_command
        from django.db import connection, connections

        vendor = connection.vendor
        call_command("migrate", verbosity=0, interactive=False)
        call_command("import_articles", str(Path(__file__).resolve().parent.parent / "seeds"), stdout=io.StringIO())
        create_users(args.users)
        setup()
        connections.close_all()

        log_path = scratch / "gunicorn.log"
        with gunicorn(database_url, log_path, workers=args.workers) as base:
            deadline = [float("inf")]
            started = {}

            def begin():  # runs once, when everyone has signed in
                started["at"] = time.monotonic()
                deadline[0] = started["at"] + args.seconds

            people = make(base, deadline)
            barrier = threading.Barrier(len(people), action=begin)
            for person in people:
                person.barrier = barrier
            for person in people:  # at the bell: all at once
                person.start()
            for person in people:
                person.join(args.seconds + 900)
            elapsed = time.monotonic() - started.get("at", time.monotonic())
        problems = read_back(people)
        connections.close_all()
        failed = report(people, elapsed, vendor, args.users, args.seconds, problems, log_path, bell=args.bell)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
