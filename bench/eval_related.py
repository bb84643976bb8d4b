"""Recall@3, recall@10 and MRR of related-passage search on the gold set, dev and held-out apart.

    .venv/bin/python bench/eval_related.py [--verbose] [--split dev]

Imports seeds/ with the real importer into a throwaway database (see related.py:
temporary SQLite by default, a fresh PostgreSQL database when DATABASE_URL points at one),
asks related_passages for each gold claim and checks which expected passages come back.
Claims and passages are found by quote, so the set does not depend on offsets; a result
counts as finding an expected passage when it overlaps the quote.

Each gold claim is in the "dev", "held-out", "held-out-2" or "held-out-3" split; the held-out
claims were written before the search was tuned and are never looked at while tuning, so their
figures are the honest ones. "held-out-2" was written after the "held-out" figures had been seen
and before the next round of tuning, so it stays unseen by that round; "held-out-3" likewise
after both had been seen, by going through each article in reading order. Figures are also
given by what a claim needs (speaker, paraphrase, ...).
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
TOP = (3, K)
SPLITS = ("dev", "held-out", "held-out-2", "held-out-3")


def locate(body, quote):
    """[start, end) of `quote` in `body`, tolerant of whitespace changes; None if absent."""
    at = body.find(quote)
    if at >= 0:
        return at, at + len(quote)
    pattern = r"\s+".join(re.escape(part) for part in quote.split())
    match = re.search(pattern, body)
    return (match.start(), match.end()) if match else None


def evaluate_claim(claim, articles, related_passages):
    """({k: recall among the top k}, reciprocal rank of the first relevant result, results)."""
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
    recall = {k: sum(any(_overlaps(r, e) for r in results[:k]) for e in expected) / len(expected) for k in TOP}
    ranks = [rank for rank, r in enumerate(results, 1) if any(_overlaps(r, e) for e in expected)]
    return recall, (1 / ranks[0] if ranks else 0.0), results


def _overlaps(result, expected):
    slug, start, end = expected
    return result["article"] == slug and result["start"] < end and start < result["end"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="show the top results of every claim")
    parser.add_argument("--split", choices=SPLITS, action="append",
                        help="evaluate only this split (repeatable): tuning looks at dev alone")
    args = parser.parse_args()
    gold = [c for c in json.loads(GOLD.read_text(encoding="utf-8"))["claims"]
            if not args.split or c["split"] in args.split]

    with temporary_database("related-eval") as connection:
        from django.core.management import call_command

        from annotator.corpus.models import Article
        from annotator.corpus.search import related_passages

        call_command("import_articles", str(SEEDS), stdout=io.StringIO())
        articles = {a.source_file: a for a in Article.objects.all()}
        scored = []
        for claim in gold:
            recall, rr, results = evaluate_claim(claim, articles, related_passages)
            scored.append((claim, recall, rr))
            print(f"{claim['id']:<34} {claim['split']:<10} recall@3 {recall[3]:.2f}  recall@{K} {recall[K]:.2f}  rr {rr:.2f}")
            if args.verbose:
                for r in results:
                    print(f"    {r['score']:7.2f} {r['article'][:24]:<24} {r['terms']} {r['text'][:90]!r}")
        print(f"database: {connection.vendor}, {len(gold)} claims, "
              f"{sum(len(c['relevant']) for c in gold)} expected passages")
        groups = {split: [s for s in scored if s[0]["split"] == split] for split in args.split or SPLITS}
        groups["all"] = scored
        for need in sorted({n for claim in gold for n in claim["needs"]}):
            groups[f"needs {need}"] = [s for s in scored if need in s[0]["needs"]]
        for name, group in groups.items():
            print(f"{name:<20} {len(group):>3} claims  " + "  ".join(
                f"recall@{k} {sum(s[1][k] for s in group) / len(group):.3f}" for k in TOP
            ) + f"  MRR {sum(s[2] for s in group) / len(group):.3f}")

if __name__ == "__main__":
    sys.exit(main())
