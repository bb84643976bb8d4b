"""Every benchmark, one after another, and one table: each budget of DESIGN.md, the figure
measured, what it is compared with, and whether it is met.

    .venv/bin/python bench/run.py [--short] [--only NAME ...] [--skip NAME ...] [--markdown FILE]

Each benchmark runs as a script of its own (its output is shown as it finishes). The ones
under bench/ that print RESULT lines (reader, paint, load) are read from those; related.py
and, when present, export.py and assist.py are read from their usual output. PostgreSQL
rows need the server of DATABASE_URL, or 127.0.0.1:5432 (`make bench` starts it).
--short runs small sizes and a 10 s load test, for a quick check.

A budget that is not met is reported as SHORT and does not change the exit status; a
benchmark that crashes, or a load test that sees a 5xx or a lost or duplicated write, does.
"""

import argparse
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import DEFAULT_POSTGRES, PYTHON, ROOT, markdown_table, parse_results  # noqa: E402

BENCH = ROOT / "bench"
TIMEOUT = 3 * 60 * 60


@dataclass
class Row:
    budget: str
    measured: str = "—"
    baseline: str = "—"
    status: str = "NOT RUN"


@dataclass
class Bench:
    name: str
    script: str
    args: list
    short_args: list
    rows: dict  # key -> budget text (from DESIGN.md)
    parse: object  # (output, rows) -> None, fills the rows in
    postgres: bool = False
    optional: bool = False
    extra_env: dict = field(default_factory=dict)


# Reading each benchmark's output


def from_result_lines(prefix_to_key):
    def parse(output, rows):
        for found in parse_results(output):
            key = prefix_to_key.get(found.get("name"))
            if key in rows:
                rows[key].measured = found.get("measured", "—")
                rows[key].baseline = found.get("baseline", "—")
                rows[key].status = found.get("status", "?")
    return parse


def parse_related(output, rows):
    p95 = re.search(r"related p95: ([\d.]+) ms \(budget ([\d.]+) ms\) (PASS|FAIL)", output)
    p50 = re.search(r"related p50: ([\d.]+) ms", output)
    size = re.search(r"database: \w+, (\d+) articles, (\d+) passages", output)
    rate = re.search(r"import: (\d+) articles/s", output)
    if p95:
        row = rows["p95"]
        row.measured = f"p95 {p95.group(1)} ms" + (f" (p50 {p50.group(1)} ms)" if p50 else "")
        row.baseline = ((f"{int(size.group(1)):,} articles, {int(size.group(2)):,} passages" if size else "—")
                        + (f", imported at {rate.group(1)} articles/s" if rate else ""))
        row.status = "PASS" if p95.group(3) == "PASS" else "SHORT"


def parse_export(output, rows):
    """export.py's own lines ("export throughput: …", "export peak memory growth: …")."""
    size = re.search(r"database: \w+, (\d+) annotations", output)
    speed = re.search(r"export throughput: ([\d,]+) rows/s vs baseline ([\d,]+) rows/s "
                      r"\(ratio ([\d.]+), budget ≥ [\d.]+\) (PASS|SHORT|FAIL)", output)
    if speed:
        rows["throughput"].measured = f"{speed.group(3)}x ({speed.group(1)} rows/s)"
        rows["throughput"].baseline = f"sqlite3 + csv: {speed.group(2)} rows/s"
        rows["throughput"].status = "PASS" if speed.group(4) == "PASS" else "SHORT"
    memory = re.search(r"export peak memory growth: ([\d.]+) MB \(budget[^)]*\) (PASS|SHORT|FAIL)", output)
    if memory:
        baseline = re.search(r"baseline peak memory growth: ([\d.]+) MB", output)
        rows["memory"].measured = f"+{memory.group(1)} MB" + (
            f" ({int(size.group(1)):,} rows)" if size else "")
        rows["memory"].baseline = f"sqlite3 + csv: +{baseline.group(1)} MB" if baseline else "—"
        rows["memory"].status = "PASS" if memory.group(2) == "PASS" else "SHORT"


def parse_assist(output, rows):
    """assist.py's own lines ("assist 10k words: … ms (budget … ms) PASS", "uncached: …")."""
    found = re.search(r"assist (\d+)k words: (\d+) ms \(budget (\d+) ms\) (PASS|SHORT|FAIL)", output)
    if found:
        uncached = re.search(r"uncached: median (\d+) ms", output)
        rows["assist"].measured = f"{found.group(2)} ms cold, {found.group(1)}k words"
        rows["assist"].baseline = f"uncached (warm process): {uncached.group(1)} ms" if uncached else "—"
        rows["assist"].status = "PASS" if found.group(4) == "PASS" else "SHORT"


# The list


def benches(postgres_url):
    pg = {"DATABASE_URL": postgres_url}
    load_budget = "50 concurrent annotators for 60 s against gunicorn: zero 5xx, zero lost writes"
    return [
        Bench("related-sqlite", "related.py", [], ["--articles", "500", "--queries", "40"],
              {"p95": "Related passages over 10,000 articles: p95 ≤ 50 ms (SQLite FTS5)"}, parse_related,
              extra_env={"DATABASE_URL": None}),
        Bench("related-postgres", "related.py", [], ["--articles", "500", "--queries", "40"],
              {"p95": "Related passages over 10,000 articles: p95 ≤ 50 ms (PostgreSQL full text)"}, parse_related,
              postgres=True, extra_env=pg),
        Bench("related-100k-sqlite", "related.py", ["--articles", "100000", "--budget-ms", "20"],
              ["--articles", "1000", "--queries", "40", "--budget-ms", "20"],
              {"p95": "District: related passages over 100,000 articles: p95 ≤ 20 ms (SQLite FTS5)"}, parse_related,
              extra_env={"DATABASE_URL": None}),
        Bench("related-100k-postgres", "related.py", ["--articles", "100000", "--budget-ms", "20"],
              ["--articles", "1000", "--queries", "40", "--budget-ms", "20"],
              {"p95": "District: related passages over 100,000 articles: p95 ≤ 20 ms (PostgreSQL full text)"},
              parse_related, postgres=True, extra_env=pg),
        Bench("export", "export.py", ["--rows", "1000000", "--rounds", "2"], ["--rows", "20000", "--rounds", "2"],
              {"memory": "CSV export of 1,000,000 annotations: streamed, peak memory grows ≤ 64 MB",
               "throughput": "CSV export throughput ≥ 0.67× a plain sqlite3 + csv dump"}, parse_export,
              optional=True, extra_env={"DATABASE_URL": None}),
        Bench("assist", "assist.py", [], ["--words", "2000", "--repeat", "2"],
              {"assist": "Assist: suggestions for a 10,000-word article ≤ 200 ms (the assist's own budget)"},
              parse_assist, optional=True, extra_env={"DATABASE_URL": None}),
        Bench("reader-sqlite", "reader.py", ["--claims", "10000", "--runs", "10"], ["--short"],
              {"server_time": "Article page with 10,000 overlapping claims (2,000 linked): server time ≤ 1.3× the page with none (SQLite)",
               "size": "Article page with 10,000 claims: ≤ 600 KB (SQLite)",
               "queries": "Article page: a constant number of SQL queries whatever the count (SQLite)"},
              from_result_lines({"reader.server_time": "server_time", "reader.size": "size", "reader.queries": "queries"}),
              extra_env={"DATABASE_URL": None}),
        Bench("reader-postgres", "reader.py", ["--claims", "10000", "--runs", "10"], ["--short"],
              {"server_time": "Article page with 10,000 overlapping claims (2,000 linked): server time ≤ 1.3× the page with none (PostgreSQL)",
               "queries": "Article page: a constant number of SQL queries whatever the count (PostgreSQL)"},
              from_result_lines({"reader.server_time": "server_time", "reader.queries": "queries"}),
              postgres=True, extra_env=pg),
        Bench("paint", "paint.py", ["--claims", "10000"], ["--short"],
              {"paint": "Browser: 10,000 claims painted within 150 ms of DOMContentLoaded (Chromium)"},
              from_result_lines({"paint.highlights": "paint"}), extra_env={"DATABASE_URL": None}),
        Bench("import-sqlite", "import_tree.py", [], ["--short"],
              {"import": "Import of a 3,000-article tree with the passage index built: articles per second (SQLite)"},
              from_result_lines({"import.sqlite": "import"}), extra_env={"DATABASE_URL": None}),
        Bench("import-postgres", "import_tree.py", [], ["--short"],
              {"import": "Import of a 3,000-article tree with the passage index built: articles per second (PostgreSQL)"},
              from_result_lines({"import.postgresql": "import"}), postgres=True, extra_env=pg),
        Bench("load-sqlite", "load.py", ["--seconds", "60", "--users", "50"], ["--seconds", "10", "--users", "10"],
              {"load": load_budget + " (SQLite)"}, from_result_lines({"load.sqlite": "load"}),
              extra_env={"DATABASE_URL": None}),
        Bench("load-postgres", "load.py", ["--seconds", "60", "--users", "50"], ["--seconds", "10", "--users", "10"],
              {"load": load_budget + " (PostgreSQL)"}, from_result_lines({"load.postgresql": "load"}),
              postgres=True, extra_env=pg),
        Bench("bell-postgres", "load.py", ["--bell", "--users", "500", "--class-size", "200", "--seconds", "120"],
              ["--bell", "--users", "20", "--class-size", "10", "--seconds", "20"],
              {"bell": "Bell time: 500 students sign in at once, tag every 5-15 s and submit, on PostgreSQL "
                       "behind gunicorn: zero 5xx, zero lost or duplicated writes",
               "dashboard": "Bell time: the class dashboard for 200 students under 500 ms (p95)"},
              from_result_lines({"bell.postgresql": "bell", "bell.dashboard.postgresql": "dashboard"}),
              postgres=True, extra_env=pg),
    ]


def postgres_reachable(url):
    try:
        import psycopg

        with psycopg.connect(url, connect_timeout=3):
            return True
    except Exception as exc:
        print(f"PostgreSQL at {url.split('@')[-1]} is not reachable ({type(exc).__name__}); its rows are skipped.")
        return False


def help_mentions(script, option):
    try:
        text = subprocess.run([str(PYTHON), str(script), "--help"], capture_output=True, text=True, timeout=60,
                              cwd=ROOT).stdout
    except subprocess.TimeoutExpired:
        return False
    return option in text


def _text(captured):
    if isinstance(captured, bytes):
        return captured.decode(errors="replace")
    return captured or ""


def run_one(bench, short):
    script = BENCH / bench.script
    args = list(bench.short_args if short else bench.args)
    if short and not args and help_mentions(script, "--short"):
        args = ["--short"]
    env = dict(os.environ)
    for key, value in bench.extra_env.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    command = [str(PYTHON), str(script), *args]
    print(f"\n== {bench.name}: {' '.join(command[1:])}", flush=True)
    began = time.monotonic()
    try:
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=TIMEOUT)
        output, code = done.stdout + done.stderr, done.returncode
    except subprocess.TimeoutExpired as exc:
        output, code = _text(exc.stdout) + _text(exc.stderr), "timeout"
    shown = [line for line in output.splitlines() if "UserWarning" not in line and "mw_instance" not in line]
    print("\n".join("   " + line for line in shown[-40:]))
    print(f"   ({time.monotonic() - began:.0f} s, exit {code})", flush=True)
    return output, code


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--short", action="store_true", help="small sizes and a 10 s load test")
    parser.add_argument("--only", nargs="*", help="run only these benchmarks (names as listed in the table)")
    parser.add_argument("--skip", nargs="*", default=(), help="leave these out (e.g. the hour-long 100,000-article runs)")
    parser.add_argument("--markdown", type=Path, help="also write the table to this file")
    args = parser.parse_args()

    env_url = os.environ.get("DATABASE_URL", "")
    postgres_url = env_url if env_url.startswith(("postgres://", "postgresql://")) else DEFAULT_POSTGRES
    have_postgres = None
    table, crashed, failed = [], [], []
    for bench in benches(postgres_url):
        rows = {key: Row(budget) for key, budget in bench.rows.items()}
        if (args.only and bench.name not in args.only) or bench.name in args.skip:
            continue
        if not (BENCH / bench.script).exists():
            if bench.optional:
                for row in rows.values():
                    row.measured = f"bench/{bench.script} not present"
                table.extend(rows.values())
                continue
        if bench.postgres:
            if have_postgres is None:
                have_postgres = postgres_reachable(postgres_url)
            if not have_postgres:
                for row in rows.values():
                    row.measured = "PostgreSQL not reachable"
                table.extend(rows.values())
                continue
        output, code = run_one(bench, args.short)
        bench.parse(output, rows)
        table.extend(rows.values())
        if any(row.status == "FAIL" for row in rows.values()):
            failed.append(bench.name)
        elif code != 0 and all(row.status == "NOT RUN" for row in rows.values()):
            crashed.append(bench.name)
            for row in rows.values():
                row.status = "CRASHED"
                row.measured = f"exit {code}"
        elif code not in (0, 1):
            crashed.append(bench.name)

    markdown = markdown_table(["Budget (DESIGN.md)", "Measured", "Compared with", "Result"],
                              [(r.budget, r.measured, r.baseline, r.status) for r in table])
    print(f"\n{'Short run' if args.short else 'Benchmarks'}, {time.strftime('%Y-%m-%d')}, "
          f"{os.cpu_count()} CPUs:\n")
    print(markdown)
    if args.markdown:
        args.markdown.write_text(markdown + "\n", encoding="utf-8")
    if crashed:
        print(f"\ncrashed: {', '.join(crashed)}")
    if failed:
        print(f"\ncorrectness failures: {', '.join(failed)}")
    return 1 if crashed or failed else 0


if __name__ == "__main__":
    sys.exit(main())
