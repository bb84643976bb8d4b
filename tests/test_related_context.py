"""Related passages found through who speaks, the sentence before, and WordNet's synonyms."""

import pytest

from annotator.corpus import lexicon
from annotator.corpus.models import Passage
from annotator.corpus.passages import passage_contexts, speaker_of, split_passages
from annotator.corpus.search import related_passages, search_passages

from .factories import make_article
from .markers import WORDNET


def contexts(body):
    passages = split_passages(body)
    return dict(zip((text for _, _, text in passages), passage_contexts(passages)))


# --- speakers and contexts (pure) -------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "speaker"),
    [
        ("The talks are over, according to the Kremlin, for now.", "the Kremlin"),
        ("“We will respond,” said Raisi in Tehran.", "Raisi"),
        ("Russian Foreign Minister Sergei Lavrov told reporters the talks were over.", "Russian Foreign Minister Sergei Lavrov"),
        ("The outlet further claimed that the call went well.", "The outlet"),
        ("“It will be difficult,” he continued.", "he"),
        ("Prices rose by a fifth over the winter.", ""),
    ],
)
def test_the_speaker_of_a_sentence_is_who_its_attribution_names(sentence, speaker):
    assert speaker_of(sentence) == speaker


def test_a_passage_whose_subject_is_they_carries_the_sentence_before():
    found = contexts("Officials at the Vostok ministry met the union on Monday. They promised to keep every plant open.")
    assert found["They promised to keep every plant open."] == "Officials at the Vostok ministry met the union on Monday."
    assert found["Officials at the Vostok ministry met the union on Monday."] == ""


def test_an_unattributed_quote_carries_the_speaker_and_sentence_before_it():
    found = contexts("“The plant will close,” Ivanova said on Monday. “Nothing can be done about it now.”")
    assert found["“Nothing can be done about it now.”"].startswith("Ivanova ")
    assert "The plant will close" in found["“Nothing can be done about it now.”"]


def test_a_sentence_that_stands_on_its_own_has_no_context():
    found = contexts("The Vostok plant employs 2,000 people. Steel prices fell by a fifth this year.")
    assert set(found.values()) == {""}


def test_contexts_follow_paragraphs_in_order_and_match_the_passages_one_to_one():
    body = "First paragraph stands alone here.\nHe said it again the next day, louder."
    passages = split_passages(body)
    assert len(passage_contexts(passages)) == len(passages)
    assert passage_contexts([]) == []


# --- the index and the ranking ------------------------------------------------------------


@pytest.mark.django_db
def test_saved_passages_keep_their_context_and_a_reindex_follows_a_changed_body():
    article = make_article("plant", "Vostok workers met the board on Monday. They were told the plant will close.")
    passage = Passage.objects.get(article=article, text__startswith="They")
    assert passage.context == "Vostok workers met the board on Monday."
    article.body = "Vostok workers met the governor on Monday. They were told the plant will close."
    article.save()
    assert Passage.objects.get(article=article, text__startswith="They").context.endswith("governor on Monday.")


@pytest.mark.django_db
def test_a_passage_saying_they_is_found_by_the_names_in_the_sentence_before():
    claim = make_article("claim", "The Vostok steelworks in Kardonsk will close next spring.")
    make_article(
        "story",
        "Kardonsk has been a steel town for a century, and Vostok its largest employer.\n"
        "Workers at the Vostok steelworks met their managers on Monday. They learned the furnaces stop in April.",
    )
    make_article("other", "Furnaces across the region stop in April for maintenance every year.")
    results = related_passages(claim, 0, len(claim.body))
    texts = [r["text"] for r in results]
    leaning = "They learned the furnaces stop in April."
    assert leaning in texts
    # Found through its context, it ranks below the sentence that names Vostok itself.
    assert texts.index(leaning) > texts.index("Workers at the Vostok steelworks met their managers on Monday.")


@pytest.mark.django_db
def test_the_speaker_around_a_claim_finds_other_articles_quoting_the_same_speaker():
    claim = make_article(
        "claim",
        "Prices will fall by spring, the Zelmara Institute said in its winter report.",
    )
    make_article("same-source", "The Zelmara Institute expects a mild season for farmers.")
    make_article("no-source", "A mild season is expected by some, but few agree.")
    claim_words = (0, claim.body.index(", the Zelmara"))
    results = related_passages(claim, *claim_words)
    assert [r["article"] for r in results][:1] == ["same-source"]


@pytest.mark.django_db
def test_a_claim_with_no_words_of_its_own_finds_nothing_even_beside_a_named_speaker():
    claim = make_article("claim", "The Zelmara Institute said so, it claimed.")
    make_article("same-source", "The Zelmara Institute expects a mild season for farmers.")
    assert related_passages(claim, claim.body.index("said"), len(claim.body)) == []


# --- WordNet --------------------------------------------------------------------------------


@WORDNET
def test_wordnet_gives_synonyms_of_the_commonest_sense_and_skips_mere_inflections():
    assert "imprisonment" in lexicon.related_words("captivity")
    assert "warfare" in lexicon.related_words("war")
    assert all(not w.startswith("warn") for w in lexicon.related_words("warned"))
    assert lexicon.related_words("Zelmara") == ()
    assert lexicon.related_words("1,200") == ()


@WORDNET
@pytest.mark.django_db
def test_a_claim_finds_a_passage_that_says_it_with_a_synonym():
    claim = make_article("claim", "The captivity of the crew lasted a year.")
    make_article("synonym", "Their imprisonment ended when the ship was released.")
    make_article("unrelated", "The ship sailed on after a year at sea.")
    results = related_passages(claim, 0, claim.body.index(" lasted"))
    assert "synonym" in [r["article"] for r in results]
    assert search_passages("captivity", exclude_article=claim)[0]["article"] == "synonym"


def test_without_wordnet_files_every_word_has_no_relatives(tmp_path, monkeypatch):
    monkeypatch.setattr(lexicon, "WORDNET_DIR", tmp_path)
    lexicon._files.cache_clear()
    lexicon._related.cache_clear()
    try:
        assert lexicon.related_words("captivity") == ()
    finally:
        monkeypatch.undo()
        lexicon._files.cache_clear()
        lexicon._related.cache_clear()
