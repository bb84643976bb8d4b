"""The reader page with 1,000 claims against the same page with none: server time and SQL queries.

    .venv/bin/python bench/reader.py [--claims 1000] [--runs 20] [--short]

Builds a throwaway database (a temporary SQLite file, or a database of its own on the
PostgreSQL server of DATABASE_URL), imports seeds/ and copies the longest seed article
once per size: with no claims, with 10, and with --claims overlapping claims of one reader
(a fifth of them linked to passages of another article). Each page is fetched through
Django's test client as that reader, the pages timed in turn, alternating which goes first,
so that both see the same machine. Prints the median server time of each, their ratio
(budget: at most 1.3x), the page's size (budget: 600 KiB) and the SQL query count per size (budget: the same whatever the count),
and, for information, the same ratio for first views with every cache emptied.
"""

import argparse
import io
import random
import statistics
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import SEEDS, postgres_url, result, scratch_database, setup_django  # noqa: E402

# Whitenoise's notice that collectstatic has not run: plain static files are served here.
warnings.filterwarnings("ignore", message="No directory at")
BUDGET_RATIO = 1.3
BUDGET_KIB = 600
LINK_SHARE = 0.2
PASSWORD = "reader-bench-password-5930"
LABELS = ("attributed", "editorialized", "disputed")


def word_span(rng, body, shortest=10, longest=220):
    """A random run of whole words [start, end) of `body`, in code points."""
    while True:
        start = rng.randrange(0, len(body) - shortest)
        while start > 0 and not body[start - 1].isspace():
            start -= 1
        while start < len(body) and body[start].isspace():
            start += 1
        end = min(len(body), start + rng.randint(shortest, longest))
        while end < len(body) and not body[end].isspace():
            end += 1
        while end > start and body[end - 1].isspace():
            end -= 1
        if end > start:
            return start, end


def build_pages(sizes, seed=3):
    """Import the seeds and make one copy of the longest article per size in `sizes`, with that
    many claims by one reader (public and private mixed), a fifth of them linked to spans of
    another article. Returns (reader, {size: article})."""
    from django.contrib.auth.models import User
    from django.core.management import call_command

    from annotator.annotations.anchoring import quote_selector
    from annotator.annotations.models import Annotation, Link
    from annotator.corpus.models import Article

    call_command("import_articles", str(SEEDS), stdout=io.StringIO())
    seeds = sorted(Article.objects.all(), key=lambda a: -len(a.body))
    template, target = seeds[0], seeds[1]
    reader = User.objects.create_user("bench-reader", password=PASSWORD)
    rng = random.Random(seed)
    pages = {}
    for size in sizes:
        article = Article.objects.create(
            slug=f"bench-{size}-claims", title=template.title, title_derived=template.title_derived,
            body=template.body, raw=template.raw, source_file=f"bench-{size}-claims.txt",
            raw_sha256=template.raw_sha256, published=template.published, byline=template.byline,
            outlet=template.outlet,
        )
        claims = []
        for number in range(size):
            start, end = word_span(rng, article.body)
            exact, prefix, suffix = quote_selector(article.body, start, end)
            claims.append(Annotation(
                article=article, start=start, end=end, exact=exact, prefix=prefix, suffix=suffix,
                label=LABELS[number % 3], source="PressTV" if number % 3 == 0 else "",
                note=f"Claim {number}: who says so, and how do they know?" if number % 2 else "",
                visibility="public" if number % 2 else "private", author=reader,
            ))
        claims = Annotation.objects.bulk_create(claims)
        links = []
        for claim in claims[: round(size * LINK_SHARE)]:
            start, end = word_span(rng, target.body)
            to_exact, to_prefix, to_suffix = quote_selector(target.body, start, end)
            links.append(Link(
                source_annotation=claim, relation="corroborates" if claim.pk % 2 else "contradicts",
                to_article=target, to_start=start, to_end=end, to_exact=to_exact, to_prefix=to_prefix,
                to_suffix=to_suffix, note="Compare.", author=reader,
            ))
        Link.objects.bulk_create(links)
        pages[size] = article
    return reader, pages


def drawn_claims(html):
    """How many distinct claims the page highlights: the ids of its compact geometry, when
    the text has highlighted segments to show them on."""
    import html as html_module
    import json
    import re

    found = re.search(r'data-geometry="([^"]*)"', html)
    if not found or '<mark class="hl ' not in html:
        return 0
    ids, pk = set(), 0
    for step in json.loads(html_module.unescape(found.group(1)))["ids"]:
        pk += step
        ids.add(pk)
    return len(ids)


def fetch(client, article):
    began = time.perf_counter()
    response = client.get(article.get_absolute_url())
    took = time.perf_counter() - began
    assert response.status_code == 200, response.status_code
    return took * 1000, response.content.decode()


def query_count(client, article):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(article.get_absolute_url())
    return len(queries.captured_queries)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--short", action="store_true", help="200 claims, 5 runs (for the test suite)")
    parser.add_argument("--postgres", action="store_true", help="on PostgreSQL rather than a temporary SQLite file")
    args = parser.parse_args()
    if args.short:
        args.claims, args.runs = 200, 5
    sizes = sorted({0, 10, args.claims})

    with scratch_database("reader", postgres_url(args.postgres)) as (database_url, _):
        setup_django(database_url)
        from django.core.cache import caches
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client

        from annotator.annotations.reader import forget_drawings

        call_command("migrate", verbosity=0, interactive=False)
        reader, pages = build_pages(sizes)
        client = Client()
        client.force_login(reader)
        full, empty = pages[args.claims], pages[0]

        for _ in range(3):  # warm the template and query caches; not counted
            fetch(client, full), fetch(client, empty)
        times = {"full": [], "empty": []}
        html = {}
        for run in range(args.runs):
            order = [("full", full), ("empty", empty)]
            for name, article in order if run % 2 == 0 else order[::-1]:
                took, html[name] = fetch(client, article)
                times[name].append(took)
        # The same, but as a first view: nothing of either page cached (drawn text, cards).
        cold = {"full": [], "empty": []}
        for run in range(args.runs):
            order = [("full", full), ("empty", empty)]
            for name, article in order if run % 2 == 0 else order[::-1]:
                for cache in caches.all():
                    cache.clear()
                forget_drawings()
                cold[name].append(fetch(client, article)[0])
        for size in sizes:  # every page seen once: a view of a page already drawn is what is counted
            fetch(client, pages[size])
        counts = {size: query_count(client, pages[size]) for size in sizes}
        connection.close()

    drawn = drawn_claims(html["full"])
    if drawn != args.claims or drawn_claims(html["empty"]) != 0:
        print(f"the page with {args.claims} claims highlights {drawn}; the empty page "
              f"{drawn_claims(html['empty'])}", file=sys.stderr)
        return 2
    full_ms, empty_ms = statistics.median(times["full"]), statistics.median(times["empty"])
    ratio = full_ms / empty_ms
    links = round(args.claims * LINK_SHARE)
    print(f"database: {connection.vendor}; article of {len(full.body):,} code points; "
          f"{args.claims:,} overlapping claims ({links} linked to another article); {args.runs} runs each")
    print(f"page with {args.claims:,} claims: median {full_ms:.1f} ms (min {min(times['full']):.1f}), "
          f"{len(html['full'].encode()) / 1024:.0f} KiB")
    print(f"page with no claims:   median {empty_ms:.1f} ms (min {min(times['empty']):.1f}), "
          f"{len(html['empty'].encode()) / 1024:.0f} KiB")
    verdict = "PASS" if ratio <= BUDGET_RATIO else "SHORT"
    print(f"server time ratio: {ratio:.2f}x (budget {BUDGET_RATIO:g}x) {verdict}")
    kib = len(html["full"].encode()) / 1024
    size_verdict = "PASS" if kib <= BUDGET_KIB else "SHORT"
    print(f"page size with {args.claims:,} claims: {kib:.0f} KiB (budget {BUDGET_KIB} KiB) {size_verdict}")
    cold_full, cold_empty = statistics.median(cold["full"]), statistics.median(cold["empty"])
    print(f"first views, nothing cached: {cold_full:.1f} ms with {args.claims:,} claims, {cold_empty:.1f} ms "
          f"with none ({cold_full / cold_empty:.2f}x)")
    # With no claims at all, Django skips the prefetch of their links (one query fewer):
    # that is not growth. Constant means: the same for every count above zero, none more.
    nonzero = {n for size, n in counts.items() if size}
    constant = len(nonzero) == 1 and counts[0] <= min(nonzero)
    shown = ", ".join(f"{size:,} claims: {n}" for size, n in counts.items())
    print(f"SQL queries per page: {shown} — {'constant' if constant else 'NOT constant'}"
          + (" (no claims: no links to prefetch)" if constant and counts[0] < min(nonzero) else ""))
    result("reader.server_time", f"{ratio:.2f}x ({full_ms:.0f} ms with {args.claims:,} claims)",
           f"<= {BUDGET_RATIO:g}x the same page with none", verdict, baseline=f"{empty_ms:.0f} ms with none")
    result("reader.size", f"{kib:.0f} KiB with {args.claims:,} claims", f"<= {BUDGET_KIB} KiB", size_verdict,
           baseline=f"{len(html['empty'].encode()) / 1024:.0f} KiB with none")
    result("reader.queries", " / ".join(str(n) for n in counts.values()) + " queries ("
           + " / ".join(f"{size:,}" for size in counts) + " claims)",
           "constant whatever the count", "PASS" if constant else "SHORT", baseline=f"{counts[0]} with none")
    return 0


if __name__ == "__main__":
    sys.exit(main())
