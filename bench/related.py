"""Related passages over a synthetic corpus: import speed, then query latency against the budget.

    .venv/bin/python bench/related.py [--articles 10000] [--queries 200] [--seed 7] [--budget-ms 50]

Runs in a database of its own, created and dropped like a test database: a temporary
SQLite file by default, or a fresh database on the PostgreSQL server of DATABASE_URL.
Articles are created directly (bypassing the text importer) and indexed in bulk.
"""

import argparse
import bisect
import contextlib
import itertools
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUDGET_P95_MS = 50.0
WORDS_PER_ARTICLE = 400
BATCH = 500

FUNCTION_WORDS = (
    "the of and to a in that is was for on with as by at from it his her their this which "
    "but not be are have has had were been an or who will would its they after over into "
    "than more about also when up out new some all two one can may said told"
).split()
SYLLABLES = "ka ri to men sa lo vi der an tel po nu ras ki mo ze tar lin fe go hu bra shi vol den".split()


@contextlib.contextmanager
def temporary_database(label):
    """Set up Django on a throwaway database and yield; drop it afterwards.

    With DATABASE_URL unset, everything lives in a temporary directory. With it set, the
    server gets a database named after `label` and this process, so runs and test
    suites going on at the same time never share one.
    """
    sys.path.insert(0, str(ROOT))
    scratch = Path(tempfile.mkdtemp(prefix=f"{label}-"))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{scratch / 'main.sqlite3'}")
    os.environ.setdefault("SECRET_KEY", f"{label}-only-not-a-secret-0123456789abcdef0123456789")
    os.environ.setdefault("HTTPS", "0")
    os.environ.setdefault("PLAIN_STATIC", "1")
    os.environ["DJANGO_SETTINGS_MODULE"] = "annotator.settings"
    import django

    django.setup()
    from django.db import connection

    if connection.vendor == "sqlite":
        test_name = str(scratch / "bench.sqlite3")
    else:
        test_name = f"test_{label}_{os.getpid()}".replace("-", "_")
    connection.settings_dict["TEST"] = {**connection.settings_dict.get("TEST", {}), "NAME": test_name}
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        yield connection
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        shutil.rmtree(scratch, ignore_errors=True)


class Corpus:
    """Deterministic news-like text: function words, Zipf-distributed words, names and numbers.

    The words are English ones from WordNet's index when it is installed, so the search's
    synonyms and concepts cost what they cost on real text; otherwise made-up words.
    """

    def __init__(self, seed, vocabulary=30_000, names=3_000):
        self.random = random.Random(seed)
        self.words = self._english_words(vocabulary) or self._pseudo_words(vocabulary, 2, 4)
        self.names = [w.capitalize() for w in self._pseudo_words(names, 2, 3)]
        self.word_weights = self._zipf(vocabulary)
        self.name_weights = self._zipf(names)
        self.number_weights = self._zipf(5_000)

    def _english_words(self, count):
        """`count` one-word lemmas of WordNet in a seeded random order (Zipf ranks), or []."""
        from annotator.corpus.lexicon import WORDNET_DIR

        lemmas = set()
        for pos in ("noun", "verb", "adj", "adv"):
            index = WORDNET_DIR / f"index.{pos}"
            if not index.exists():
                return []
            for line in index.read_text(encoding="latin-1").splitlines():
                word = line.split(" ", 1)[0]
                if not line.startswith(" ") and word.isalpha() and 3 <= len(word) <= 12:
                    lemmas.add(word)
        return self.random.sample(sorted(lemmas), min(count, len(lemmas)))

    def _pseudo_words(self, count, shortest, longest):
        seen = set()
        while len(seen) < count:
            seen.add("".join(self.random.choices(SYLLABLES, k=self.random.randint(shortest, longest))))
        return sorted(seen)

    @staticmethod
    def _zipf(count, exponent=1.07):
        return list(itertools.accumulate(1.0 / (rank**exponent) for rank in range(1, count + 1)))

    def _pick(self, items, cumulative):
        return items[bisect.bisect(cumulative, self.random.random() * cumulative[-1])]

    def word(self):
        roll = self.random.random()
        if roll < 0.42:
            return self.random.choice(FUNCTION_WORDS)
        if roll < 0.52:
            return self._pick(self.names, self.name_weights)
        if roll < 0.56:
            return str(bisect.bisect(self.number_weights, self.random.random() * self.number_weights[-1]) + 1)
        return self._pick(self.words, self.word_weights)

    def sentence(self):
        words = [self.word() for _ in range(self.random.randint(8, 30))]
        return words[0].capitalize() + " " + " ".join(words[1:]) + "."

    def article(self):
        paragraphs, count = [], 0
        while count < WORDS_PER_ARTICLE:
            sentences = [self.sentence() for _ in range(self.random.randint(2, 5))]
            count += sum(len(s.split()) for s in sentences)
            paragraphs.append(" ".join(sentences))
        return "\n".join(paragraphs)


def import_corpus(corpus, count):
    """Create `count` articles and their passages; return (seconds, passages)."""
    from annotator.corpus.models import Article
    from annotator.corpus.search import index_articles

    started = time.perf_counter()
    passages = 0
    for first in range(0, count, BATCH):
        batch = []
        for number in range(first, min(first + BATCH, count)):
            body = corpus.article()
            batch.append(Article(slug=f"synthetic-{number}", title=f"Synthetic {number}", body=body, raw=body,
                                 source_file=f"synthetic-{number}.txt", raw_sha256=""))
        Article.objects.bulk_create(batch)
        passages += index_articles(list(Article.objects.filter(slug__in=[a.slug for a in batch])))
    return time.perf_counter() - started, passages


def random_spans(rng, articles, count):
    """(article, start, end): a claim-sized run of whole words somewhere in a body."""
    spans = []
    for article in rng.sample(articles, count) if count <= len(articles) else rng.choices(articles, k=count):
        body = article.body
        start = rng.randrange(0, max(1, len(body) - 300))
        start = body.find(" ", start) + 1
        end = body.find(" ", start + rng.randint(40, 250))
        spans.append((article, start, end if end > start else len(body)))
    return spans


def time_queries(spans):
    from annotator.corpus.search import related_passages

    timings = []
    for article, start, end in spans:
        began = time.perf_counter()
        related_passages(article, start, end)
        timings.append((time.perf_counter() - began) * 1000)
    return timings


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--budget-ms", type=float, default=BUDGET_P95_MS,
                        help="p95 budget: 50 ms at 10,000 articles (DESIGN.md), 20 ms at the district's 100,000")
    args = parser.parse_args()

    with temporary_database("related-bench") as connection:
        from annotator.corpus.models import Article

        seconds, passages = import_corpus(Corpus(args.seed), args.articles)
        print(f"database: {connection.vendor}, {args.articles} articles, {passages} passages")
        print(f"import: {args.articles / seconds:.0f} articles/s, {passages / seconds:.0f} passages/s "
              f"({seconds:.1f} s)")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE corpus_passage")
        rng = random.Random(args.seed)
        articles = list(Article.objects.only("id", "body"))
        time_queries(random_spans(rng, articles, 10))  # warm the caches; not counted
        timings = time_queries(random_spans(rng, articles, args.queries))
        p50, p95 = percentile(timings, 0.50), percentile(timings, 0.95)
        verdict = "PASS" if p95 <= args.budget_ms else "FAIL"
        print(f"related p50: {p50:.1f} ms")
        print(f"related p95: {p95:.1f} ms (budget {args.budget_ms:.0f} ms) {verdict}")
        print(f"related mean: {statistics.fmean(timings):.1f} ms over {len(timings)} queries")
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
