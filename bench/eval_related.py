"""Recall@10 and MRR of related-passage search on the gold set, over the seed articles.

    .venv/bin/python bench/eval_related.py [--verbose]

Imports seeds/ with the real importer into a throwaway database (see related.py:
temporary SQLite by default, a fresh PostgreSQL database when DATABASE_URL points at one),
asks related_passages for each gold claim and checks which expected passages come back.
Claims and passages are found by quote, so the set does not depend on offsets; a result
counts as finding an expected passage when it overlaps the quote.
"""

import argparse
import io
import json
import re
import sys

from related import ROOT, temporary_database

GOLD = ROOT / "bench" / "gold_related.json"
SEEDS = ROOT / "seeds"
K = 10


def locate(body, quote):
    """[start, end) of `quote` in `body`, tolerant of whitespace changes; None if absent."""
    at = body.find(quote)
    if at >= 0:
        return at, at + len(quote)
    pattern = r"\s+".join(re.escape(part) for part in quote.split())
    match = re.search(pattern, body)
    return (match.start(), match.end()) if match else None


def evaluate_claim(claim, articles, related_passages):
    """(recall among the top K, reciprocal rank of the first relevant result, results)."""
    source = articles[claim["source_file"]]
    span = locate(source.body, claim["quote"])
    if span is None:
        raise SystemExit(f"gold claim {claim['id']}: quote not found in {claim['source_file']}")
    results = related_passages(source, *span, limit=K)
    expected = []
    for passage in claim["relevant"]:
        target = articles[passage["source_file"]]
        where = locate(target.body, passage["quote"])
        if where is None:
            raise SystemExit(f"gold claim {claim['id']}: passage quote not found in {passage['source_file']}")
        expected.append((target.slug, *where))
    found = [any(_overlaps(r, e) for r in results) for e in expected]
    ranks = [rank for rank, r in enumerate(results, 1) if any(_overlaps(r, e) for e in expected)]
    return sum(found) / len(expected), (1 / ranks[0] if ranks else 0.0), results


def _overlaps(result, expected):
    slug, start, end = expected
    return result["article"] == slug and result["start"] < end and start < result["end"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="show the top results of every claim")
    args = parser.parse_args()
    gold = json.loads(GOLD.read_text(encoding="utf-8"))["claims"]

    with temporary_database("related-eval") as connection:
        from django.core.management import call_command

        from annotator.corpus.models import Article
        from annotator.corpus.search import related_passages

        call_command("import_articles", str(SEEDS), stdout=io.StringIO())
        articles = {a.source_file: a for a in Article.objects.all()}
        recalls, reciprocal_ranks = [], []
        for claim in gold:
            recall, rr, results = evaluate_claim(claim, articles, related_passages)
            recalls.append(recall)
            reciprocal_ranks.append(rr)
            print(f"{claim['id']:<34} recall@{K} {recall:.2f}  rr {rr:.2f}")
            if args.verbose:
                for r in results:
                    print(f"    {r['score']:7.2f} {r['article'][:24]:<24} {r['terms']} {r['text'][:90]!r}")
        print(f"database: {connection.vendor}, {len(gold)} claims, "
              f"{sum(len(c['relevant']) for c in gold)} expected passages")
        print(f"recall@{K}: {sum(recalls) / len(recalls):.3f}")
        print(f"MRR: {sum(reciprocal_ranks) / len(reciprocal_ranks):.3f}")


if __name__ == "__main__":
    sys.exit(main())
