"""Word units, one coder's labels per word, and Krippendorff's alpha (nominal)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.classroom.agreement import (
    alpha_band, class_alpha, krippendorff_alpha_nominal, reliability_data, unit_labels, word_units,
)
from annotator.classroom.matching import Span

N = None


def words(body):
    return [body[s:e] for s, e in word_units(body)]


# --- words --------------------------------------------------------------------------------

def test_words_are_runs_of_letters_and_digits():
    assert words("The mayor, 54, said: “no.”") == ["The", "mayor", "54", "said", "no"]


def test_apostrophes_inside_words_belong_to_them():
    assert words("Don't ask O’Brien's rock’n’roll") == ["Don't", "ask", "O’Brien's", "rock’n’roll"]


def test_quotes_around_a_word_are_not_part_of_it():
    assert words("'quoted' words’") == ["quoted", "words"]


def test_words_count_in_code_points_with_emoji_and_accents():
    body = "😀 café naïve"
    assert word_units(body) == [(2, 6), (7, 12)]


def test_combining_marks_stay_inside_the_word():
    assert words("हिन्दी e\u0301te") == ["हिन्दी", "e\u0301te"]


# --- one coder's labels -------------------------------------------------------------------

def test_uncovered_words_are_none_and_covered_words_take_the_label():
    body = "one two three four"
    units = word_units(body)
    assert unit_labels(units, [Span(4, 13, "disputed")]) == ["none", "disputed", "disputed", "none"]


def test_a_span_touching_part_of_a_word_covers_it():
    units = word_units("alpha beta")
    assert unit_labels(units, [Span(3, 4, "attributed")]) == ["attributed", "none"]


def test_a_span_ending_at_a_word_start_does_not_cover_it():
    units = word_units("alpha beta")
    assert unit_labels(units, [Span(0, 6, "attributed")]) == ["attributed", "none"]


def test_shortest_covering_span_decides_the_label():
    units = word_units("a b c d")
    spans = [Span(0, 7, "attributed"), Span(2, 5, "disputed")]
    assert unit_labels(units, spans) == ["attributed", "disputed", "disputed", "attributed"]
    assert unit_labels(units, list(reversed(spans))) == ["attributed", "disputed", "disputed", "attributed"]


def test_spans_may_be_plain_tuples():
    units = word_units("a b")
    assert unit_labels(units, [(0, 1, "editorialized")]) == ["editorialized", "none"]


# --- alpha --------------------------------------------------------------------------------

def test_krippendorffs_published_nominal_example():
    # "Computing Krippendorff's Alpha-Reliability" (2011), 4 observers x 12 units, with
    # missing values; unit 12 has a single value and is not pairable. Nominal alpha = 0.743.
    a = [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N]
    b = [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3]
    c = [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N]
    d = [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N]
    alpha = krippendorff_alpha_nominal([list(u) for u in zip(a, b, c, d)])
    assert alpha == pytest.approx(0.743, abs=5e-4)
    # By hand: n = 40 pairable values with marginals 9, 13, 10, 5, 3, so
    # sum_{c!=k} n_c n_k = 40^2 - (81 + 169 + 100 + 25 + 9) = 1216; the off-diagonal
    # coincidences come from units 2 (6/3), 6 (12/3) and 8 (6/3): 8 in all.
    assert alpha == pytest.approx(1 - 39 * 8 / 1216)


def test_hand_computed_two_coder_example():
    # units: (a,a) (a,b) (b,b) (b,b): o_ab = o_ba = 1; n_a = 3, n_b = 5, n = 8
    # alpha = 1 - (n-1) * 2 / (2 * 3 * 5) = 1 - 14/30
    data = [["a", "a"], ["a", "b"], ["b", "b"], ["b", "b"]]
    assert krippendorff_alpha_nominal(data) == pytest.approx(1 - 14 / 30)


def test_perfect_agreement_is_one():
    data = [["x", "x", "x"], ["y", "y", "y"], ["none", "none", "none"]]
    assert krippendorff_alpha_nominal(data) == 1.0


def test_systematic_disagreement_is_negative():
    data = [["x", "y"], ["y", "x"], ["x", "y"], ["y", "x"]]
    alpha = krippendorff_alpha_nominal(data)
    assert alpha < 0
    assert alpha == pytest.approx(1 - 7 * 8 / 32)  # n=8, o_xy+o_yx=8, n_x*n_y*2=32


def test_all_one_category_is_undefined():
    assert krippendorff_alpha_nominal([["none", "none"], ["none", "none"]]) is None


def test_no_pairable_unit_is_undefined():
    assert krippendorff_alpha_nominal([["x", None], [None, "y"], []]) is None
    assert krippendorff_alpha_nominal([]) is None


def test_units_with_one_value_are_dropped():
    base = [["a", "a"], ["a", "b"], ["b", "b"], ["b", "b"]]
    assert krippendorff_alpha_nominal(base + [["a", None, None]]) == krippendorff_alpha_nominal(base)


def test_missing_values_reduce_the_unit_weight():
    # Unit with 3 values: each ordered pair counts 1/(3-1). Hand computation:
    # units: [a,a,b], [b,b,None]; o_ab = o_ba = 2*(1/2) = 1 -> disagreement sum 2
    # n_a = 2, n_b = 3, n = 5 -> alpha = 1 - 4 * 2 / (2*2*3) = 1/3
    assert krippendorff_alpha_nominal([["a", "a", "b"], ["b", "b", None]]) == pytest.approx(1 / 3)


# --- class alpha --------------------------------------------------------------------------

BODY = "Police said the fire was arson.\nCritics call it a disgrace."


def test_reliability_data_has_one_row_per_word_and_one_value_per_student():
    data = reliability_data(BODY, {"ann": [Span(0, 11, "attributed")], "bob": []})
    assert len(data) == len(word_units(BODY))
    assert data[0] == ["attributed", "none"]
    assert data[-1] == ["none", "none"]


def test_class_with_identical_tags_agrees_perfectly():
    spans = [Span(0, 31, "attributed"), Span(32, 59, "editorialized")]
    assert class_alpha(BODY, {"ann": spans, "bob": list(spans), "cy": list(spans)}) == 1.0


def test_class_that_tagged_nothing_has_undefined_alpha():
    assert class_alpha(BODY, {"ann": [], "bob": []}) is None


def test_one_student_has_undefined_alpha():
    assert class_alpha(BODY, {"ann": [Span(0, 11, "attributed")]}) is None


def test_class_with_different_labels_on_the_same_words_agrees_less():
    same = class_alpha(BODY, {"a": [Span(0, 11, "attributed")], "b": [Span(0, 11, "attributed")]})
    differ = class_alpha(BODY, {"a": [Span(0, 11, "attributed")], "b": [Span(0, 11, "disputed")]})
    assert same == 1.0
    assert differ < same


def test_alpha_band_words():
    assert alpha_band(None) == "not enough to compare yet"
    assert alpha_band(0.85) == "strong agreement"
    assert alpha_band(0.7) == "moderate agreement"
    assert alpha_band(0.3) == "weak agreement"
    assert alpha_band(-0.2) == "no more agreement than chance"


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.sampled_from(["a", "b", "c", None]), min_size=3, max_size=3), max_size=15),
       st.permutations([0, 1, 2]))
def test_alpha_does_not_depend_on_coder_or_unit_order(data, order):
    shuffled = [[unit[i] for i in order] for unit in reversed(data)]
    a, b = krippendorff_alpha_nominal(data), krippendorff_alpha_nominal(shuffled)
    assert (a is None) == (b is None)
    if a is not None:
        assert a == pytest.approx(b)
        assert a <= 1.0 + 1e-12


spans_strategy = st.lists(
    st.tuples(st.integers(0, len(BODY)), st.integers(0, len(BODY)), st.sampled_from(["attributed", "disputed",
                                                                                    "editorialized"]))
    .map(lambda t: Span(min(t[0], t[1]), max(t[0], t[1]), t[2])),
    max_size=4,
)


@settings(max_examples=200, deadline=None)
@given(st.lists(spans_strategy, max_size=6))
def test_class_alpha_counted_sparsely_equals_the_full_units_by_coders_table(students):
    spans_by_student = {f"s{n}": spans for n, spans in enumerate(students)}
    sparse = class_alpha(BODY, spans_by_student)
    full = krippendorff_alpha_nominal(reliability_data(BODY, spans_by_student)) if len(students) >= 2 else None
    assert (sparse is None) == (full is None)
    if full is not None:
        assert sparse == pytest.approx(full)
