"""CSV export of many annotations: throughput against a plain sqlite3 + csv dump, and peak memory.

    .venv/bin/python bench/export.py [--rows 1000000] [--rounds 3] [--seed 7]

Builds a temporary SQLite database (migrations, then bulk_create), then times two ways of
writing the same rows to /dev/null, side by side and in turn, each in a fresh subprocess:

- ours: the generator behind /export/annotations.csv and `manage.py export_annotations`
  (the claims and their links read side by side in batches, escaping, timestamps);
- baseline: one SELECT of the same columns joined with article and author, through
  Python's sqlite3 and csv modules.

A subprocess reports its peak resident memory (ru_maxrss) just before the export and just
after: the difference is the most the export itself ever held. Linux carries a process's peak
over into the programs it starts, so the database is built in a subprocess too and this
parent stays small. The best round of each side counts for throughput, the worst for memory.
"""

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUDGET_RATIO = 0.67
BUDGET_MEMORY_MB = 64
ARTICLES = 200
USERS = 50
LINKED_SHARE = 0.2
BATCH = 5000

BASELINE_SQL = """
SELECT a.id, ar.slug, ar.title, u.username, a.label, a.source, a.exact, a.start, a."end", a.prefix, a.suffix,
       a.note, a.visibility, a.exercise_id, a.is_key, a.explanation, a.anchor, a.created, a.modified
FROM annotations_annotation a
JOIN corpus_article ar ON ar.id = a.article_id
JOIN auth_user u ON u.id = a.author_id
ORDER BY a.id
"""

WORDS = (
    "the minister said on Monday that talks would resume officials told reporters critics called plan reckless "
    "according to sources close to government bridge reopen May inspectors report doubts “so-called” reform café "
    "naïve résumé spokesman denied claims, which were “false”, he said; opposition demanded inquiry"
).split()


def configure(database):
    """Point Django at `database` (a SQLite file) through the environment, for this process and its children."""
    os.environ.update({
        "DATABASE_URL": f"sqlite:///{database}",
        "SECRET_KEY": "export-bench-only-not-a-secret-0123456789abcdef0123456789",
        "HTTPS": "0",
        "PLAIN_STATIC": "1",
        "DJANGO_SETTINGS_MODULE": "annotator.settings",
    })
    sys.path.insert(0, str(ROOT))


def text(rng, low, high):
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(low, high)))


def populate(rows, seed):
    """`rows` annotations over ARTICLES articles by USERS authors, LINKED_SHARE of them linked."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from annotator.annotations.anchoring import quote_selector
    from annotator.annotations.models import Annotation, Label, Link, Relation, Visibility
    from annotator.corpus.models import Article

    call_command("migrate", verbosity=0)
    rng = random.Random(seed)
    articles = Article.objects.bulk_create(
        Article(slug=f"article-{n}", title=f"Article {n}: {text(rng, 4, 10)}", body=(body := text(rng, 400, 600)),
                raw=body, source_file=f"article-{n}.txt", raw_sha256=str(n))
        for n in range(ARTICLES)
    )
    users = get_user_model().objects.bulk_create(get_user_model()(username=f"reader{n}") for n in range(USERS))
    notes = ["", "", "Who says so?", '=HYPERLINK("x")', "A longer note, with commas, “quotes” and\na second line."]

    def annotation():
        article = rng.choice(articles)
        start = rng.randrange(0, len(article.body) - 200)
        end = start + rng.randint(20, 200)
        exact, prefix, suffix = quote_selector(article.body, start, end)
        return Annotation(article=article, author=rng.choice(users), start=start, end=end, exact=exact,
                          prefix=prefix, suffix=suffix, label=rng.choice(Label.values),
                          visibility=rng.choice(Visibility.values), source=rng.choice(["", "", "the ministry"]),
                          note=rng.choice(notes) + text(rng, 0, 30))

    claims = []
    for begin in range(0, rows, BATCH):
        claims += Annotation.objects.bulk_create(annotation() for _ in range(begin, min(rows, begin + BATCH)))
    links = []
    for claim in rng.sample(claims, int(rows * LINKED_SHARE)):
        target = rng.choice([a for a in rng.sample(articles, 2) if a.pk != claim.article_id])
        start = rng.randrange(0, len(target.body) - 100)
        exact, prefix, suffix = quote_selector(target.body, start, start + 60)
        links.append(Link(source_annotation=claim, relation=rng.choice(Relation.values), to_article=target,
                          to_start=start, to_end=start + 60, to_exact=exact, to_prefix=prefix, to_suffix=suffix,
                          author_id=claim.author_id))
    Link.objects.bulk_create(links, batch_size=BATCH)
    return len(claims), len(links)


def peak_kb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kilobytes on Linux


def measure(side, database):
    """Run one side's export to /dev/null in this process; return its seconds and memory growth."""
    if side == "ours":
        import django

        django.setup()
        from annotator.annotations import exports

        def run(sink):
            sink.writelines(exports.export(exports.export_queryset(None, everything=True)))
    else:
        import csv
        import sqlite3

        def run(sink):
            with sqlite3.connect(database) as connection:
                csv.writer(sink).writerows(connection.execute(BASELINE_SQL))

    with open(os.devnull, "w", encoding="utf-8", newline="") as sink:
        before = peak_kb()
        started = time.perf_counter()
        run(sink)
        seconds = time.perf_counter() - started
    return {"seconds": seconds, "growth_kb": peak_kb() - before}


def in_subprocess(database, *arguments):
    """Run this script with `arguments` in a fresh process on `database`; return what it printed, as JSON."""
    result = subprocess.run([sys.executable, __file__, "--database", str(database), *arguments],
                            capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--measure", choices=("ours", "baseline"), help=argparse.SUPPRESS)
    parser.add_argument("--populate", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--database", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.populate or args.measure:
        configure(args.database)
        print(json.dumps(populate(args.rows, args.seed) if args.populate else measure(args.measure, args.database)))
        return 0

    scratch = Path(tempfile.mkdtemp(prefix="export-bench-"))
    try:
        database = scratch / "bench.sqlite3"
        started = time.perf_counter()
        claims, links = in_subprocess(database, "--populate", "--rows", str(args.rows), "--seed", str(args.seed))
        print(f"database: sqlite, {claims} annotations, {links} links ({time.perf_counter() - started:.1f} s to build)")
        results = {"ours": [], "baseline": []}
        for _ in range(args.rounds):
            for side in results:
                results[side].append(in_subprocess(database, "--measure", side))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    ours = claims / min(r["seconds"] for r in results["ours"])
    baseline = claims / min(r["seconds"] for r in results["baseline"])
    ratio = ours / baseline
    growth_mb = max(r["growth_kb"] for r in results["ours"]) / 1024
    baseline_mb = max(r["growth_kb"] for r in results["baseline"]) / 1024
    fast_enough, small_enough = ratio >= BUDGET_RATIO, growth_mb <= BUDGET_MEMORY_MB
    print(f"export throughput: {ours:,.0f} rows/s vs baseline {baseline:,.0f} rows/s "
          f"(ratio {ratio:.2f}, budget ≥ {BUDGET_RATIO:.2f}) {'PASS' if fast_enough else 'SHORT'}")
    print(f"export peak memory growth: {growth_mb:.1f} MB (budget ≤ {BUDGET_MEMORY_MB} MB) "
          f"{'PASS' if small_enough else 'SHORT'}")
    print(f"baseline peak memory growth: {baseline_mb:.1f} MB; best of {args.rounds} rounds each, in turn")
    return 0 if fast_enough and small_enough else 1


if __name__ == "__main__":
    sys.exit(main())
