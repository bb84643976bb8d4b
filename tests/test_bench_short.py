"""Short runs of two benchmarks, checked for correctness only (never for timings).

- bench/load.py: 10 annotators for 8 s against gunicorn on a fresh database of the same
  kind as this test run's (SQLite, or PostgreSQL when DATABASE_URL points at it): no 5xx,
  no unanswered request, no lost or duplicated write. The same for its bell-time mode with
  four students in two classes; and its read-back does see a write lost behind its back.
- bench/reader.py --short: the reader page costs the same number of SQL queries with 10
  claims as with 200.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import pytest  # noqa: E402
from common import parse_results  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402

from annotator.classroom.models import Exercise  # noqa: E402
from annotator.classroom.services import submit as services_submit  # noqa: E402

ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


def run_bench(script, *args, timeout=240):
    env = dict(os.environ)
    if not ON_POSTGRES:
        env.pop("DATABASE_URL", None)  # a temporary SQLite file
    done = subprocess.run([sys.executable, str(ROOT / "bench" / script), *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)
    output = done.stdout + done.stderr
    return done.returncode, output, {row["name"]: row for row in parse_results(done.stdout)}


def test_short_load_loses_no_write_and_never_answers_5xx():
    code, output, results = run_bench("load.py", "--seconds", "8", "--users", "10")
    vendor = "postgresql" if ON_POSTGRES else "sqlite"
    assert f"database: {vendor};" in output, output[-3000:]
    assert "5xx: 0; no answer: 0; unexpected answers: 0; lost writes: 0; duplicated writes: 0; stale exports: 0" \
        in output, output[-3000:]
    assert results[f"load.{vendor}"]["status"] == "PASS", output[-3000:]
    assert code == 0, output[-3000:]
    writes = int(results[f"load.{vendor}"]["measured"].split(" of ")[1].split()[0])
    assert writes > 20, output[-3000:]  # the annotators really wrote


def test_a_short_bell_time_lesson_loses_no_write_and_every_submission_is_stored():
    code, output, results = run_bench("load.py", "--bell", "--users", "4", "--class-size", "3", "--seconds", "12",
                                      "--workers", "2")
    vendor = "postgresql" if ON_POSTGRES else "sqlite"
    assert "5xx: 0; no answer: 0; unexpected answers: 0; lost writes: 0; duplicated writes: 0" in output, output[-3000:]
    assert "submissions acknowledged: 4 of 4 students" in output, output[-3000:]
    assert results[f"bell.{vendor}"]["status"] == "PASS", output[-3000:]
    assert "dashboard (3 students)" in results[f"bell.dashboard.{vendor}"]["measured"], output[-3000:]
    assert code == 0, output[-3000:]


@pytest.mark.django_db
def test_the_bell_read_back_finds_a_claim_or_a_submission_lost_behind_its_back():
    from load import Student, build_lesson, create_users, verify, verify_submissions

    from annotator.annotations import services
    from annotator.annotations.models import Annotation
    from annotator.classroom.models import Membership, Submission

    from .factories import make_article

    make_article("a", "Title\nRussia urged restraint on Tuesday.")
    make_article("b", "Title\nOfficials said more.")
    create_users(2)
    _, code, exercise, _ = build_lesson(2, 2)[0]
    students = [Student(n, "http://127.0.0.1:1", [0], n, code, exercise) for n in range(2)]
    for student in students:
        user = User.objects.get(username=student.username)
        Membership.objects.create(classroom_id=Exercise.objects.get(pk=exercise).classroom_id, student=user)
        sent = {"article": "a", "start": 6, "end": 12, "exact": "Russia", "label": "disputed", "source": "",
                "note": "", "visibility": "private", "exercise": exercise}
        claim = services.create_annotation(user, "a", {k: v for k, v in sent.items() if k != "article"})
        student.claims[claim.pk] = {**sent, "deleted": False}
        student.submitted = True
        services_submit(user, Exercise.objects.get(pk=exercise))
    assert not verify(students)["lost"] and not verify_submissions(students)
    Annotation.objects.filter(author__username=students[0].username).delete()
    Submission.objects.filter(student__username=students[1].username).delete()
    assert verify(students)["lost"] == [f"claim {next(iter(students[0].claims))} of loaduser000 is missing"]
    assert verify_submissions(students) == ["loaduser001: submission acknowledged, not stored"]


def test_short_reader_bench_sees_a_constant_number_of_queries():
    code, output, results = run_bench("reader.py", "--short")
    assert code == 0, output[-3000:]
    queries = results["reader.queries"]
    assert queries["status"] == "PASS", queries
    with_ten, with_many = queries["measured"].split(" queries")[0].split(" / ")[1:]
    assert with_ten == with_many
