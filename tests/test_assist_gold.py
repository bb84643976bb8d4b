"""The assist's gold sets load as `make eval` reads them: every quote is found in its article,
the development and held-out sets carry the pattern tags the per-pattern rows need, and the
span rule is the one the figures are reported under."""

import importlib.util
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"
spec = importlib.util.spec_from_file_location("eval_assist", BENCH / "eval_assist.py")
eval_assist = importlib.util.module_from_spec(spec)
spec.loader.exec_module(eval_assist)

GOLD_FILES = sorted((BENCH / "gold_assist").glob("*.json"))


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda path: path.stem)
def test_every_gold_quote_is_found_in_its_article(path):
    split, body, spans = eval_assist.load(path)
    assert split in eval_assist.SPLITS
    for span in spans:
        assert body[span["start"] : span["end"]] == span["quote"]


def test_dev_and_heldout_are_separate_articles_tagged_by_pattern():
    articles = {"dev": set(), "heldout": set()}
    for path in GOLD_FILES:
        split, _, spans = eval_assist.load(path)
        if split not in articles:
            continue
        articles[split].add(path.stem)
        for span in spans:
            if span["label"] == "attributed":
                assert span["cue"] in ("said", "other") and isinstance(span["quoted"], bool), span
            if span["label"] == "editorialized":
                assert isinstance(span["loaded"], bool), span
    assert len(articles["dev"]) == len(articles["heldout"]) == 3
    assert not articles["dev"] & articles["heldout"]


def test_spans_match_when_the_overlap_covers_half_the_shorter():
    assert eval_assist.matches(0, 10, 5, 100)  # 5 of the shorter's 10
    assert not eval_assist.matches(0, 10, 6, 100)  # 4 of 10
    assert not eval_assist.matches(0, 10, 10, 20)  # touching is no overlap
