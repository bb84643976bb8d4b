"""Precision, recall and F1 of the assist's suggestions, per label, on bench/gold_assist/.

    .venv/bin/python bench/eval_assist.py [--verbose] [--show]

Each gold file names an article (a seed or one of gold_assist/articles/) and its claims by
label and exact quote (see gold_assist/README.md). Articles go through the real cleaner, as
the importer would, then through the suggestion rules; no database is needed.

Match rule: a suggestion and a gold span of the same label match when they overlap and the
overlap covers at least half of the shorter one. Precision counts suggestions that match
some gold span; recall counts gold spans matched by some suggestion. Figures are printed
for each split (seeds, own articles written while building the rules, held-out articles
written and labelled before the rules ever ran on them) and for all together.

--verbose lists every miss and false alarm; --show prints every suggestion, to read them.
"""

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "bench" / "gold_assist"
LABELS = ("attributed", "disputed", "editorialized")
TARGETS = {"attributed": 0.8, "disputed": 0.6, "editorialized": 0.5}


def setup():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("SECRET_KEY", "eval-assist-only-not-a-secret-0123456789abcdef0123456789")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "annotator.settings")
    os.environ.setdefault("HTTPS", "0")
    import django

    django.setup()


def load(path):
    from annotator.corpus.importer import analyse

    gold = json.loads(path.read_text(encoding="utf-8"))
    source = ROOT / gold["file"]
    body = analyse(source.name, source.read_bytes()).cleaned.body
    spans = []
    for item in gold["spans"]:
        at = -1
        for _ in range(item.get("occurrence", 1)):
            at = body.find(item["quote"], at + 1)
        if at < 0:
            raise SystemExit(f"{path.name}: quote not found: {item['quote'][:80]!r}")
        spans.append({**item, "start": at, "end": at + len(item["quote"])})
    split = gold.get("split") or ("seeds" if gold["file"].startswith("seeds/") else "own")
    return split, body, spans


def matches(a_start, a_end, b_start, b_end):
    overlap = min(a_end, b_end) - max(a_start, b_start)
    return overlap > 0 and overlap >= 0.5 * min(a_end - a_start, b_end - b_start)


def score(suggestions, gold, label):
    """(suggestions matched, suggestions, gold matched, gold, false alarms, misses, source agreements)."""
    mine = [s for s in suggestions if s.label == label]
    theirs = [g for g in gold if g["label"] == label]
    hits = [s for s in mine if any(matches(s.start, s.end, g["start"], g["end"]) for g in theirs)]
    found = [g for g in theirs if any(matches(s.start, s.end, g["start"], g["end"]) for s in mine)]
    agree = sum(
        1 for g in found if g.get("source") and any(
            matches(s.start, s.end, g["start"], g["end"]) and s.source and _same_source(s.source, g["source"])
            for s in mine)
    )
    misses = [g for g in theirs if g not in found]
    return len(hits), len(mine), len(found), len(theirs), [s for s in mine if s not in hits], misses, agree


def _same_source(a, b):
    a, b = a.lower(), b.lower()
    return a in b or b in a


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--verbose", action="store_true", help="list false alarms and misses")
    parser.add_argument("--show", action="store_true", help="print every suggestion")
    args = parser.parse_args()
    setup()
    from annotator.assist.suggest import suggest

    totals = {}
    sources = {}
    for path in sorted(GOLD.glob("*.json")):
        split, body, gold = load(path)
        suggestions = suggest(body)
        if args.show:
            print(f"== {path.stem}")
            for s in suggestions:
                source = f" — {s.source}" if s.source else ""
                print(f"  {s.label:13} {s.confidence:.2f} {s.cue}{source}\n      “{s.exact}”")
        for label in LABELS:
            hit, mine, found, theirs, alarms, misses, agree = score(suggestions, gold, label)
            for key in (split, "all"):
                counts = totals.setdefault((key, label), [0, 0, 0, 0])
                for i, value in enumerate((hit, mine, found, theirs)):
                    counts[i] += value
            if label == "attributed":
                with_source = sum(1 for g in gold if g["label"] == label and g.get("source") and g not in misses)
                sources[split] = [a + b for a, b in zip(sources.get(split, [0, 0]), (agree, with_source))]
            if args.verbose:
                for s in alarms:
                    print(f"  false alarm  {path.stem} {label}: “{s.exact[:100]}” [{s.cue}]")
                for g in misses:
                    print(f"  missed       {path.stem} {label}: “{g['quote'][:100]}”")
    print(f"{'split':8} {'label':14} {'precision':>16} {'recall':>16} {'F1':>5}  target")
    for split in ("seeds", "own", "heldout", "all"):
        for label in LABELS:
            if (split, label) not in totals:
                continue
            hit, mine, found, theirs = totals[(split, label)]
            precision = hit / mine if mine else 0.0
            recall = found / theirs if theirs else 0.0
            f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
            target = TARGETS[label]
            verdict = "met" if precision >= target and recall >= target else "short"
            print(f"{split:8} {label:14} {precision:5.2f} ({hit:3}/{mine:3}) {recall:5.2f} ({found:3}/{theirs:3}) "
                  f"{f1:5.2f}  P,R >= {target} {verdict}")
    for split, (agree, total) in sources.items():
        print(f"source named as in the gold, found attributed claims ({split}): {agree}/{total}")


if __name__ == "__main__":
    main()
