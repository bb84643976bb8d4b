"""Suggestions for a 10,000-word article against the 200 ms budget.

    .venv/bin/python bench/assist.py [--words 10000] [--repeat 5]

The article is made of the seed articles' paragraphs (through the real cleaner), repeated
and shuffled with a fixed seed until it reaches the word count. Three figures:
- cold: the first call in a fresh process, which also reads the lexicon files; the median
  over --repeat fresh processes, because a single run on a busy machine says little;
- uncached: the rules alone, the median of repeated calls with the cache cleared;
- cached: the services' per-text cache, as the reader and the API use it.
The budget line judges the cold figure, the slowest.
"""

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUDGET_MS = 200.0


def setup():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("SECRET_KEY", "bench-assist-only-not-a-secret-0123456789abcdef0123456789")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "annotator.settings")
    os.environ.setdefault("HTTPS", "0")
    import django

    django.setup()


def article(words, seed=7):
    from annotator.corpus.importer import analyse

    paragraphs = []
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        body = analyse(path.name, path.read_bytes()).cleaned.body
        paragraphs += [p for p in body.split("\n") if len(p.split()) > 5]
    rng = random.Random(seed)
    chosen, count = [], 0
    while count < words:
        paragraph = rng.choice(paragraphs)
        chosen.append(paragraph)
        count += len(paragraph.split())
    return "\n".join(chosen)


def timed(call):
    started = time.perf_counter()
    result = call()
    return (time.perf_counter() - started) * 1000, result


def cold_call(words):
    """Print the time of the first suggest() call in this process (run as a child process)."""
    setup()
    from annotator.assist.suggest import suggest

    body = article(words)
    print(timed(lambda: suggest(body))[0])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--words", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--cold-call", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.cold_call:
        return cold_call(args.words)
    colds = [
        float(subprocess.run([sys.executable, __file__, "--cold-call", "--words", str(args.words)],
                             check=True, capture_output=True, text=True).stdout)
        for _ in range(args.repeat)
    ]
    cold = statistics.median(colds)
    setup()
    from annotator.assist import services

    body = article(args.words)
    found = services.article_suggestions(body)
    uncached = []
    for _ in range(args.repeat):
        services.clear_cache()
        uncached.append(timed(lambda: services.article_suggestions(body))[0])
    cached = [timed(lambda: services.article_suggestions(body))[0] for _ in range(args.repeat)]
    print(f"article: {len(body.split()):,} words, {len(body):,} code points, {len(found)} suggestions")
    print(f"cold (first call in a fresh process, lexicons read): median {cold:.0f} ms of {args.repeat} "
          f"(min {min(colds):.0f}, max {max(colds):.0f})")
    print(f"uncached: median {statistics.median(uncached):.0f} ms (min {min(uncached):.0f}, max {max(uncached):.0f}); "
          f"cached: median {statistics.median(cached):.3f} ms")
    verdict = "PASS" if cold <= BUDGET_MS else "SHORT"
    print(f"assist {args.words // 1000}k words: {cold:.0f} ms (budget {BUDGET_MS:.0f} ms) {verdict}")
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
