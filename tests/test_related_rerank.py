"""Re-ranking of related-passage candidates: words said otherwise, the claim's speaker, feedback."""

import pytest

from annotator.annotations.models import Source, SourceAlias, SourceKind
from annotator.annotations.sources import alias_key
from annotator.corpus import lexicon
from annotator.corpus.search import related_passages, speaker_names

from .factories import make_article
from .markers import WORDNET


def ranked(claim, start=0, end=None):
    return [r["article"] for r in related_passages(claim, start, len(claim.body) if end is None else end)]


# --- WordNet concepts (pure) --------------------------------------------------------------


@WORDNET
def test_words_that_mean_the_same_share_a_concept_and_unrelated_words_do_not():
    assert lexicon.concepts("avoid") & lexicon.concepts("prevent")
    assert lexicon.concepts("abduction") & lexicon.concepts("kidnapping")
    # A derivation joins a noun to its verb.
    assert lexicon.concepts("abduction") & lexicon.concepts("abduct")
    assert not lexicon.concepts("avoid") & lexicon.concepts("banana")


@WORDNET
def test_names_numbers_and_unknown_words_have_no_concepts():
    assert lexicon.concepts("Zelmara") == frozenset()
    assert lexicon.concepts("1,200") == frozenset()
    assert lexicon.concepts("") == frozenset()


def test_without_wordnet_files_no_word_has_concepts(tmp_path, monkeypatch):
    monkeypatch.setattr(lexicon, "WORDNET_DIR", tmp_path)
    lexicon._files.cache_clear()
    lexicon.concepts.cache_clear()
    try:
        assert lexicon.concepts("avoid") == frozenset()
    finally:
        monkeypatch.undo()
        lexicon._files.cache_clear()
        lexicon.concepts.cache_clear()


# --- speakers (pure) ----------------------------------------------------------------------


def test_a_passage_speaker_is_the_last_word_of_the_name_its_attribution_gives():
    assert speaker_names("“We will respond,” said Raisi in Tehran.", "") == {"raisi"}
    assert speaker_names("Grain will be dear, according to the Kardonsk Ministry.", "") == {"ministry"}
    assert speaker_names("Grain will be dear this year.", "") == frozenset()


def test_a_passage_speaking_through_a_pronoun_takes_its_speaker_from_the_context():
    assert speaker_names("“It will be hard,” he continued.", "“We will respond,” said Raisi.") == {"raisi"}
    assert speaker_names("“It will be hard,” he continued.", "") == frozenset()


# --- ranking ------------------------------------------------------------------------------


@WORDNET
@pytest.mark.django_db
def test_a_passage_saying_a_claim_word_in_other_words_ranks_above_one_that_does_not():
    claim = make_article("claim", "The harbour board wants to prevent a dock strike.")
    # Both share "dock" and "strike"; only one says "prevent", as "avoid". Without the
    # concept the shorter passage would rank first (and "a-" sorts first on a tie).
    make_article("b-avoid", "Unions hope to avoid a dock strike this winter.")
    make_article("a-other", "Unions hope for a dock strike this winter.")
    assert ranked(claim)[:2] == ["b-avoid", "a-other"]


@pytest.mark.parametrize(
    ("claim_body", "expected"),
    [
        # The claim is Ivanova's: her passage wins though Petrov's shares more of its words.
        ("“Grain prices will fall by the spring,” said Ivanova.", ["b-ivanova", "a-petrov"]),
        # Nobody speaks in the claim, so nobody's passage is raised.
        ("Grain prices will fall by the spring.", ["a-petrov", "b-ivanova"]),
    ],
)
@pytest.mark.django_db
def test_a_passage_by_the_claims_speaker_ranks_above_one_sharing_more_of_its_words(claim_body, expected):
    claim = make_article("claim", claim_body)
    make_article("a-petrov", "“Grain prices will fall by spring,” said Petrov.")
    make_article("b-ivanova", "“Grain prices will fall,” said Ivanova.")
    assert ranked(claim, 0, claim.body.index("spring") + len("spring"))[:2] == expected


@pytest.mark.django_db
def test_a_passage_by_another_alias_of_the_claims_source_ranks_as_the_same_speaker():
    claim = make_article("claim", "“Grain prices will fall by the spring,” said Dmitry Peskov.")
    # The same words; the shorter passage ranks first while nothing ties Peskov to the Kremlin.
    make_article("a-petrov", "“Grain prices will fall,” said Petrov.")
    make_article("b-kremlin", "“Grain prices will fall,” the Kremlin said.")
    quote = (0, claim.body.index(" said"))
    assert ranked(claim, *quote)[:2] == ["a-petrov", "b-kremlin"]

    # A teacher records that Peskov speaks for the Kremlin: search hears it at once.
    kremlin = Source.objects.create(name="Kremlin", slug="kremlin", kind=SourceKind.OFFICE)
    for alias in ("the Kremlin", "Dmitry Peskov"):
        SourceAlias.objects.create(source=kremlin, alias=alias, key=alias_key(alias))
    assert ranked(claim, *quote)[:2] == ["b-kremlin", "a-petrov"]


@pytest.mark.django_db
def test_a_passage_using_the_words_of_the_best_matches_ranks_above_one_that_does_not():
    claim = make_article("claim", "The Kardonsk steelworks will close.")
    make_article(
        "best",
        "The Kardonsk steelworks will close its pensions and wages in April.\n"
        "The Kardonsk steelworks will close after a century of pensions and wages.",
    )
    # Each names Kardonsk and nothing else of the claim; one goes on about what the best
    # matches are about (pensions, wages), the other about something else.
    make_article("b-wages", "Kardonsk mayor spoke of wages and the pensions.")
    make_article("a-river", "Kardonsk mayor spoke of tourism and its river.")
    order = ranked(claim)
    assert order.index("b-wages") < order.index("a-river")


@pytest.mark.django_db
def test_re_ranking_is_deterministic():
    claim = make_article("claim", "The Kardonsk steelworks will close, the Kardonsk Ministry said.")
    make_article("one", "The Kardonsk steelworks will close its pensions and wages in April.")
    make_article("two", "Kardonsk mayor spoke of wages and the pensions, said the Ministry.")
    make_article("three", "Kardonsk mayor spoke of tourism and its river.")
    first = related_passages(claim, 0, len(claim.body))
    assert [related_passages(claim, 0, len(claim.body)) for _ in range(3)] == [first] * 3
