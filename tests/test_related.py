"""Related-passage search: splitting bodies into passages, the index, ranking, free queries, the API."""

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.db import connection
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.corpus.models import Article, Passage
from annotator.corpus.passages import MAX_PASSAGE, split_passages
from annotator.corpus import search
from annotator.corpus.search import related_passages, reindex_article, search_passages
from annotator.errors import ServiceError

from .factories import make_article

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
S000, S001, S002, S003, S004 = sorted(p.name for p in SEEDS.glob("*.txt"))


def texts(body):
    return [text for _, _, text in split_passages(body)]


def span_of(article, quote):
    start = article.body.index(quote)
    return start, start + len(quote)


# --- splitting --------------------------------------------------------------------------


def test_abbreviations_initials_and_decimals_do_not_end_sentences():
    body = ("Mr. Smith met U.S. officials and John F. Kennedy's heirs on Oct. 7 at 3.5 p.m. in the capital. "
            "Then he flew home to report what he had heard.")
    assert texts(body) == [
        "Mr. Smith met U.S. officials and John F. Kennedy's heirs on Oct. 7 at 3.5 p.m. in the capital.",
        "Then he flew home to report what he had heard.",
    ]


def test_a_quote_closing_after_the_period_stays_with_its_sentence():
    body = "Raisi said the army would “respond with greater force.” The Kremlin urged restraint on both sides."
    assert texts(body) == [
        "Raisi said the army would “respond with greater force.”",
        "The Kremlin urged restraint on both sides.",
    ]


def test_a_question_inside_a_quote_followed_by_lower_case_goes_on():
    body = "“Who will pay for the damage?” she asked the minister in front of the cameras on Monday."
    assert texts(body) == [body]


def test_paragraphs_are_hard_boundaries_even_without_a_period():
    body = "Putin elbows his way back to the diplomatic high table\nIsrael is conducting attacks in Gaza, officials say."
    assert texts(body) == [
        "Putin elbows his way back to the diplomatic high table",
        "Israel is conducting attacks in Gaza, officials say.",
    ]


def test_offsets_are_code_points_and_passages_are_trimmed():
    body = "  🎉 Emoji before the first sentence are counted once.   \n\n   Second paragraph here, after a gap.  "
    passages = split_passages(body)
    assert [t for _, _, t in passages] == [
        "🎉 Emoji before the first sentence are counted once.",
        "Second paragraph here, after a gap.",
    ]
    for start, end, text in passages:
        assert body[start:end] == text
    assert passages[0][0] == 2


def test_a_tiny_fragment_is_joined_to_its_neighbour():
    body = "Done. The rest of this paragraph is a sentence long enough to stand alone."
    assert texts(body) == [body]


def test_blank_body_gives_no_passages():
    assert split_passages("") == []
    assert split_passages("\n \n\t\n") == []


def test_a_long_sentence_is_cut_at_clause_boundaries_under_the_limit():
    clause = "the council met again in the capital and talked at length about the border and the water"
    body = "; ".join([clause] * 40) + "."
    passages = split_passages(body)
    assert len(passages) >= 3
    for start, end, text in passages:
        assert len(text) <= MAX_PASSAGE
        assert body[start:end] == text
    assert all(text.endswith(";") for text in texts(body)[:-1])


def test_a_long_sentence_without_punctuation_is_cut_between_words():
    body = " ".join(f"word{n}" for n in range(600))
    passages = split_passages(body)
    assert len(passages) > 1
    for start, end, text in passages:
        assert len(text) <= MAX_PASSAGE
        assert start == 0 or body[start - 1] == " "
        assert end == len(body) or body[end] == " "


def test_one_overlong_word_is_cut_at_the_limit():
    body = "x" * 2500
    assert [len(t) for t in texts(body)] == [1000, 1000, 500]


PIECES = list("ab .!?”“\"' \n,;:—3…") + ["U.S.", "Mr.", "Hello", "é", "🎉", "\u00a0", "x" * 400]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=400).map("".join))
def test_passages_always_match_the_body_exactly(body):
    previous_end = 0
    for start, end, text in split_passages(body):
        assert body[start:end] == text
        assert text and text == text.strip()
        assert len(text) <= MAX_PASSAGE
        assert "\n" not in text
        assert start >= previous_end
        previous_end = end


# --- the index follows the articles -----------------------------------------------------


@pytest.mark.django_db
def test_creating_an_article_indexes_its_passages():
    article = make_article("ferry", "The ferry operator cut winter sailings. Residents of Arran were angry about it.")
    assert list(article.passages.values_list("start", "end", "text")) == split_passages(article.body)
    assert [r["article"] for r in search_passages("Arran")] == ["ferry"]


@pytest.mark.django_db
def test_updating_the_body_replaces_the_indexed_passages():
    article = make_article("ferry", "Residents of Arran were angry about the winter timetable.")
    article.body = "Residents of Islay were angry about the summer timetable."
    article.save()
    assert search_passages("Arran") == []
    assert [r["text"] for r in search_passages("Islay")] == [article.body]
    assert article.passages.count() == 1


@pytest.mark.django_db
def test_a_save_that_leaves_the_body_alone_rewrites_nothing():
    article = make_article("ferry", "Residents of Arran were angry about the winter timetable.")
    ids = list(article.passages.values_list("id", flat=True))
    article.title = "A better title"
    article.save()
    assert list(article.passages.values_list("id", flat=True)) == ids
    assert reindex_article(article) is False


@pytest.mark.django_db
def test_deleting_an_article_removes_its_passages_from_the_index():
    article = make_article("ferry", "Residents of Arran were angry about the winter timetable.")
    article.delete()
    assert Passage.objects.count() == 0
    assert search_passages("Arran") == []


@pytest.mark.django_db
def test_articles_imported_before_the_index_existed_get_passages_when_migrating():
    schema_editor = type("SchemaEditor", (), {"connection": connection})()
    Article.objects.bulk_create([Article(slug="old", title="old", body="Arran was cut off for a week.", raw="",
                                         source_file="old.txt", raw_sha256="")])  # no signal, no passages
    importlib.import_module("annotator.corpus.migrations.0002_passages").index_existing_articles(
        django_apps, schema_editor)
    # Passages made before 0006 have no folded text until it fills it in.
    assert search_passages("Arran") == []
    importlib.import_module("annotator.corpus.migrations.0006_passage_search_on_folded_text").fold_stored_passages(
        django_apps, schema_editor)
    assert [r["article"] for r in search_passages("Arran")] == ["old"]


# --- related passages -------------------------------------------------------------------


@pytest.fixture
def raisi_articles(db):
    claim = make_article(
        "claim",
        "Putin praised the assault of 300 drones in a call with Raisi, the outlet claimed.\n"
        "They said so, and he reportedly claimed it too.",
    )
    make_article("names", "Raisi told reporters that the 300 drones were only a warning to the region.")
    make_article("verbs", "The outlet said he had claimed so all along, and officials said so too.")
    make_article("hidden", "Raisi and Putin discussed the 300 drones and the assault at length.", archived=True)
    return claim


@pytest.mark.django_db
def test_shared_names_and_numbers_outrank_shared_reporting_verbs(raisi_articles):
    claim = raisi_articles
    results = related_passages(claim, *span_of(claim, claim.body.split("\n")[0]))
    articles = [r["article"] for r in results]
    assert articles.index("names") < articles.index("verbs")
    assert {"Raisi", "300", "drones"} <= set(results[0]["terms"])
    assert results[articles.index("verbs")]["terms"] == ["outlet"]  # "said", "claimed" do not count


@pytest.mark.django_db
def test_a_claim_of_only_reporting_words_finds_nothing(raisi_articles):
    claim = raisi_articles
    assert related_passages(claim, *span_of(claim, "They said so, and he reportedly claimed it too.")) == []


@pytest.mark.django_db
def test_a_claim_of_only_very_common_words_asks_for_all_of_them(raisi_articles, monkeypatch):
    monkeypatch.setattr(search, "DF_CAP", 2)  # "Raisi", "drones", "300" are in 3+ passages
    make_article("raisi-only", "Raisi spoke again on television in the evening.")
    make_article("drones-only", "The drones were shot down over the desert at night.")
    claim = make_article("short-claim", "Raisi and the 300 drones.")
    results = related_passages(claim, 0, len(claim.body))
    assert {r["article"] for r in results} == {"names", "claim"}


@pytest.mark.django_db
def test_a_claims_commoner_words_are_left_out_when_the_engine_would_rank_too_many_passages(monkeypatch):
    claim = make_article("claim", "The Kardonsk grain tariff rose sharply.")
    make_article("rare", "The Kardonsk council met at noon.")
    for n in range(3):
        make_article(f"common-{n}", f"Grain was late in field number {n}.")
    everything = {r["article"] for r in related_passages(claim, 0, len(claim.body))}
    assert everything == {"rare", "common-0", "common-1", "common-2"}
    # "Kardonsk" (2 passages) and "tariff", "rose", "sharply" (1 each, the claim) fit in 3
    # passages one by one; "grain" (4) would pass the limit.
    monkeypatch.setattr(search, "ROWS_RANKED", 3)
    assert {r["article"] for r in related_passages(claim, 0, len(claim.body))} == {"rare"}


@pytest.mark.django_db
def test_passages_ranked_below_the_claims_own_and_archived_ones_are_still_found(monkeypatch):
    words = "Kardonsk grain tariff"
    claim = make_article("claim", "\n".join(f"The {words} rose, {n} times over." for n in range(3)))
    make_article("hidden", "\n".join(f"The {words} fell, {n} times over." for n in range(3)), archived=True)
    make_article("other", f"Far away and long ago, in a story of other things, a {words} was talked of once.")
    # The engine ranks only as many as wanted, and the best of them are the claim's own
    # passages and the archived article's: it has to rank again without them.
    monkeypatch.setattr(search, "SPARE", 0)
    monkeypatch.setattr(search, "CANDIDATES", 2)
    results = related_passages(claim, *span_of(claim, f"The {words} rose"))
    assert [r["article"] for r in results] == ["other"]


@pytest.mark.django_db
def test_a_word_another_process_has_just_indexed_is_found_at_once():
    make_article("first", "The harvest was late this year.")
    assert search_passages("Zubrovka accord") == []
    remembered = dict(search._CACHE)
    make_article("later", "The Zubrovka accord was signed in the spring.")
    # What this process remembered of the corpus before another one imported the article.
    search._CACHE.clear()
    search._CACHE.update(remembered)
    assert [r["article"] for r in search_passages("Zubrovka accord")] == ["later"]


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite keeps no column statistics: its index counts words")
def test_postgresql_keeps_statistics_on_the_commonest_ten_thousand_words_of_the_passages():
    # Search estimates common words' passages from them; a migration that rebuilds the
    # column would silently fall back to the default target of 100 (1,000 words).
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attstattarget FROM pg_attribute WHERE attrelid = 'corpus_passage'::regclass AND attname = 'search'"
        )
        assert cursor.fetchone() == (1000,)


@pytest.mark.django_db
def test_related_passages_come_only_from_other_listed_articles(raisi_articles):
    claim = raisi_articles
    make_article("copy", claim.body)  # the same text in another article is fair game
    results = related_passages(claim, *span_of(claim, "Putin praised the assault of 300 drones"))
    articles = {r["article"] for r in results}
    assert "claim" not in articles
    assert "hidden" not in articles  # archived
    assert "copy" in articles


@pytest.mark.django_db
def test_results_have_the_documented_shape_and_exact_offsets(raisi_articles):
    claim = raisi_articles
    results = related_passages(claim, *span_of(claim, "Putin praised the assault of 300 drones"), limit=1)
    assert len(results) == 1
    result = results[0]
    assert set(result) == {"article", "title", "start", "end", "text", "score", "terms"}
    body = Article.objects.get(slug=result["article"]).body
    assert body[result["start"]:result["end"]] == result["text"]
    assert isinstance(result["score"], float) and result["score"] > 0
    assert all(term in result["text"] for term in result["terms"])


@pytest.mark.django_db
def test_stemmed_matches_report_the_passage_own_words():
    claim = make_article("claim", "The drones were intercepted over the Negev.")
    make_article("other", "Air defences intercept a drone every few minutes above the Negev desert.")
    (result,) = related_passages(claim, 0, len(claim.body))
    assert set(result["terms"]) == {"intercept", "drone", "Negev"}


@pytest.mark.django_db
@pytest.mark.parametrize("start, end, field", [(-1, 5, "start"), (0, 10_000, "end"), (9, 3, "end"), (4, 4, "end")])
def test_a_span_outside_the_body_or_reversed_is_refused(raisi_articles, start, end, field):
    with pytest.raises(ServiceError) as error:
        related_passages(raisi_articles, start, end)
    assert error.value.field == field


# --- free queries -----------------------------------------------------------------------

NASTY_QUERIES = [
    '"', '"Raisi', 'Raisi"', "NEAR(Raisi drones", "NEAR(", "Raisi*", "*", "-Raisi", "title:Raisi", "text:Raisi",
    "AND", "OR OR NOT", "Raisi AND NOT", "(Raisi", ")", "Raisi OR", "^Raisi", "{Raisi drones}", "Raisi:*",
    "!Raisi", "<->", "Raisi & | !", "'; DROP TABLE corpus_passage; --", "1,200 ...", "Raisi's", "\\", "%_",
]


@pytest.mark.django_db
@pytest.mark.parametrize("query", NASTY_QUERIES)
def test_operators_and_quotes_in_a_free_query_never_error(raisi_articles, query):
    results = search_passages(query)
    assert isinstance(results, list)
    if "Raisi" in query:
        assert "names" in {r["article"] for r in results}


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["", "   ", "\n"])
def test_an_empty_query_is_refused(query):
    with pytest.raises(ServiceError) as error:
        search_passages(query)
    assert error.value.field == "q"


@pytest.mark.django_db
def test_a_query_of_stopwords_only_finds_nothing_on_either_engine(raisi_articles):
    assert search_passages("and so on") == []


@pytest.mark.django_db
def test_a_free_query_can_leave_out_one_article(raisi_articles):
    names = Article.objects.get(slug="names")
    assert "names" not in {r["article"] for r in search_passages("Raisi drones", exclude_article=names)}


# --- the JSON API -----------------------------------------------------------------------


@pytest.mark.django_db
def test_related_endpoint_answers_with_results(client, raisi_articles):
    start, end = span_of(raisi_articles, "Putin praised the assault of 300 drones")
    response = client.get(f"/api/articles/claim/related/?start={start}&end={end}&limit=2")
    assert response.status_code == 200
    results = response.json()["results"]
    assert 1 <= len(results) <= 2
    assert {"article", "start", "end", "text", "score"} <= set(results[0])
    assert results[0]["article"] == "names"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query, field",
    [
        ("end=10", "start"),
        ("start=0", "end"),
        ("start=abc&end=10", "start"),
        ("start=0&end=1.5", "end"),
        ("start=-3&end=10", "start"),
        ("start=0&end=99999", "end"),
        ("start=20&end=10", "end"),
        ("start=0&end=10&limit=0", "limit"),
        ("start=0&end=10&limit=51", "limit"),
        ("start=0&end=10&limit=many", "limit"),
    ],
)
def test_related_endpoint_refuses_bad_parameters_naming_the_field(client, raisi_articles, query, field):
    response = client.get(f"/api/articles/claim/related/?{query}")
    assert response.status_code == 400
    assert response.json()["field"] == field
    assert response.json()["error"]


@pytest.mark.django_db
def test_related_endpoint_for_an_unknown_article_is_404(client):
    response = client.get("/api/articles/no-such-article/related/?start=0&end=5")
    assert response.status_code == 404
    assert "error" in response.json()


@pytest.mark.django_db
def test_related_endpoint_is_read_only(client, raisi_articles):
    response = client.post("/api/articles/claim/related/?start=0&end=5")
    assert response.status_code == 405 and response["Allow"] == "GET"
    assert response.json()["error"]


@pytest.mark.django_db
def test_search_endpoint_answers_and_excludes(client, raisi_articles):
    response = client.get("/api/passages/search/", {"q": 'NEAR("Raisi" -drones*', "exclude": "claim", "limit": 5})
    assert response.status_code == 200
    articles = [r["article"] for r in response.json()["results"]]
    assert articles[0] == "names" and "claim" not in articles


@pytest.mark.django_db
def test_search_endpoint_answers_punctuation_alone_with_no_results(client, raisi_articles):
    response = client.get("/api/passages/search/", {"q": '()* "" -'})
    assert response.status_code == 200
    assert response.json() == {"results": []}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params, field",
    [({}, "q"), ({"q": "  "}, "q"), ({"q": "Raisi", "exclude": "nope"}, "exclude"),
     ({"q": "Raisi", "limit": "x"}, "limit")],
)
def test_search_endpoint_refuses_bad_parameters_naming_the_field(client, raisi_articles, params, field):
    response = client.get("/api/passages/search/", params)
    assert response.status_code == 400
    assert response.json()["field"] == field
    assert response.json()["error"]


# --- the seeds --------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_seed_is_indexed_sentence_by_sentence(seeded):
    for article in seeded.values():
        assert list(article.passages.values_list("start", "end", "text")) == split_passages(article.body)


@pytest.mark.django_db
def test_the_putin_raisi_call_finds_the_other_article_raisi_calls(seeded):
    claim = seeded[S000]
    quote = "Vladimir Putin praised Iran’s unprecedented, 300+ missile and drone assault against Israel"
    start = claim.body.index(quote)
    end = claim.body.index("Ebrahim Raisi", start) + len("Ebrahim Raisi")
    results = related_passages(claim, start, end, limit=3)
    assert results[0]["article"] == seeded[S004].slug
    assert "Iranian President Ebrahim Raisi and Syrian dictator Bashar Assad" in results[0]["text"]
    assert claim.slug not in {r["article"] for r in related_passages(claim, start, end, limit=50)}


@pytest.mark.django_db
def test_operation_true_promise_is_not_found_outside_the_article_that_names_it(seeded):
    results = search_passages('"Operation True Promise"', limit=3)
    assert {r["article"] for r in results} == {seeded[S000].slug}
    assert all({"Operation", "True", "Promise"} <= set(r["terms"]) for r in results)


@pytest.mark.django_db
def test_gold_set_quotes_are_still_in_the_seed_bodies(seeded):
    sys.path.insert(0, str(ROOT / "bench"))
    from eval_related import locate

    gold = json.loads((ROOT / "bench" / "gold_related.json").read_text(encoding="utf-8"))["claims"]
    assert 40 <= len(gold) <= 150
    splits = [claim["split"] for claim in gold]
    assert set(splits) == {"dev", "held-out", "held-out-2", "held-out-3"}
    assert all(splits.count(split) >= 15 for split in ("held-out", "held-out-2", "held-out-3"))
    assert len({claim["id"] for claim in gold}) == len(gold)
    for claim in gold:
        assert locate(seeded[claim["source_file"]].body, claim["quote"]), claim["id"]
        for passage in claim["relevant"]:
            assert passage["source_file"] != claim["source_file"]
            assert locate(seeded[passage["source_file"]].body, passage["quote"]), (claim["id"], passage["quote"])


# --- the benchmark script ---------------------------------------------------------------


def test_the_benchmark_runs_in_its_short_form():
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = subprocess.run([sys.executable, str(ROOT / "bench" / "related.py"), "--articles", "60", "--queries", "20"],
                         capture_output=True, text=True, env=env, timeout=300)
    assert "related p95:" in run.stdout, run.stderr
    assert "articles/s" in run.stdout
