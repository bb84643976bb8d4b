"""Helpers shared by the benchmarks: throwaway databases, Django set-up, a server on
loopback, percentiles, and the machine-readable RESULT lines that bench/run.py collects.

A benchmark prints what a person reads, and for each budget one line

    RESULT name=reader.server_time measured="1.42x" baseline="26.8 ms" budget="<= 2x" status=PASS

(shell-quoted key=value pairs; status is PASS or SHORT, or FAIL for a correctness check).
"""

import contextlib
import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
SEEDS = ROOT / "seeds"
DEFAULT_POSTGRES = "postgres://annotator:annotator@127.0.0.1:5432/annotator"
SECRET = "bench-only-not-a-secret-0123456789abcdef0123456789abcdef"

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


# Databases


def postgres_url(flag):
    """The PostgreSQL server to use: DATABASE_URL when it points at one, the local default
    with `flag` (--postgres), else None (SQLite)."""
    url = os.environ.get("DATABASE_URL", "")
    if urlparse(url).scheme in {"postgres", "postgresql"}:
        return url
    return DEFAULT_POSTGRES if flag else None


def _with_database(url, name):
    return urlunparse(urlparse(url)._replace(path="/" + name))


def _admin_connection(server_url):
    """An autocommit connection to the server's maintenance database (CREATE/DROP DATABASE)."""
    import psycopg

    parts = urlparse(server_url)
    return psycopg.connect(host=parts.hostname or "127.0.0.1", port=parts.port or 5432,
                           user=parts.username, password=parts.password, dbname="postgres", autocommit=True)


@contextlib.contextmanager
def scratch_database(label, server_url=None):
    """Yield the DATABASE_URL of a new, empty database; drop it afterwards.

    SQLite: a file in a temporary directory. PostgreSQL (`server_url`): a database named
    `annotator_<label>_<pid>` on that server, so concurrent runs never share one.
    """
    scratch = Path(tempfile.mkdtemp(prefix=f"annotator-{label}-"))
    if server_url is None:
        try:
            yield f"sqlite:///{scratch / 'db.sqlite3'}", scratch
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        return
    name = f"annotator_{label}_{os.getpid()}".replace("-", "_")
    _drop_database(server_url, name)
    with _admin_connection(server_url) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield _with_database(server_url, name), scratch
    finally:
        with contextlib.suppress(Exception):
            from django.db import connections

            connections.close_all()
        _drop_database(server_url, name)
        shutil.rmtree(scratch, ignore_errors=True)


def _drop_database(server_url, name, attempts=20):
    # FORCE ends our own leftover sessions, but not an autovacuum worker that happens to be in
    # the new database (it belongs to another role): that one ends by itself within moments.
    import psycopg

    for attempt in range(attempts):
        try:
            with _admin_connection(server_url) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            return
        except (psycopg.errors.InsufficientPrivilege, psycopg.errors.ObjectInUse):
            if attempt == attempts - 1:
                raise
            time.sleep(0.5)


def server_env(database_url, **extra):
    """The environment for manage.py and gunicorn: production settings on plain HTTP."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_ALLOW")}
    env.update({
        "DATABASE_URL": database_url,
        "SECRET_KEY": SECRET,
        "DEBUG": "0",
        "HTTPS": "0",
        "PLAIN_STATIC": "1",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "DJANGO_SETTINGS_MODULE": "annotator.settings",
    })
    env.update(extra)
    return env


def setup_django(database_url):
    """Configure this process's Django on `database_url` (before any Django import)."""
    os.environ.update({key: value for key, value in server_env(database_url).items()
                       if key in {"DATABASE_URL", "SECRET_KEY", "DEBUG", "HTTPS", "PLAIN_STATIC", "ALLOWED_HOSTS",
                                  "DJANGO_SETTINGS_MODULE"}})
    import django

    django.setup()


def prepare_database(database_url, seeds=True):
    """Migrate the database and import the seed articles, as an operator would."""
    env = server_env(database_url)
    subprocess.run([str(PYTHON), "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
    if seeds:
        subprocess.run([str(PYTHON), "manage.py", "import_articles", str(SEEDS)], cwd=ROOT, env=env, check=True,
                       stdout=subprocess.DEVNULL)


# A server on loopback


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def gunicorn(database_url, log_path, workers=4, threads=1, timeout=60):
    """Run gunicorn on a free loopback port; yield its base URL; stop it afterwards."""
    port = free_port()
    log = open(log_path, "w")
    process = subprocess.Popen(
        [str(GUNICORN), "annotator.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
         "--threads", str(threads), "--timeout", str(timeout), "--graceful-timeout", "5", "--log-level", "warning"],
        cwd=ROOT, env=server_env(database_url), stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {process.returncode}; see {log_path}")
            try:
                with urllib.request.urlopen(base + "/accounts/login/", timeout=5) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not answer within 30 s; see {log_path}")
            time.sleep(0.2)
        yield base
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        log.close()


# Figures


def percentile(values, fraction):
    """The value at `fraction` (0..1) of the sorted values, nearest rank; nan when empty."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def result(name, measured, budget, status, baseline="—"):
    """Print one machine-readable RESULT line (see the module docstring)."""
    fields = {"name": name, "measured": measured, "baseline": baseline, "budget": budget, "status": status}
    print("RESULT " + " ".join(f"{key}={shlex.quote(str(value))}" for key, value in fields.items()), flush=True)


def parse_results(text):
    """The RESULT lines of a benchmark's output, as dicts."""
    rows = []
    for line in text.splitlines():
        if line.startswith("RESULT "):
            rows.append(dict(part.split("=", 1) for part in shlex.split(line[len("RESULT "):]) if "=" in part))
    return rows


def markdown_table(headers, rows):
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows)]
    lines = ["| " + " | ".join(str(cell).ljust(width) for cell, width in zip(headers, widths)) + " |",
             "|" + "|".join("-" * (width + 2) for width in widths) + "|"]
    lines += ["| " + " | ".join(str(cell).ljust(width) for cell, width in zip(row, widths)) + " |" for row in rows]
    return "\n".join(lines)
