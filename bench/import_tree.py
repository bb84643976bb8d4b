"""Importing a corpus tree with the real command: articles per second, passage index built.

    .venv/bin/python bench/import_tree.py [--articles 3000]

Writes bench/tree.py's tree (one folder per section, 001.txt… repeating in every folder),
then runs `manage.py import_articles TREE/` twice in a process of its own on a fresh
database: SQLite by default, the PostgreSQL server of DATABASE_URL when it points at one.
The first run reads, decodes, cleans, saves and indexes every file (each article is
searchable when it ends); the second finds every file unchanged. Correctness is checked
(every article imported, each with passages, then all unchanged): a miss is FAIL.
"""

import argparse
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import PYTHON, ROOT, postgres_url, result, scratch_database, server_env  # noqa: E402
from tree import write_tree  # noqa: E402


def import_tree(database_url, tree):
    """(seconds, last line of output) of one run of the command."""
    began = time.monotonic()
    done = subprocess.run([str(PYTHON), "manage.py", "import_articles", str(tree)], cwd=ROOT, check=False,
                          env=server_env(database_url), capture_output=True, text=True)
    seconds = time.monotonic() - began
    if done.returncode:
        print(done.stderr[-3000:])
    return seconds, (done.stdout.strip().splitlines() or [""])[-1]


def indexed_articles(database_url):
    code = ("from annotator.corpus.models import Passage;"
            "print(Passage.objects.values('article').distinct().count())")
    done = subprocess.run([str(PYTHON), "manage.py", "shell", "-v", "0", "-c", code], cwd=ROOT, env=server_env(database_url),
                          capture_output=True, text=True, check=True)
    return int(done.stdout.strip())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=3000)
    parser.add_argument("--short", action="store_true", help="300 articles")
    args = parser.parse_args()
    articles = 300 if args.short else args.articles
    server = postgres_url(False)
    vendor = "postgresql" if server else "sqlite"
    with scratch_database("import", server) as (database_url, scratch):
        subprocess.run([str(PYTHON), "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT,
                       env=server_env(database_url), check=True)
        write_tree(scratch / "tree", articles)
        first, first_summary = import_tree(database_url, scratch / "tree")
        again, again_summary = import_tree(database_url, scratch / "tree")
        indexed = indexed_articles(database_url)
    print(f"database: {vendor}; {articles} articles in 5 folders")
    print(f"first import: {first:.1f} s ({first_summary})")
    print(f"second import: {again:.1f} s ({again_summary})")
    correct = (first_summary == f"{articles} files: {articles} imported, 0 updated, 0 unchanged, 0 failed"
               and again_summary == f"{articles} files: 0 imported, 0 updated, {articles} unchanged, 0 failed"
               and indexed == articles)
    result(f"import.{vendor}", f"{articles / first:.0f} articles/s ({articles:,} files, index built)",
           "reported, no budget", "PASS" if correct else "FAIL",
           baseline=f"re-import, all unchanged: {articles / again:.0f} files/s")
    return 0 if correct else 1


if __name__ == "__main__":
    sys.exit(main())
