"""Short runs of two benchmarks, checked for correctness only (never for timings).

- bench/load.py: 10 annotators for 8 s against gunicorn on a fresh database of the same
  kind as this test run's (SQLite, or PostgreSQL when DATABASE_URL points at it): no 5xx,
  no unanswered request, no lost or duplicated write.
- bench/reader.py --short: the reader page costs the same number of SQL queries with 10
  claims as with 200.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from common import parse_results  # noqa: E402

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


def test_short_reader_bench_sees_a_constant_number_of_queries():
    code, output, results = run_bench("reader.py", "--short")
    assert code == 0, output[-3000:]
    queries = results["reader.queries"]
    assert queries["status"] == "PASS", queries
    with_ten, with_many = queries["measured"].split(" queries")[0].split(" / ")[1:]
    assert with_ten == with_many
