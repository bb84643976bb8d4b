"""Coverage heat map, confusion table and bar chart: content, escaping, and how they look."""

import re
from pathlib import Path

import pytest

from annotator.classroom.agreement import alpha_band, class_alpha
from annotator.classroom.charts import (
    confusion_html, coverage_html, coverage_segments, per_label_rows, score_bars_svg,
)
from annotator.classroom.matching import Span, confusion, confusion_matrix, grade

ROOT = Path(__file__).resolve().parent.parent
SHOTS = Path("/tmp/shots")


def seg_view(segments):
    return [(s.start, s.end, s.paragraph, s.count, s.labels) for s in segments]


# --- coverage segments --------------------------------------------------------------------

def test_untagged_body_is_one_segment_per_paragraph():
    segments = coverage_segments("abc\ndefg", {"ann": []})
    assert seg_view(segments) == [(0, 3, 0, 0, {}), (4, 8, 1, 0, {})]


def test_segments_are_cut_at_every_claim_boundary_with_counts():
    body = "0123456789"
    spans = {"ann": [Span(2, 6, "attributed")], "bob": [Span(4, 8, "disputed")]}
    assert seg_view(coverage_segments(body, spans)) == [
        (0, 2, 0, 0, {}),
        (2, 4, 0, 1, {"attributed": 1}),
        (4, 6, 0, 2, {"attributed": 1, "disputed": 1}),
        (6, 8, 0, 1, {"disputed": 1}),
        (8, 10, 0, 0, {}),
    ]


def test_a_claim_ending_where_another_starts_is_not_counted_twice():
    spans = {"ann": [Span(0, 5, "attributed")], "bob": [Span(5, 10, "attributed")]}
    assert [s.count for s in coverage_segments("0123456789", spans)] == [1, 1]


def test_a_claim_crossing_a_paragraph_break_counts_in_both_paragraphs_but_not_the_newline():
    body = "abcd\nefgh"
    segments = coverage_segments(body, {"ann": [Span(2, 7, "editorialized")]})
    assert seg_view(segments) == [
        (0, 2, 0, 0, {}),
        (2, 4, 0, 1, {"editorialized": 1}),
        (5, 7, 1, 1, {"editorialized": 1}),
        (7, 9, 1, 0, {}),
    ]
    assert all("\n" not in s.text for s in segments)


def test_a_student_counts_once_with_the_shortest_claims_label():
    spans = {"ann": [Span(0, 10, "attributed"), Span(3, 5, "disputed")]}
    middle = [s for s in coverage_segments("0123456789", spans) if s.start == 3][0]
    assert middle.count == 1
    assert middle.labels == {"disputed": 1}


def test_segment_dominant_label_and_tie():
    spans = {"a": [Span(0, 4, "disputed")], "b": [Span(0, 4, "disputed")], "c": [Span(0, 4, "attributed")],
             "d": [Span(0, 2, "attributed")]}
    first, second = coverage_segments("0123", spans)
    assert first.dominant == "mixed"  # 2 disputed, 2 attributed
    assert second.dominant == "disputed"
    assert first.summary() == "2 attributed, 2 disputed"


def test_empty_paragraphs_have_no_segments():
    assert [s.paragraph for s in coverage_segments("ab\n\ncd", {})] == [0, 2]


# --- coverage html ------------------------------------------------------------------------

def test_coverage_html_shades_by_share_of_students_and_titles_the_counts():
    body = "0123456789"
    spans = {"a": [Span(0, 5, "attributed")], "b": [Span(0, 5, "attributed")], "c": [Span(0, 5, "disputed")]}
    html = str(coverage_html(body, spans, n_students=5))
    assert 'class="heat heat-3 heat-attributed"' in html  # 3 of 5 = 60% -> bucket 3
    assert 'title="3 of 5 students: 2 attributed, 1 disputed"' in html
    assert '<span class="sr-only">(3 of 5: 2 attributed, 1 disputed)</span>' in html
    assert "56789" in html and 'data-o="0"' in html


def test_coverage_html_announces_only_where_counts_change():
    spans = {"a": [Span(0, 4, "attributed"), Span(4, 8, "attributed")]}
    html = str(coverage_html("0123456789", spans, n_students=1))
    assert html.count("(1 of 1: 1 attributed)") == 1
    assert html.count("(untagged)") == 1


def test_every_student_gives_heat_5_and_one_of_many_gives_heat_1():
    spans = {f"s{i}": [] for i in range(30)}
    spans["s0"] = [Span(0, 2, "attributed")]
    assert "heat-1 " in str(coverage_html("ab cd", spans))
    all_of_them = {f"s{i}": [Span(0, 2, "attributed")] for i in range(3)}
    assert "heat-5 " in str(coverage_html("ab cd", all_of_them))


def test_coverage_legend_lists_the_counts_each_shade_stands_for():
    html = str(coverage_html("abc", {"a": []}, n_students=10))
    for text in ("1–2", "3–4", "5–6", "7–8", "9–10"):
        assert f"</span>{text}</li>" in html


def test_coverage_html_escapes_article_text():
    html = str(coverage_html('<script>alert("x")</script> & more', {"a": [Span(0, 8, "disputed")]}))
    assert "<script>" not in html
    assert "&lt;script&gt;" in html and "&amp; more" in html


def test_coverage_headline_class_on_first_paragraph_only_when_asked():
    assert "coverage-headline" not in str(coverage_html("Head\nBody", {}, 0))
    assert '<p class="coverage-headline" data-p="0">' in str(coverage_html("Head\nBody", {}, 0, headline=True))


def test_coverage_with_no_students_draws_plain_text():
    html = str(coverage_html("Just text.", {}, n_students=0))
    assert "Just text." in html and "<mark" not in html


# --- confusion table ----------------------------------------------------------------------

def sample_matrix():
    return confusion([("attributed", "attributed")] * 4 + [("attributed", "disputed")] * 2
                     + [("disputed", "missed")] + [("extra", "editorialized")] * 3)


def test_confusion_html_is_a_table_with_scoped_headers():
    html = str(confusion_html(sample_matrix()))
    assert html.count('<th scope="col"') == 1 + 4 + 1  # axis, columns, total
    assert html.count('<th scope="row"') == 4
    assert "<caption>" in html


def test_confusion_html_shades_relative_to_the_largest_count_and_marks_the_diagonal():
    html = str(confusion_html(sample_matrix()))
    assert '<td class="cm-5 cm-diag">4</td>' in html  # the max
    assert '<td class="cm-3">2</td>' in html  # 2/4 -> bucket 3 (rounded up)
    assert '<td class="cm-0 cm-diag">0</td>' in html  # disputed x disputed
    assert '<td class="cm-4 cm-edge">3</td>' in html  # extra, 3/4
    assert 'class="cm-na"' in html


def test_confusion_html_row_totals():
    html = str(confusion_html(sample_matrix()))
    assert re.search(r'Attributed</span>.*?</th>.*?<td class="cm-total">6</td>', html)


def test_confusion_html_escapes_and_has_no_style_attribute():
    html = str(confusion_html(confusion([("<b>x</b>", "attributed")]), caption="a < b"))
    assert "<b>" not in html and "&lt;b&gt;x&lt;/b&gt;" in html and "a &lt; b" in html
    assert "style=" not in html


def test_confusion_html_short_names_for_phones_are_hidden_from_screen_readers():
    html = str(confusion_html(sample_matrix()))
    assert '<span class="cm-long">Editorialized</span><span class="cm-short" aria-hidden="true">Edit.</span>' in html
    assert 'role="region" tabindex="0"' in html


def test_confusion_html_of_empty_matrix():
    html = str(confusion_html(confusion_matrix([])))
    assert "cm-0" in html and "cm-5" not in html


# --- bar chart ----------------------------------------------------------------------------

def test_bars_are_an_accessible_image_with_title_and_values_in_text():
    svg = str(score_bars_svg([("Ann", 0.8), ("Bob", None)], title="F1 per student", id_prefix="t"))
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert 'aria-labelledby="t-title t-desc"' in svg
    assert '<title id="t-title">F1 per student</title>' in svg
    assert "Ann: 80%; Bob: no data" in svg
    assert ">80%</text>" in svg and ">no data</text>" in svg


def test_bar_width_is_proportional_to_the_value():
    svg = str(score_bars_svg([("Half", 0.5), ("Full", 1.0)], id_prefix="w"))
    widths = re.findall(r'<rect x="0" y="[\d.]+" width="([\d.]+%)" height="14" rx="2" fill="url', svg)
    assert widths == ["50%", "100%"]


def test_bars_use_the_palette_and_a_pattern_per_label():
    rows = [("P", 0.5, "attributed"), ("P", 0.5, "editorialized"), ("P", 0.5, "disputed"), ("All", 0.5)]
    svg = str(score_bars_svg(rows, id_prefix="p"))
    for colour in ("#1d4ed8", "#a16207", "#be123c", "#5b636b"):
        assert colour in svg
    assert 'fill="url(#p-editorialized)"' in svg and "patternTransform" in svg  # stripes
    assert "<circle" in svg  # dots for disputed
    assert "striped bars: editorialized" in svg


def test_bar_chart_has_axis_ticks_and_label():
    svg = str(score_bars_svg([("A", 0.3)], axis_label="F1 score", id_prefix="a"))
    for tick in ("0%", "25%", "50%", "75%", "100%"):
        assert f">{tick}</text>" in svg
    assert ">F1 score</text>" in svg


def test_bar_chart_groups_get_one_heading():
    svg = str(score_bars_svg([("P", 1, "disputed", "Disputed"), ("R", 0.5, "disputed", "Disputed")], id_prefix="g"))
    assert svg.count(">Disputed</text>") == 1


def test_bar_chart_escapes_labels_and_has_no_style_attribute():
    svg = str(score_bars_svg([('<img src=x onerror="y">', 0.5)], title="<T>", axis_label="a & b"))
    assert "<img" not in svg and "&lt;img" in svg and "&lt;T&gt;" in svg and "a &amp; b" in svg
    assert "style=" not in svg


def test_values_outside_zero_to_one_are_clamped():
    svg = str(score_bars_svg([("Over", 1.7), ("Under", -1)], id_prefix="c"))
    assert ">100%</text>" in svg and ">0%</text>" in svg


def test_per_label_rows_from_feedback():
    fb = grade([Span(0, 5, "attributed", 1)], [Span(0, 5, "attributed", 2)])
    rows = per_label_rows(fb.per_label, fb.overall)
    assert rows[0] == ("Precision", 1.0, "attributed", "Attributed")
    assert ("F1", None, "disputed", "Disputed") in rows
    assert rows[-1] == ("F1", 1.0, "neutral", "All labels")


def test_no_chart_writes_a_style_attribute():
    html = str(coverage_html("a b c", {"x": [Span(0, 3, "attributed")]})) + str(confusion_html(sample_matrix()))
    html += str(score_bars_svg([("a", 0.1, "disputed")]))
    assert not re.search(r"\sstyle\s*=", html)


# --- a sample dashboard, looked at in Chromium --------------------------------------------

ARTICLE = (
    "Mayor’s “reckless” harbour plan faces fresh doubts\n"
    "The mayor said on Tuesday that the new harbour would create 4,000 jobs within two years. "
    "Officials at the port authority, speaking on condition of anonymity, said the figure was "
    "“wildly optimistic.”\n"
    "Critics call the plan a reckless gamble with public money. A spokesperson for the Green "
    "group said the dredging would destroy the estuary’s last seagrass beds.\n"
    "According to the city’s own 2023 study, similar projects elsewhere produced fewer than half "
    "the promised jobs."
)


def _find(phrase, label, id=None):
    start = ARTICLE.index(phrase)
    return Span(start, start + len(phrase), label, id)


def sample_class():
    key = [
        _find("reckless", "editorialized", 1)._replace(explanation="A judgement in the headline, not a fact."),
        _find("The mayor said on Tuesday that the new harbour would create 4,000 jobs within two years", "attributed", 2),
        _find("said the figure was “wildly optimistic.”", "disputed", 3),
        _find("Critics call the plan a reckless gamble with public money", "editorialized", 4),
        _find("According to the city’s own 2023 study", "attributed", 5),
    ]
    base = {
        "Amira K.": [(1, "editorialized"), (2, "attributed"), (3, "disputed"), (4, "editorialized")],
        "Ben <Lee>": [(2, "attributed"), (3, "attributed"), (4, "editorialized")],
        "Chloé D.": [(1, "editorialized"), (2, "attributed"), (4, "disputed"), (5, "attributed")],
        "Dev P.": [(2, "attributed"), (3, "disputed")],
        "Ella M.": [(1, "disputed"), (2, "attributed"), (3, "disputed"), (4, "editorialized"), (5, "attributed")],
        "Finn O.": [],
    }
    by_id = {k.id: k for k in key}
    students, sid = {}, 100
    for name, picks in base.items():
        spans = []
        for key_id, label in picks:
            sid += 1
            spans.append(Span(by_id[key_id].start, by_id[key_id].end, label, sid))
        students[name] = spans
    sid += 1
    students["Ben <Lee>"].append(_find("destroy the estuary’s last seagrass beds", "disputed", sid))
    return key, students


def sample_dashboard_page():
    from annotator.classroom.matching import percent

    key, students = sample_class()
    feedbacks = {name: grade(key, spans) for name, spans in students.items()}
    matrix = confusion_matrix(feedbacks.values())
    alpha = class_alpha(ARTICLE, students)
    f1_rows = [(name, fb.overall.f1) for name, fb in feedbacks.items()]
    found = sum(fb.counts["found"] for fb in feedbacks.values())
    amira = feedbacks["Amira K."]
    css = "".join(f'<link rel="stylesheet" href="{(ROOT / "static/css" / name).as_uri()}">'
                  for name in ("site.css", "classroom.css"))
    items = []
    for item in amira.items:
        quote = ARTICLE[item.key.start:item.key.end]
        extra = f" — you said {item.student_label}" if item.outcome == "other_label" else ""
        items.append(f'<li class="feedback-item {item.outcome}"><p class="feedback-head"><span class="outcome {item.outcome}">'
                     f'{item.outcome_text}</span><span class="chip {item.label}">{item.label}</span>{extra}</p>'
                     f'<blockquote>{quote}</blockquote>'
                     + (f'<p class="explanation">{item.explanation}</p>' if item.explanation else "") + "</li>")
    items.append('<li class="feedback-item extra"><p class="feedback-head"><span class="outcome extra">Not in the key</span>'
                 '<span class="chip disputed">disputed</span></p><blockquote>destroy the estuary’s last seagrass beds'
                 '</blockquote><p class="help">Bring it to the discussion.</p></li>')
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Class dashboard sample</title>{css}</head>
<body><main>
<div class="dashboard-head"><h1>Harbour plan: who says so?</h1><p class="meta">6 students · 5 key claims</p></div>
<ul class="stats">
<li class="stat"><span class="stat-value">{alpha:.2f}</span><span class="stat-label">Class agreement (α)</span>
<span class="stat-note">{alpha_band(alpha)}</span></li>
<li class="stat found"><span class="stat-value">{found}</span><span class="stat-label">Key claims found</span></li>
<li class="stat missed"><span class="stat-value">{sum(fb.counts["missed"] for fb in feedbacks.values())}</span>
<span class="stat-label">Missed</span></li>
<li class="stat extra"><span class="stat-value">{sum(fb.counts["extra"] for fb in feedbacks.values())}</span>
<span class="stat-label">Not in the key</span></li>
</ul>
<div class="dashboard-grid">
<section class="panel wide"><h2>Where the class tagged</h2>{coverage_html(ARTICLE, students, headline=True)}</section>
<section class="panel"><h2>Labels: answer key against students</h2>{confusion_html(matrix)}
<p class="confusion-note">Outlined cells: the student gave the key's label.</p></section>
<section class="panel"><h2>F1 per student</h2><figure class="score-bars">{score_bars_svg(f1_rows, title="F1 per student", axis_label="F1 score")}</figure></section>
<section class="panel"><h2>Amira's scores per label</h2><figure class="score-bars">
{score_bars_svg(per_label_rows(amira.per_label, amira.overall), title="Precision, recall and F1 per label")}</figure>
<p class="help">Overall F1 {percent(amira.overall.f1)}.</p></section>
<section class="panel"><h2>Amira's feedback</h2><ol class="feedback-list">{"".join(items)}</ol></section>
</div></main></body></html>"""


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 390])
def test_sample_dashboard_renders_without_overflow(page, width):
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / "charts-sample.html"
    path.write_text(sample_dashboard_page(), encoding="utf-8")
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(path.as_uri())
    page.screenshot(path=str(SHOTS / f"charts-{width}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.locator("mark.heat").count() > 5
    assert page.locator("svg.score-bars-svg").count() == 2
    # The class stylesheet is applied: shaded heat marks and a coloured matrix maximum.
    assert page.eval_on_selector("mark.heat-5", "e => getComputedStyle(e).backgroundColor") != "rgba(0, 0, 0, 0)"
    assert page.eval_on_selector("td.cm-5", "e => getComputedStyle(e).color") == "rgb(255, 255, 255)"
