"""The match rule, one-to-one pairing, scores, link credit and the confusion matrix."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.classroom.matching import (
    EXTRA, MISSED, Feedback, LinkSpec, Score, Span, confusion, confusion_matrix, grade, overlap, percent,
    spans_match,
)


def K(id, start, end, label, explanation=""):
    return Span(start, end, label, id, explanation)


def S(id, start, end, label):
    return Span(start, end, label, id)


# --- the match rule ---------------------------------------------------------------------

def test_overlap_of_exactly_half_the_shorter_span_matches():
    assert spans_match(Span(0, 10), Span(5, 30))  # shorter is 10, overlap 5


def test_overlap_just_under_half_the_shorter_span_does_not_match():
    assert not spans_match(Span(0, 10), Span(6, 30))  # overlap 4 of 10


def test_half_of_an_odd_length_span_rounds_against_the_match():
    # shorter is 9: 4 code points are under half, 5 are over
    assert not spans_match(Span(0, 9), Span(5, 40))
    assert spans_match(Span(0, 9), Span(4, 40))


def test_a_short_key_claim_inside_a_long_student_span_matches():
    assert spans_match(Span(100, 110), Span(0, 500))


def test_spans_that_only_touch_do_not_match():
    assert overlap(Span(0, 10), Span(10, 20)) == 0
    assert not spans_match(Span(0, 10), Span(10, 20))


def test_empty_span_matches_nothing():
    assert not spans_match(Span(5, 5), Span(0, 10))


def test_match_is_symmetric():
    a, b = Span(3, 17), Span(10, 12)
    assert spans_match(a, b) == spans_match(b, a)


# --- pairing and outcomes -----------------------------------------------------------------

def test_same_span_same_label_is_found():
    fb = grade([K(1, 0, 10, "attributed", "Says who.")], [S(7, 0, 10, "attributed")])
    [item] = fb.items
    assert item.outcome == "found"
    assert item.student.id == 7
    assert item.explanation == "Says who."
    assert fb.extras == []


def test_matching_span_with_another_label_is_other_label_and_keeps_the_students_label():
    fb = grade([K(1, 0, 10, "attributed")], [S(7, 2, 10, "disputed")])
    [item] = fb.items
    assert item.outcome == "other_label"
    assert item.student_label == "disputed"
    assert fb.extras == []


def test_key_claim_without_matching_student_claim_is_missed():
    fb = grade([K(1, 0, 10, "attributed")], [S(7, 50, 60, "attributed")])
    assert fb.items[0].outcome == "missed"
    assert fb.items[0].student is None
    assert [s.id for s in fb.extras] == [7]


def test_two_student_spans_over_one_key_claim_one_pairs_and_the_other_is_extra():
    fb = grade([K(1, 0, 20, "disputed")], [S(7, 0, 12, "disputed"), S(8, 0, 20, "disputed")])
    assert fb.items[0].outcome == "found"
    assert fb.items[0].student.id == 8  # the longer overlap wins
    assert [s.id for s in fb.extras] == [7]


def test_right_label_is_preferred_over_longer_overlap():
    fb = grade([K(1, 0, 20, "disputed")], [S(7, 0, 20, "attributed"), S(8, 0, 12, "disputed")])
    assert fb.items[0].outcome == "found"
    assert fb.items[0].student.id == 8
    assert [s.id for s in fb.extras] == [7]


def test_one_student_span_over_two_key_claims_pairs_with_one_only():
    key = [K(1, 0, 10, "attributed"), K(2, 10, 20, "attributed")]
    fb = grade(key, [S(7, 0, 20, "attributed")])
    assert [i.outcome for i in fb.items] == ["found", "missed"]
    assert fb.counts == {"found": 1, "other_label": 0, "missed": 1, "extra": 0}


def test_greedy_pairing_gives_each_key_claim_its_best_free_student_claim():
    key = [K(1, 0, 10, "attributed"), K(2, 12, 30, "editorialized")]
    student = [S(7, 0, 30, "editorialized"), S(8, 0, 9, "attributed")]
    fb = grade(key, student)
    assert [(i.outcome, i.student.id) for i in fb.items] == [("found", 8), ("found", 7)]
    assert fb.extras == []


def test_claims_on_different_articles_never_pair():
    class Claim:
        def __init__(self, id, article_id, start, end, label):
            self.id, self.article_id, self.start, self.end, self.label = id, article_id, start, end, label

    fb = grade([Claim(1, 10, 0, 10, "attributed")], [Claim(7, 11, 0, 10, "attributed"), Claim(8, 10, 2, 10, "attributed")])
    assert fb.items[0].student.id == 8
    assert [s.id for s in fb.extras] == [7]


def test_no_key_and_no_claims_gives_empty_feedback():
    fb = grade([], [])
    assert fb.items == [] and fb.extras == []
    assert fb.overall.precision is None and fb.overall.recall is None and fb.overall.f1 is None
    assert fb.link_credit == (0, 0)


# --- scores -------------------------------------------------------------------------------

@pytest.fixture
def mixed():
    key = [
        K(1, 0, 10, "attributed"),
        K(2, 20, 30, "attributed"),
        K(3, 40, 50, "editorialized"),
        K(4, 60, 70, "disputed"),
    ]
    student = [
        S(11, 0, 10, "attributed"),      # found (attributed TP)
        S(12, 20, 30, "editorialized"),  # other_label: key attributed, student editorialized
        S(13, 40, 50, "editorialized"),  # found (editorialized TP)
        S(14, 80, 90, "editorialized"),  # extra
    ]                                    # key 4 (disputed) missed
    return grade(key, student)


def test_per_label_precision_recall_f1_by_hand(mixed):
    a = mixed.per_label["attributed"]      # TP 1, student 1, key 2
    assert (a.tp, a.n_student, a.n_key) == (1, 1, 2)
    assert a.precision == 1.0 and a.recall == 0.5 and a.f1 == pytest.approx(2 / 3)
    e = mixed.per_label["editorialized"]   # TP 1, student 3, key 1
    assert (e.tp, e.n_student, e.n_key) == (1, 3, 1)
    assert e.precision == pytest.approx(1 / 3) and e.recall == 1.0 and e.f1 == pytest.approx(0.5)


def test_label_the_student_never_used_has_undefined_precision_and_zero_f1(mixed):
    d = mixed.per_label["disputed"]        # TP 0, student 0, key 1
    assert d.precision is None
    assert d.recall == 0.0
    assert d.f1 == 0.0


def test_label_absent_from_both_sides_is_undefined_everywhere():
    fb = grade([K(1, 0, 10, "attributed")], [S(7, 0, 10, "attributed")])
    d = fb.per_label["disputed"]
    assert (d.precision, d.recall, d.f1) == (None, None, None)
    assert (d.precision_display, d.recall_display, d.f1_display) == ("—", "—", "—")


def test_label_only_the_student_used_has_undefined_recall():
    fb = grade([], [S(7, 0, 10, "disputed")])
    d = fb.per_label["disputed"]
    assert d.precision == 0.0 and d.recall is None and d.f1 == 0.0


def test_overall_scores_are_micro_averaged(mixed):
    o = mixed.overall                      # TP 2 of 4 student claims, of 4 key claims
    assert (o.tp, o.n_student, o.n_key) == (2, 4, 4)
    assert o.precision == 0.5 and o.recall == 0.5 and o.f1 == 0.5


def test_f1_equals_harmonic_mean_when_both_are_defined():
    s = Score(tp=2, n_student=5, n_key=3)
    p, r = s.precision, s.recall
    assert s.f1 == pytest.approx(2 * p * r / (p + r))


def test_all_wrong_gives_zero_not_undefined():
    s = Score(tp=0, n_student=2, n_key=2)
    assert (s.precision, s.recall, s.f1) == (0.0, 0.0, 0.0)


def test_percent_formats_and_shows_a_dash_for_undefined():
    assert percent(2 / 3) == "67%"
    assert percent(None) == "—"
    assert Score(1, 2, 2).f1_display == "50%"


def test_outcome_counts(mixed):
    assert mixed.counts == {"found": 2, "other_label": 1, "missed": 1, "extra": 1}
    assert isinstance(mixed, Feedback)


# --- link credit --------------------------------------------------------------------------

def key_with_link():
    key = [K(1, 0, 10, "attributed")]
    key_links = [LinkSpec(1, "contradicts", "other-article", 100, 120)]
    return key, key_links


def test_link_with_same_relation_and_matching_target_earns_credit():
    key, key_links = key_with_link()
    fb = grade(key, [S(7, 0, 10, "attributed")], key_links, [LinkSpec(7, "contradicts", "other-article", 105, 125)])
    assert fb.link_credit == (1, 1)
    assert fb.items[0].links_earned == 1


def test_link_with_other_relation_earns_nothing():
    key, key_links = key_with_link()
    fb = grade(key, [S(7, 0, 10, "attributed")], key_links, [LinkSpec(7, "corroborates", "other-article", 100, 120)])
    assert fb.link_credit == (0, 1)


def test_link_to_another_article_earns_nothing():
    key, key_links = key_with_link()
    fb = grade(key, [S(7, 0, 10, "attributed")], key_links, [LinkSpec(7, "contradicts", "third-article", 100, 120)])
    assert fb.link_credit == (0, 1)


def test_link_whose_target_does_not_match_earns_nothing():
    key, key_links = key_with_link()
    fb = grade(key, [S(7, 0, 10, "attributed")], key_links, [LinkSpec(7, "contradicts", "other-article", 111, 200)])
    assert fb.link_credit == (0, 1)


def test_link_from_an_unpaired_student_claim_earns_nothing():
    key, key_links = key_with_link()
    student = [S(7, 0, 10, "attributed"), S(8, 300, 310, "attributed")]
    fb = grade(key, student, key_links, [LinkSpec(8, "contradicts", "other-article", 100, 120)])
    assert fb.link_credit == (0, 1)


def test_link_from_a_claim_paired_with_another_label_still_earns_credit():
    key, key_links = key_with_link()
    fb = grade(key, [S(7, 0, 10, "disputed")], key_links, [LinkSpec(7, "contradicts", "other-article", 100, 120)])
    assert fb.items[0].outcome == "other_label"
    assert fb.link_credit == (1, 1)


def test_link_of_a_missed_key_claim_counts_as_possible_but_not_earned():
    key, key_links = key_with_link()
    fb = grade(key, [], key_links, [])
    assert fb.link_credit == (0, 1)


def test_one_student_link_earns_at_most_one_key_link():
    key = [K(1, 0, 10, "attributed")]
    key_links = [LinkSpec(1, "contradicts", "x", 100, 120), LinkSpec(1, "contradicts", "x", 102, 122)]
    fb = grade(key, [S(7, 0, 10, "attributed")], key_links, [LinkSpec(7, "contradicts", "x", 100, 120)])
    assert fb.link_credit == (1, 2)


def test_links_given_as_model_like_rows_use_source_annotation_id_and_to_article_id():
    class Row:
        def __init__(self, source_annotation_id, relation, to_article_id, to_start, to_end):
            self.source_annotation_id, self.relation = source_annotation_id, relation
            self.to_article_id, self.to_start, self.to_end = to_article_id, to_start, to_end

    key, _ = key_with_link()
    fb = grade(key, [S(7, 0, 10, "attributed")], [Row(1, "contradicts", 5, 100, 120)], [Row(7, "contradicts", 5, 100, 120)])
    assert fb.link_credit == (1, 1)


# --- confusion matrix ---------------------------------------------------------------------

def test_confusion_matrix_counts_one_student(mixed):
    m = confusion_matrix(mixed)
    assert m.rows == ["attributed", "editorialized", "disputed", EXTRA]
    assert m.columns == ["attributed", "editorialized", "disputed", MISSED]
    assert m.cell("attributed", "attributed") == 1
    assert m.cell("attributed", "editorialized") == 1
    assert m.cell("editorialized", "editorialized") == 1
    assert m.cell("disputed", MISSED) == 1
    assert m.cell(EXTRA, "editorialized") == 1
    assert m.total == 5  # 4 key claims + 1 extra
    assert m.max == 1


def test_confusion_matrix_adds_up_many_students(mixed):
    other = grade([K(1, 0, 10, "attributed")], [S(9, 0, 10, "attributed")])
    m = confusion_matrix([mixed, other, other])
    assert m.cell("attributed", "attributed") == 3
    assert m.counts == [
        [3, 1, 0, 0],
        [0, 1, 0, 0],
        [0, 0, 0, 1],
        [0, 1, 0, 0],
    ]
    assert m.table()[0] == ("attributed", [("attributed", 3), ("editorialized", 1), ("disputed", 0), ("missed", 0)])


def test_confusion_from_pairs_keeps_unexpected_labels():
    m = confusion([("attributed", "opinion"), (EXTRA, "attributed")])
    assert m.columns == ["attributed", "editorialized", "disputed", "opinion", MISSED]
    assert m.cell("attributed", "opinion") == 1


def test_empty_confusion_matrix_is_all_zero():
    m = confusion_matrix([])
    assert m.total == 0 and m.max == 0
    assert len(m.counts) == 4 and all(len(r) == 4 for r in m.counts)


# --- invariants over random claims ----------------------------------------------------------

LABEL = st.sampled_from(["attributed", "editorialized", "disputed"])
SPAN = st.tuples(st.integers(0, 60), st.integers(1, 25), LABEL)


def claims(raw, first_id):
    return [Span(start, start + length, label, first_id + i) for i, (start, length, label) in enumerate(raw)]


@settings(max_examples=200, deadline=None)
@given(st.lists(SPAN, max_size=8), st.lists(SPAN, max_size=8))
def test_every_claim_is_accounted_for_exactly_once(raw_key, raw_student):
    key, student = claims(raw_key, 1), claims(raw_student, 100)
    fb = grade(key, student)
    paired = [item.student.id for item in fb.items if item.student is not None]
    assert len(paired) == len(set(paired))  # one-to-one
    assert sorted(paired + [s.id for s in fb.extras]) == [s.id for s in student]
    for item in fb.items:
        if item.student is not None:
            assert spans_match(item.key, item.student)
            assert (item.outcome == "found") == (item.key.label == item.student.label)
    m = confusion_matrix(fb)
    assert m.total == len(key) + len(fb.extras)
    o = fb.overall
    assert o.tp == fb.counts["found"]
    for value in (o.precision, o.recall, o.f1):
        assert value is None or 0 <= value <= 1


@settings(max_examples=100, deadline=None)
@given(st.lists(SPAN, min_size=1, max_size=6))
def test_grading_the_key_against_itself_is_perfect(raw):
    key = claims(raw, 1)
    fb = grade(key, [s._replace(id=s.id + 100) for s in key])
    assert fb.overall.f1 == 1.0
    assert fb.extras == []
