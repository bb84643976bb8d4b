"""Related-passage search for lateral reading: which sentences of *other* articles speak to a claim.

One interface over two full-text engines, chosen by `connection.vendor`: SQLite FTS5 and
PostgreSQL full-text search (see migration 0002_passages). Both stem English words.

Ranking happens in two steps. The engine picks candidates: passages sharing any of the
claim's informative words (OR semantics, so partial overlap still counts), its rarer words
first and only as many as keep the passages it ranks to ROWS_RANKED, whatever the corpus size. Python then
scores every candidate the same way on both engines, with BM25 over the matched words,
where a word's weight is its rarity (inverse document frequency over passages) times a bonus
for names and numbers. Stopwords, reporting verbs and hedges ("said", "claimed",
"reportedly") are dropped from claims first, so shared attribution cannot make two
passages look related.

A claim's query is more than its own words. Its setting adds, at a lower weight, the names
and numbers of the sentence it sits in and of that sentence's context (who is speaking,
the sentence before when it says "he" or "they"), so a claim quoting Putin through PressTV
finds other articles quoting PressTV or Putin. Each plain word brings its WordNet synonyms
and derivations (lexicon.py), weighted lower again, so "abduction" meets "kidnapping".
Passages are matched on their text and, weighted lower, on their own context (see
passages.passage_contexts), so a passage whose subject is "they" is found by the names of
the sentence before it.

The candidates are then re-ranked, still the same on both engines and cheap for the few
dozen candidates: a query word that a passage says in other words (a shared WordNet
concept: "avert" for "avoid", lexicon.concepts) counts towards how much of the claim the
passage covers; a passage whose speaker is the claim's (the last word of the name, so
"Russian President Vladimir Putin" meets "Putin", or of another name a higher app knows the
speaker by: register_speaker_aliases) is raised; and pseudo-relevance feedback
raises passages that use the words the best matches use around the claim's words, which is
what the corpus itself, as it stands at query time, says goes with them.

Results carry the passage's own words that matched (`terms`), so a page can highlight
them; this module stays free of HTML.
"""

import json
import math
import re
import time
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction

from annotator.errors import ServiceError

from .folding import fold
from .lexicon import concepts, related_words
from .models import Passage
from .passages import PRONOUN_SPEAKER, passage_contexts, speaker_of, split_passages

MAX_LIMIT = 50
# Passages the engine hands to the Python scorer. On the dev claims of bench/gold_related.json
# 40 find what 60 did (and one passage more); the re-ranking's cost is per candidate.
CANDIDATES = 40
# How many more the engine ranks, to stand in for the claim's own article's passages and
# archived ones, which are only left out once the best are chosen (see _Engine).
SPARE = 30
# Words considered per query; a claim the size of a paragraph still gives a short query.
MAX_TERMS = 32
# At most this many words go to the engine as the OR query.
MAX_QUERY_TERMS = 24
# Document frequencies are counted up to this cap. A word in more passages than that is
# left out of the query when the claim has rarer words: it barely changes the ranking,
# and on a large corpus it would make the engine rank a large share of all passages.
DF_CAP = 1000
# Below this many passages PostgreSQL counts every word's passages rather than estimate.
COUNT_ALL_BELOW = 10 * DF_CAP
# The engine ranks every passage holding any query word, so the words go in weightiest first
# only while the passages they are in add up to at most this many: a word that would pass
# it is one of the claim's commoner ones, worth least to the ranking, and on a large corpus
# it is what would make a query slow.
ROWS_RANKED = 1000
# A claim made only of words over the cap ("the new war") asks for passages holding all of
# its weightiest few (weight × IDF, so the rarest): any one of them alone would match a
# large share of the corpus, and even all of them may: PostgreSQL then ranks only the
# first ROWS_RANKED passages it finds (SQLite's full-text ranking reads them all anyway,
# quickly).
COMMON_FALLBACK_TERMS = 3
# On bench/gold_related.json, heavier names help claims about specific people and places
# and hurt a little where every article names Putin, Israel and Iran; IDF already damps
# those, so 2 is kept (see bench/eval_related.py).
NAME_WEIGHT = 2.0
NUMBER_WEIGHT = 2.0
# What the setting and the lexicon add to a claim's own words, what a word found only in a
# passage's context counts for against one in its text, and how strongly a passage holding
# only part of the query is held back. Chosen on the dev claims of bench/gold_related.json
# (the held-out ones are only reported): the differences between nearby values are a claim
# or two, so the smaller, cheaper settings were kept.
SETTING_WEIGHT = 0.3
SETTING_TERMS = 6
SYNONYM_WEIGHT = 0.2
SYNONYM_SOURCES = 8
SYNONYMS_PER_WORD = 1
CONTEXT_WEIGHT = 0.15
COVERAGE = 0.5
# The re-ranking of the candidates, chosen on the dev claims of bench/gold_related.json like
# the weights above (held-out splits only reported). A query word the passage says in other
# words (a shared WordNet concept) counts towards coverage but adds nothing to BM25: counted
# in BM25 as well, the looser senses pulled unrelated passages up. A passage whose speaker
# is the claim's gets SPEAKER_BONUS more. Feedback: the FEEDBACK_WORDS words that the best
# FEEDBACK_PASSAGES candidates share with other candidates and the query lacks add up to
# FEEDBACK_WEIGHT of the best score to each candidate holding them.
SPEAKER_BONUS = 1.0
FEEDBACK_WEIGHT = 0.2
FEEDBACK_PASSAGES = 3
FEEDBACK_WORDS = 10
# Feedback words are compared by their first letters, a stemmer cheap enough for every candidate.
FEEDBACK_STEM = 6
BM25_K1 = 1.2
# Less length normalisation than BM25's usual 0.75: passages are all sentence-sized, and a
# full penalty lets a short headline outrank the sentence that tells the story.
BM25_B = 0.5
# Corpus size and mean passage length feed IDF and length normalisation; they move slowly,
# so they are counted at most this often per process (and again after a local reindex).
STATS_TTL = 300.0
# Words whose document frequency a process remembers at once (a few MB at most).
MAX_REMEMBERED_WORDS = 50_000

# Markers the engines put around matched words; control characters never occur in bodies
# that matter, and a passage containing them simply reports no terms.
MARK_OPEN, MARK_CLOSE = "\x01", "\x02"
MARKED = re.compile(re.escape(MARK_OPEN) + "(.*?)" + re.escape(MARK_CLOSE), re.S)

# Words as both engines cut them: runs of letters and digits (apostrophes and hyphens split).
# A number with separators ("1,200", "3.5") stays whole, and goes to the engine as a phrase
# of its parts, so "1,200" does not match the "1" of "1,050".
WORD = re.compile(r"\d+(?:[.,]\d+)+|[^\W_]+")
STOPWORDS = frozenset(
    """
    a about above after again against all almost also although am among an and any are
    as at be because been before being below between both but by can cannot could did do
    does doing done down during each either else ever every few for from further had has
    have having he her here hers herself him himself his how however i if in into is it its
    itself just least less let like many may me might more most much must my myself neither
    no nor not now of off often on once one only or other others otherwise our ours
    ourselves out over own per perhaps quite rather same several shall she should since so
    some such than that the their theirs them themselves then there therefore these they
    this those though through thus to too toward towards under until up upon us very via
    was we were what whatever when whenever where whereas whether which while who whoever
    whom whose why will with within without would yet you your yours yourself yourselves
    s t d ll m re ve don doesn didn isn wasn aren weren won wouldn couldn shouldn hasn haven
    """.split()
)
# Attribution and hedging: shared by any two news sentences, whatever they are about.
REPORTING_WORDS = frozenset(
    """
    said say says saying told tell tells telling claim claims claimed claiming according
    report reports reported reporting reportedly stated stating statement
    add added adds adding note noted notes noting explain explained explains described
    describe describes allege alleged alleges allegedly apparently believed believe believes
    suggest suggested suggests argue argued argues insist insisted insists announce announced
    announces declare declared declares continue continued continues write wrote writes
    written assert asserted asserts acknowledge acknowledged admitted admit mention mentioned
    quoted quote quoting cite cited cites citing likely possibly seemingly seem seems seemed
    appear appears appeared reckon remarked remarks comment commented comments purportedly
    supposedly reveal revealed reveals revealing
    """.split()
)
CLAIM_NOISE = STOPWORDS | REPORTING_WORDS


@dataclass(frozen=True)
class Term:
    word: str  # lower case, as the engines compare it before stemming
    weight: float


def related_passages(article, start, end, limit=10):
    """Passages of other, non-archived articles that bear on `article.body[start:end]`, best first.

    Each result is {"article": slug, "title", "start", "end", "text", "score", "terms"}.
    Raises ServiceError (400, with the field) for a span outside the body, reversed or empty.
    """
    _check_span(article, start, end)
    _check_limit(limit)
    terms = claim_terms(fold(article.body[start:end]), drop=CLAIM_NOISE)
    if not terms:
        # Who is speaking around a claim that says nothing of its own is no reason to show passages.
        return []
    around = list(
        article.passages.filter(start__lt=end, end__gt=start).order_by("start").values_list("start", "text", "context")
    )
    terms = terms + setting_terms(around, start, end, terms)
    speaker = claim_speaker(around)
    return _search(terms + synonym_terms(terms), exclude_article_id=article.pk, limit=limit, speaker=speaker)


def search_passages(query, exclude_article=None, limit=20):
    """Passages for words a reader typed, best first; same result shape as related_passages.

    Operators and quotes in `query` are never passed to the engine: only its words are,
    each quoted, so punctuation alone finds nothing; nor do stopwords alone, which
    PostgreSQL does not index. Raises ServiceError for a blank query.
    """
    _check_limit(limit)
    if not (query or "").strip():
        raise ServiceError("Type some words to search for.", field="q")
    terms = claim_terms(fold(query), drop=STOPWORDS)
    exclude_id = exclude_article.pk if exclude_article is not None else None
    return _search(terms + synonym_terms(terms), exclude_article_id=exclude_id, limit=limit)


def reindex_article(article):
    """Make the article's passages match its body; return whether anything was rewritten.

    The wanted passages are compared with the indexed ones rather than tracking which
    fields changed, so a save that leaves the body alone (archiving, a title fix) writes
    nothing, and a change to the splitter is picked up on the next save.
    """
    wanted = _with_contexts(split_passages(article.body))
    indexed = list(article.passages.order_by("start").values_list("start", "end", "text", "context"))
    if indexed == wanted:
        return False
    with transaction.atomic():
        article.passages.all().delete()
        Passage.objects.bulk_create(_passages_of(article, wanted))
    _CACHE.clear()
    return True


def index_articles(articles):
    """Index many articles at once, for bulk loads that bypass save(); return the passage count."""
    passages = [
        p for article in articles for p in _passages_of(article, _with_contexts(split_passages(article.body)))
    ]
    with transaction.atomic():
        Passage.objects.filter(article__in=[a.pk for a in articles]).delete()
        Passage.objects.bulk_create(passages, batch_size=2000)
    _CACHE.clear()
    return len(passages)


def claim_terms(text, drop):
    """The distinct words of `text` not in `drop`, names and numbers weighted up, weightiest first."""
    found = {}
    counts = {}
    shouting = _mostly_upper_case(text)
    for match in WORD.finditer(text):
        token = match.group()
        word = token.lower()
        if word in drop or (len(word) == 1 and not word.isdigit()):
            continue
        weight = _weight(token, _starts_sentence(text, match.start()) or shouting)
        found[word] = max(weight, found.get(word, 0.0))
        counts[word] = counts.get(word, 0) + 1
    ranked = sorted(found, key=lambda w: (-found[w], -counts[w], -len(w)))
    return [Term(word, found[word]) for word in ranked[:MAX_TERMS]]


def setting_terms(around, start, end, have):
    """Names and numbers around the claim, not in `have`: its sentences' other words and their context.

    `around` holds (start, text, context) of the passages the claim [start, end) overlaps.
    Only names and numbers are taken: they say who speaks and what is counted, where the
    plain words of a long sentence would pull the search away from the claim.
    """
    known = {t.word for t in have}
    text = " ".join(
        f"{body[: max(0, start - at)]} {body[max(0, end - at):]} {context}" for at, body, context in around
    )
    found = [t for t in claim_terms(fold(text), drop=CLAIM_NOISE) if t.weight > 1.0 and t.word not in known]
    return [Term(t.word, t.weight * SETTING_WEIGHT) for t in found[:SETTING_TERMS]]


def claim_speaker(around):
    """The names of whoever speaks in the passages holding the claim (`around`, as for
    setting_terms), and of their other names.

    Other names come from the providers registered with register_speaker_aliases, so a
    claim of "the presidential press service" also raises passages the Kremlin speaks in.
    """
    for _, text, context in around:
        who = _speaker(text, context)
        if who:
            also = [name for provider in SPEAKER_ALIAS_PROVIDERS for name in provider(who)]
            return frozenset().union(*(_name_of(name) for name in [who, *also]))
    return frozenset()


def register_speaker_aliases(provider):
    """Let a higher app say who else a speaker is: provider(speaker) → the speaker's other names.

    corpus sits below the apps that know sources, so they register here (annotations does,
    from its Source aliases, in its AppConfig.ready) and corpus never imports them.
    """
    if provider not in SPEAKER_ALIAS_PROVIDERS:
        SPEAKER_ALIAS_PROVIDERS.append(provider)


SPEAKER_ALIAS_PROVIDERS = []


def speaker_names(text, context):
    """The lower-cased last capitalised word of a passage's speaker, from its text or else its context."""
    return _name_of(_speaker(text, context))


def _speaker(text, context):
    for where in (text, context):
        who = speaker_of(where)
        if who and not PRONOUN_SPEAKER.match(who):
            return who
    return ""


def _name_of(who):
    # The last word of a name is the one that stays when it is shortened: "Russian
    # President Vladimir Putin" is "Putin" in the next paragraph, "the Kremlin" "Kremlin".
    words = [w for w in WORD.findall(fold(who)) if w[0].isupper()]
    return frozenset(w.lower() for w in words[-1:])


def synonym_terms(terms):
    """WordNet relatives of the claim's plain words (names and numbers have none worth having)."""
    known = {t.word for t in terms}
    added = []
    for term in [t for t in terms if t.weight == 1.0][:SYNONYM_SOURCES]:
        for word in related_words(term.word)[:SYNONYMS_PER_WORD]:
            if word not in known and word not in CLAIM_NOISE:
                known.add(word)
                added.append(Term(word, SYNONYM_WEIGHT))
    return added


def _weight(token, capital_is_uninformative):
    if any(ch.isdigit() for ch in token):
        return NUMBER_WEIGHT
    # A capital in mid-sentence marks a name (Raisi, Kremlin, IRGC); at a sentence start
    # or in an all-caps headline it says nothing.
    if token[0].isupper() and not capital_is_uninformative:
        return NAME_WEIGHT
    return 1.0


def _starts_sentence(text, at):
    before = text[max(0, at - 12) : at].rstrip().rstrip("\"'\u201c\u2018([\u00ab").rstrip()
    return not before or before[-1] in ".!?:\u2026\n"


def _mostly_upper_case(text):
    words = [w for w in WORD.findall(text) if not w.isdigit()]
    return len(words) >= 3 and sum(w.isupper() for w in words) > 0.6 * len(words)


def _check_span(article, start, end):
    size = len(article.body)
    for field, value in (("start", start), ("end", end)):
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= size:
            raise ServiceError(f"{field} must be an integer from 0 to {size}, the body's length.", field=field)
    if start >= end:
        raise ServiceError("end must be greater than start: the span is empty or reversed.", field="end")


def _check_limit(limit):
    if not isinstance(limit, int) or isinstance(limit, bool) or not 1 <= limit <= MAX_LIMIT:
        raise ServiceError(f"limit must be an integer from 1 to {MAX_LIMIT}.", field="limit")


def _with_contexts(spans):
    # The context is only ever searched, never shown, so it is stored in the folded form.
    return [(start, end, text, fold(context)) for (start, end, text), context in zip(spans, passage_contexts(spans))]


def _passages_of(article, spans):
    return [
        Passage(article=article, start=start, end=end, text=text, folded=fold(text), context=context)
        for start, end, text, context in spans
    ]


# --- ranking, the same on both engines ---------------------------------------------------


def _search(terms, exclude_article_id, limit, speaker=frozenset()):
    engine = _engine()
    if not terms:
        return []
    passages, mean_length = _corpus_stats()
    frequencies = _document_frequencies(engine, [t.word for t in terms], passages)
    query_terms, all_required = _query_terms(terms, frequencies, passages)
    if not query_terms:
        return []
    candidates = engine.candidates(query_terms, exclude_article_id, CANDIDATES, all_required)
    query_weight = sum(t.weight * _idf(frequencies[t.word], passages) for t in query_terms)
    source_terms = {}
    sayers = _Sayers(query_terms)
    results = []
    words = []
    for row in candidates:
        matched = _marked(row["marked"], row["text"])
        counts = {}
        for surfaces, share in ((matched, 1.0), (_marked(row["marked_context"], row["context"]), CONTEXT_WEIGHT)):
            for surface in surfaces:
                if surface not in source_terms:
                    source_terms[surface] = _source_term(surface.lower(), query_terms)
                counts[source_terms[surface]] = counts.get(source_terms[surface], 0) + share
        words.append(_plain_words(row["text"]))
        said_otherwise = sayers.said_by(words[-1]) - counts.keys()
        score = _bm25(counts, frequencies, passages, mean_length, len(row["text"]))
        score *= _coverage([*counts, *said_otherwise], query_weight, frequencies, passages) ** COVERAGE
        if speaker and _same_speaker(speaker, row):
            score *= 1 + SPEAKER_BONUS
        results.append(_result(row, score, matched))
    _add_feedback(results, words, query_terms)
    results.sort(key=lambda r: (-r["score"], r["article"], r["start"]))
    return _without_repeats(results)[:limit]


def _plain_words(text):
    """The distinct lower-case words of a passage that could carry meaning."""
    return set(WORD.findall(fold(text).lower())) - CLAIM_NOISE


class _Sayers:
    """Which of a query's terms a passage says in other words: one of its words shares a
    WordNet concept with the term ("truce" says "ceasefire", "prevent" says "avoid"; see
    lexicon.concepts).

    Only the claim's own words count: the setting's and the synonyms' (weighted under 1) are
    a step away from the claim already. What a word says is worked out once per query, as
    the candidates share most of their words.
    """

    def __init__(self, terms):
        self.by_concept = {}
        for term in terms:
            if term.weight >= 1.0:
                for concept in concepts(term.word):
                    self.by_concept.setdefault(concept, set()).add(term)
        # Only words that say something are kept, so a passage's words are matched against
        # them with one set intersection; most words say none of the query's terms.
        self.known_concepts = frozenset(self.by_concept)
        self.of_word = {}
        self.seen = set()

    def said_by(self, words):
        if not self.by_concept:
            return set()
        for word in words - self.seen:
            shared = concepts(word) & self.known_concepts
            if shared:
                self.of_word[word] = set().union(*(self.by_concept[concept] for concept in shared))
        self.seen |= words
        saying = words & self.of_word.keys() if self.of_word else ()
        return set().union(*(self.of_word[word] for word in saying))


def _same_speaker(speaker, row):
    """Whether the candidate's speaker has one of the claim's `speaker` names.

    The names are looked for in the passage first, which is cheap and rules out most
    candidates before any attribution is parsed.
    """
    text = f"{row['text']} {row['context']}".lower()
    return any(name in text for name in speaker) and bool(speaker & speaker_names(row["text"], row["context"]))


def _add_feedback(results, words, query_terms):
    """Raise candidates that share words with the best few, words the query itself lacks.

    Pseudo-relevance feedback learned from the corpus at query time: the words that occur
    alongside the claim's words in the passages that match it best (and in other candidates
    too, so one passage's quirks do not count) are what the corpus says around the claim,
    so a passage that uses them is likely about the same thing in other words. `words`
    holds each result's _plain_words.
    """
    if not results:
        return
    known = {t.word[:FEEDBACK_STEM] for t in query_terms}
    bags = [{w[:FEEDBACK_STEM] for w in found if len(w) > 2 and not w.isdigit()} - known for found in words]
    spread = {}
    for bag in bags:
        for word in bag:
            spread[word] = spread.get(word, 0) + 1
    order = sorted(range(len(results)), key=lambda i: -results[i]["score"])
    best = results[order[0]]["score"]
    if not best:
        return
    weights = {}
    for i in order[:FEEDBACK_PASSAGES]:
        for word in bags[i]:
            if spread[word] > 1:
                weights[word] = weights.get(word, 0.0) + results[i]["score"] / best * math.log(len(results) / spread[word])
    chosen = sorted(weights.items(), key=lambda item: (-item[1], item[0]))[:FEEDBACK_WORDS]
    total = sum(weight for _, weight in chosen)
    if not total:
        return
    for result, bag in zip(results, bags):
        held = sum(weight for word, weight in chosen if word in bag)
        result["score"] = round(result["score"] + FEEDBACK_WEIGHT * best * held / total, 4)


def _marked(marked, text):
    """The words an engine marked in `marked` (none when the text itself holds a marker)."""
    return MARKED.findall(marked) if marked and MARK_OPEN not in text else []


def _without_repeats(results):
    """Drop a passage that repeats an earlier one of the same article (a lede restated at the end)."""
    seen = set()
    kept = []
    for result in results:
        key = (result["article"], result["text"])
        if key not in seen:
            seen.add(key)
            kept.append(result)
    return kept


def _query_terms(terms, frequencies, passages):
    """(words to send to the engine, whether a passage must hold all of them).

    Normally any of the words that can move the score most (weight × IDF), as many as fit
    in ROWS_RANKED; words over DF_CAP only make it in, all required, when the claim has
    nothing rarer.
    """
    present = [t for t in terms if frequencies[t.word]]
    rare = [t for t in present if frequencies[t.word] < DF_CAP]
    if not rare:
        present.sort(key=lambda t: -t.weight * _idf(frequencies[t.word], passages))
        return present[:COMMON_FALLBACK_TERMS], True
    rare.sort(key=lambda t: -t.weight * _idf(frequencies[t.word], passages))
    chosen, rows = [], 0
    for term in rare[:MAX_QUERY_TERMS]:
        if not chosen or rows + frequencies[term.word] <= ROWS_RANKED:
            chosen.append(term)
            rows += frequencies[term.word]
    return chosen, False


def _bm25(counts, frequencies, passages, mean_length, length):
    """BM25 over {query term: occurrences in the passage}, each term scaled by its weight."""
    norm = BM25_K1 * (1 - BM25_B + BM25_B * length / mean_length)
    score = 0.0
    for term, tf in counts.items():
        score += term.weight * _idf(frequencies[term.word], passages) * tf * (BM25_K1 + 1) / (tf + norm)
    return score


def _coverage(held_terms, total, frequencies, passages):
    """The share of the query's weight (`total`, the sum of weight × IDF) that the passage holds at all."""
    held = sum(t.weight * _idf(frequencies[t.word], passages) for t in held_terms)
    return held / total if total else 0.0


def _source_term(surface, terms):
    """The query term a word marked by the engine matched.

    The engine knows a word matched but not which query word it matched; words with the
    same stem share a prefix, so the query word with the longest shared prefix is taken.
    """
    return max(terms, key=lambda t: (_common_prefix(surface, t.word), -abs(len(surface) - len(t.word))))


def _common_prefix(a, b):
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


def _idf(frequency, passages):
    passages = max(passages, frequency)
    return math.log(1 + (passages - frequency + 0.5) / (frequency + 0.5))


def _result(row, score, matched):
    seen = []
    for word in matched:
        if word not in seen:
            seen.append(word)
    return {
        "article": row["slug"],
        "title": row["title"],
        "start": row["start"],
        "end": row["end"],
        "text": row["text"],
        "score": round(score, 4),
        "terms": seen,
    }


_CACHE = {}


def _cached(name, compute):
    """compute(), remembered per database for STATS_TTL seconds (forgotten on a local reindex)."""
    key = (name, connection.alias, connection.settings_dict.get("NAME"))
    hit = _CACHE.get(key)
    if hit and hit[0] > time.monotonic():
        return hit[1]
    value = compute()
    _CACHE[key] = (time.monotonic() + STATS_TTL, value)
    return value


def _document_frequencies(engine, words, passages):
    """{word: passages containing it}, remembered like the corpus stats, which they go with.

    Claims share most of their words with earlier claims, so counting only the words not
    seen lately saves most of a query's counting.
    """
    known = _cached("document_frequencies", dict)
    missing = [word for word in dict.fromkeys(words) if word not in known]
    if not missing:
        return {word: known[word] for word in words}
    if len(known) > MAX_REMEMBERED_WORDS:
        known.clear()
    counted = engine.document_frequencies(missing, passages)
    # A word in no passage yet is not remembered: the next article imported may bring it.
    known.update((word, count) for word, count in counted.items() if count)
    return {word: known.get(word, counted.get(word, 0)) for word in words}


def _corpus_stats():
    """(number of passages, mean passage length in code points)."""

    def count():
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*), AVG(LENGTH(text)) FROM corpus_passage")
            passages, mean = cursor.fetchone()
        return passages or 0, float(mean or 1.0)

    return _cached("corpus_stats", count)


# --- the two engines ---------------------------------------------------------------------


def _engine():
    engine = ENGINES.get(connection.vendor)
    if engine is None:
        raise ImproperlyConfigured(f"Passage search supports SQLite and PostgreSQL, not {connection.vendor}.")
    return engine


def _fetch_dicts(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        columns = [c[0] for c in cursor.description]
        return [dict(zip(columns, row)) for row in cursor.fetchall()]


class _Engine:
    """Candidates: rank the index alone, then read and mark the chosen few (`chosen`).

    Ranking is the cost that grows with the corpus, so it reads nothing but the index:
    joining every matching passage to its article (to leave out the claim's own article and
    archived ones) would double it. Those are left out of the few instead, which are ranked
    with SPARE more than wanted; when too many of them were left out, the ranking is done
    again with the join.
    """

    def candidates(self, terms, exclude_article_id, limit, all_required):
        query = self.query(terms, all_required)
        rows, ranked = self.chosen(query, limit + SPARE, False, exclude_article_id, all_required, limit)
        if len(rows) < limit and ranked == limit + SPARE:
            rows, _ = self.chosen(query, limit, True, exclude_article_id, all_required, limit)
        return rows

    @staticmethod
    def _filters(exclude_article_id):
        """(SQL leaving out archived articles and the claim's own, its parameters) over p and a."""
        if exclude_article_id is None:
            return "AND NOT a.archived", []
        return "AND NOT a.archived AND p.article_id <> %s", [exclude_article_id]


class SQLiteEngine(_Engine):
    """FTS5 with the porter tokenizer; bm25() orders the candidates."""

    @staticmethod
    def _phrase(word):
        # Words hold letters, digits and number separators only (see WORD), so the quotes
        # cannot be closed early; a quoted word is never read as an operator (AND, OR,
        # NOT, NEAR, *) or a column filter.
        return f'"{word}"'

    def document_frequencies(self, words, passages):
        """{word: passages containing it}, counted up to DF_CAP (an FTS5 count stops early)."""
        counts = ", ".join(
            "(SELECT COUNT(*) FROM (SELECT 1 FROM corpus_passage_fts WHERE corpus_passage_fts MATCH %s LIMIT %s))"
            for _ in words
        )
        params = [p for word in words for p in (self._phrase(word), DF_CAP)]
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {counts}", params)
            return dict(zip(words, cursor.fetchone()))

    def query(self, terms, all_required):
        if all_required:
            return " AND ".join(self._phrase(t.word) for t in terms)
        # bm25() adds up one contribution per phrase, so repeating a word weights it.
        return " OR ".join(self._phrase(t.word) for t in terms for _ in range(max(1, round(t.weight))))

    def chosen(self, match, ranking, filtered, exclude_article_id, all_required, limit):
        """(the first `limit` of the best `ranking` passages that are kept, in rank order; how many were ranked)."""
        ids = self._ranked(match, ranking, filtered, exclude_article_id)
        rows = self._described(match, ids, exclude_article_id, limit)
        order = {id_: rank for rank, id_ in enumerate(ids)}
        return sorted(rows, key=lambda row: order[row["id"]]), len(ids)

    def _ranked(self, match, limit, filtered, exclude_article_id):
        if not filtered:
            rows = _fetch_dicts(
                """SELECT rowid AS id FROM corpus_passage_fts WHERE corpus_passage_fts MATCH %s
                   ORDER BY bm25(corpus_passage_fts, 1.0, %s) LIMIT %s""",
                [match, CONTEXT_WEIGHT, limit],
            )
            return [row["id"] for row in rows]
        where, params = self._filters(exclude_article_id)
        rows = _fetch_dicts(
            f"""SELECT p.id FROM corpus_passage_fts
                JOIN corpus_passage p ON p.id = corpus_passage_fts.rowid
                JOIN corpus_article a ON a.id = p.article_id
                WHERE corpus_passage_fts MATCH %s {where}
                ORDER BY bm25(corpus_passage_fts, 1.0, %s) LIMIT %s""",
            [match, *params, CONTEXT_WEIGHT, limit],
        )
        return [row["id"] for row in rows]

    def _described(self, match, ids, exclude_article_id, limit):
        if not ids:
            return []
        where, params = self._filters(exclude_article_id)
        # highlight() runs for the first `limit` of `ids` that are kept, in rank order (the
        # key of json_each). The unary + keeps SQLite from turning the IN list into one
        # full-text lookup per id, which is ten times slower.
        return _fetch_dicts(
            f"""SELECT p.id, a.slug, a.title, p.start, p."end", p.text, p.context,
                       highlight(corpus_passage_fts, 0, %s, %s) AS marked,
                       highlight(corpus_passage_fts, 1, %s, %s) AS marked_context
                FROM corpus_passage_fts
                JOIN corpus_passage p ON p.id = corpus_passage_fts.rowid
                JOIN corpus_article a ON a.id = p.article_id
                WHERE corpus_passage_fts MATCH %s AND +corpus_passage_fts.rowid IN (
                    SELECT p.id FROM json_each(%s) AS r
                    JOIN corpus_passage p ON p.id = r.value JOIN corpus_article a ON a.id = p.article_id
                    WHERE 1 {where} ORDER BY r.key LIMIT %s)""",
            [MARK_OPEN, MARK_CLOSE, MARK_OPEN, MARK_CLOSE, match, json.dumps(ids), *params, limit],
        )


# ts_rank's weights for lexemes labelled {D, C, B, A}: the context is D, the text A.
RANK_WEIGHTS = [CONTEXT_WEIGHT, CONTEXT_WEIGHT, CONTEXT_WEIGHT, 1.0]


class PostgresEngine(_Engine):
    """A GIN-indexed tsvector column with the 'english' configuration; ts_rank orders the candidates."""

    def __init__(self):
        # What the 'english' configuration makes of a word never changes with the corpus.
        self.lexemes_of = {}

    @staticmethod
    def _lexeme(word):
        # Letters, digits and number separators only (see WORD), so the single quotes
        # cannot be closed early and no tsquery operator (& | ! <-> :*) gets through.
        return f"'{word}'"

    def document_frequencies(self, words, passages):
        """{word: passages containing it}: estimated for common words, counted for the rest.

        Counting a common word, even up to DF_CAP, costs a scan of thousands of rows. But
        ANALYZE already keeps the share of rows holding each of the commonest lexemes (the
        column's most_common_elems), so only words outside that list are counted, and
        those are rare enough for the GIN index to count quickly.
        """
        # A small corpus is counted outright: cheap there, and never behind the statistics,
        # which ANALYZE may have taken of other rows or not at all.
        common = _cached("postgres_common_lexemes", self._common_lexemes) if passages >= COUNT_ALL_BELOW else {}
        frequencies, uncounted = {}, []
        for word, lexemes in zip(words, self._lexemes(words)):
            shares = [common.get(lexeme) for lexeme in lexemes]
            if not lexemes:
                frequencies[word] = 0  # a stopword to PostgreSQL: never indexed
            elif None in shares:
                uncounted.append(word)
            else:
                frequencies[word] = max(1, round(min(shares) * passages))
        if uncounted:
            frequencies.update(self._count(uncounted))
        return frequencies

    def _lexemes(self, words):
        missing = [word for word in dict.fromkeys(words) if word not in self.lexemes_of]
        if missing:
            if len(self.lexemes_of) > MAX_REMEMBERED_WORDS:
                self.lexemes_of.clear()
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT w, tsvector_to_array(to_tsvector('english', w)) FROM unnest(%s::text[]) AS t(w)",
                    [missing],
                )
                self.lexemes_of.update(cursor.fetchall())
        return [self.lexemes_of[word] for word in words]

    @staticmethod
    def _common_lexemes():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats"
                " WHERE schemaname = current_schema() AND tablename = 'corpus_passage' AND attname = 'search'"
            )
            row = cursor.fetchone()
        return dict(zip(row[0], row[1])) if row and row[0] else {}

    def _count(self, words):
        counts = ", ".join(
            "(SELECT COUNT(*) FROM (SELECT 1 FROM corpus_passage"
            " WHERE search @@ to_tsquery('english', %s) LIMIT %s) s)"
            for _ in words
        )
        params = [p for word in words for p in (self._lexeme(word), DF_CAP)]
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {counts}", params)
            return dict(zip(words, cursor.fetchone()))

    def query(self, terms, all_required):
        return (" & " if all_required else " | ").join(self._lexeme(t.word) for t in terms)

    def chosen(self, query, ranking, filtered, exclude_article_id, all_required, limit):
        """As SQLite's, in one statement: a round trip costs more here than the SQL it saves."""
        where, params = self._filters(exclude_article_id)
        join = "JOIN corpus_article a ON a.id = p.article_id" if filtered else ""
        found = [ROWS_RANKED] if all_required else []
        options = f"HighlightAll=true, StartSel={MARK_OPEN}, StopSel={MARK_CLOSE}"
        # ts_headline, the costly part, runs for the kept few only. A row with no passage
        # still carries how many were ranked.
        rows = _fetch_dicts(
            f"""WITH q AS (SELECT to_tsquery('english', %s) AS query),
                ranked AS (
                    SELECT hits.id, ts_rank(%s::real[], hits.search, q.query) AS rank FROM (
                        SELECT p.id, p.search FROM corpus_passage p {join}, q
                        WHERE p.search @@ q.query {where if filtered else ""} {"LIMIT %s" if found else ""}
                    ) AS hits, q
                    ORDER BY rank DESC LIMIT %s),
                kept AS (
                    SELECT p.id, a.slug, a.title, p.start, p."end", p.text, p.context, p.folded, ranked.rank
                    FROM ranked JOIN corpus_passage p ON p.id = ranked.id JOIN corpus_article a ON a.id = p.article_id
                    WHERE true {where} ORDER BY ranked.rank DESC, p.id LIMIT %s)
                SELECT (SELECT COUNT(*) FROM ranked) AS ranked, kept.id, slug, title, start, "end", text, context,
                       ts_headline('english', folded, q.query, %s) AS marked,
                       CASE WHEN context = '' THEN '' ELSE ts_headline('english', context, q.query, %s) END
                           AS marked_context
                FROM q LEFT JOIN kept ON true ORDER BY kept.rank DESC, kept.id""",
            [query, RANK_WEIGHTS, *(params if filtered else []), *found, ranking, *params, limit, options, options],
        )
        ranked = rows[0]["ranked"] if rows else 0
        return [row for row in rows if row["id"] is not None], ranked


ENGINES = {"sqlite": SQLiteEngine(), "postgresql": PostgresEngine()}
