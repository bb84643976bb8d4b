"""Precision and recall of the assist's suggestions on bench/gold_assist/, per label and per pattern.

    .venv/bin/python bench/eval_assist.py [--verbose] [--show]

Each gold file names an article (a seed or one of gold_assist/articles/) and its claims by
label and exact quote (see gold_assist/README.md). Articles go through the real cleaner, as
the importer would, then through the suggestion rules; no database is needed.

Span rule: a suggestion and a gold span match when they overlap and the overlap covers at
least half of the shorter one. Precision counts suggestions that match some gold span of
their label; recall counts gold spans matched by some suggestion of that label.

Rows, for each split:
- attributed, disputed, editorialized: every suggestion of the label against every gold span
  of the label; a disputed or editorialized suggestion on a gold weasel sentence counts as
  right, as the issue that set the targets asks for weasel wording under either label.
- attributed by pattern (recall: gold spans of the pattern found by any attributed
  suggestion; precision: suggestions whose own cue falls in the pattern, against all
  attributed gold): the cue is said/says/told/
  according to, or any other cue; the content is not in quotation marks; no named source.
- loaded: the writer's loaded words. Recall over gold editorialized spans marked loaded,
  by any editorialized suggestion; precision of suggestions whose cue is a loaded term, loaded verb, intensifier or scare
  quotes, against all editorialized gold.
- weasel: sentences, not spans. A sentence is suggested when a disputed or editorialized
  suggestion with a hedge, weasel or unverified cue starts in it; gold weasel sentences are
  the ones the annotator marked.

Splits: `dev` (written and annotated for this evaluation, looked at while changing rules),
`heldout` (written and annotated with dev, before any rule changed, never looked at while
tuning), and the older `seeds`, `own` and `earlier` sets, which earlier rules were built on.
--verbose lists misses and false alarms, for every split but the held-out one.
"""

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "bench" / "gold_assist"
SPLITS = ("dev", "heldout", "seeds", "own", "earlier")
LABELS = ("attributed", "disputed", "editorialized")
SAID_CUES = ("‘said’", "‘says’", "‘say’", "‘saying’", "‘told’", "‘tells’", "‘tell’", "‘according to’")
LOADED_CUES = ("loaded", "intensifier", "scare quotes")
WEASEL_CUES = ("hedge", "weasel", "unverified")
# (minimum precision, minimum recall) from the issue that set them; None: not set.
TARGETS = {
    "attributed": (0.90, 0.70), "said cue": (None, 0.85), "other cue": (None, 0.65),
    "unquoted": (None, 0.60), "unnamed": (None, 0.50), "loaded": (0.40, 0.30), "weasel": (0.60, 0.35),
}
ROWS = ("attributed", "said cue", "other cue", "unquoted", "unnamed", "disputed", "editorialized", "loaded",
        "weasel")


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


def suggestion_patterns(s):
    """The patterns an attributed suggestion's own cue and source put it in."""
    said = any(cue in s.cue for cue in SAID_CUES)
    patterns = {"said cue" if said else "other cue"}
    if not s.cue.startswith("quotation"):
        patterns.add("unquoted")
    if not s.source or "unnamed" in s.cue:
        patterns.add("unnamed")
    return patterns


def gold_patterns(g):
    if "cue" not in g:
        return set()  # the older gold files are not tagged by pattern
    patterns = {"said cue" if g["cue"] == "said" else "other cue"}
    if not g.get("quoted"):
        patterns.add("unquoted")
    if not g.get("named", True):
        patterns.add("unnamed")
    return patterns


def span_rows(suggestions, gold):
    """{row: (mine, hits, theirs, found)}: suggestions and gold spans, with the matched ones."""
    rows = {}
    weasels = [g for g in gold if g["label"] == "weasel"]
    for label in LABELS:
        mine = [s for s in suggestions if s.label == label]
        theirs = [g for g in gold if g["label"] == label]
        # A weasel sentence is disputed or editorialized (either label may flag it).
        rows[label] = _match(mine, theirs + (weasels if label != "attributed" else []), theirs)
    attributed = [s for s in suggestions if s.label == "attributed"]
    gold_attributed = [g for g in gold if g["label"] == "attributed"]
    if any("cue" in g for g in gold_attributed):
        for pattern in ("said cue", "other cue", "unquoted", "unnamed"):
            mine = [s for s in attributed if pattern in suggestion_patterns(s)]
            recalled = [g for g in gold_attributed if pattern in gold_patterns(g)]
            rows[pattern] = _match(mine, gold_attributed, recalled, attributed)
    if any("loaded" in g for g in gold):
        mine = [s for s in suggestions if s.label == "editorialized" and s.cue.startswith(LOADED_CUES)]
        editorialized = [g for g in gold if g["label"] == "editorialized"]
        rows["loaded"] = _match(mine, editorialized, [g for g in editorialized if g.get("loaded")],
                                [s for s in suggestions if s.label == "editorialized"])
    return rows


def _match(mine, judged_against, recalled, finders=None):
    """Precision of `mine` against `judged_against`; recall of `recalled` by `finders` (`mine`
    unless given: a gold span of a pattern is found by a suggestion whatever cue it names)."""
    hits = [s for s in mine if any(matches(s.start, s.end, g["start"], g["end"]) for g in judged_against)]
    found = [g for g in recalled if any(matches(s.start, s.end, g["start"], g["end"]) for s in finders or mine)]
    return mine, hits, recalled, found


def weasel_row(body, suggestions, gold):
    """Sentence-level (suggested sentences, hits, gold sentences, found), or None without weasel gold."""
    from annotator.assist.text import Document

    marked = [g for g in gold if g["label"] == "weasel"]
    if not marked and not any("cue" in g for g in gold):
        return None
    doc = Document.parse(body)
    theirs = {doc.sentence_at(g["start"]).index for g in marked}
    mine = set()
    for s in suggestions:
        sentence = doc.sentence_at(s.start)
        if s.label != "attributed" and s.cue.startswith(WEASEL_CUES) and sentence is not None:
            mine.add(sentence.index)
    return sorted(mine), sorted(mine & theirs), sorted(theirs), sorted(mine & theirs), doc


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--verbose", action="store_true", help="list false alarms and misses (not for held-out)")
    parser.add_argument("--show", action="store_true", help="print every suggestion (not for held-out)")
    args = parser.parse_args()
    setup()
    from annotator.assist.suggest import suggest

    totals = {}
    for path in sorted(GOLD.glob("*.json")):
        split, body, gold = load(path)
        suggestions = suggest(body)
        talk = split != "heldout"
        if args.show and talk:
            print(f"== {path.stem}")
            for s in suggestions:
                source = f" — {s.source}" if s.source else ""
                print(f"  {s.label:13} {s.confidence:.2f} {s.cue}{source}\n      “{s.exact}”")
        rows = span_rows(suggestions, gold)
        for row, (mine, hits, theirs, found) in rows.items():
            _add(totals, split, row, mine, hits, theirs, found)
            if args.verbose and talk:
                for s in mine:
                    if s not in hits:
                        print(f"  false alarm  {path.stem} {row}: “{s.exact[:100]}” [{s.cue}]")
                for g in theirs:
                    if g not in found:
                        print(f"  missed       {path.stem} {row}: “{g['quote'][:100]}”")
        weasel = weasel_row(body, suggestions, gold)
        if weasel:
            mine, hits, theirs, found, doc = weasel
            _add(totals, split, "weasel", mine, hits, theirs, found)
            if args.verbose and talk:
                for i in sorted(set(mine) - set(hits)):
                    print(f"  false alarm  {path.stem} weasel: “{_sentence(doc, i)}”")
                for i in sorted(set(theirs) - set(found)):
                    print(f"  missed       {path.stem} weasel: “{_sentence(doc, i)}”")
    print(f"{'split':8} {'row':14} {'precision':>16} {'recall':>16}  target")
    for split in SPLITS:
        for row in ROWS:
            if (split, row) in totals:
                print(_line(split, row, *totals[(split, row)]))


def _add(totals, split, row, mine, hits, theirs, found):
    counts = totals.setdefault((split, row), [0, 0, 0, 0])
    for i, items in enumerate((hits, mine, found, theirs)):
        counts[i] += len(items)


def _sentence(doc, index):
    sentence = doc.sentences[index]
    return doc.body[sentence.start : sentence.end][:100]


def _line(split, row, hit, mine, found, theirs):
    precision = hit / mine if mine else 0.0
    recall = found / theirs if theirs else 0.0
    target = ""
    if row in TARGETS and split in ("dev", "heldout"):
        p_min, r_min = TARGETS[row]
        met = (p_min is None or precision >= p_min) and recall >= r_min
        wanted = " ".join(f"{name} >= {value:.2f}" for name, value in (("P", p_min), ("R", r_min)) if value)
        target = f"{wanted} {'met' if met else 'short'}"
    return f"{split:8} {row:14} {precision:5.2f} ({hit:3}/{mine:3}) {recall:5.2f} ({found:3}/{theirs:3})  {target}"


if __name__ == "__main__":
    main()
