"""Printed handouts and annotated prints: printed to PDF by Chromium (Playwright's page.pdf) and
read back with pypdf, so what is tested is what comes out of the printer."""

import io
import os
import unicodedata

import pytest
from pypdf import PdfReader

from annotator.annotations.printing import Mark, paragraphs

from .browser import sign_in
from .factories import BODY_B, make_article, make_claim, make_class, make_exercise, make_teacher, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STORY = ("Bridge to reopen in May\n"
         "The transport office said the bridge will reopen in May, officials say.\n"
         "Critics call the plan a reckless gamble with public money.\n"
         "\n"
         "Inspectors doubt the date, a report says.")


def printed(page, live_server, path, shot=None):
    """The text of each page of the PDF Chromium prints from `path` (A4)."""
    page.goto(live_server.url + path)
    if shot and os.environ.get("SCREENSHOTS"):
        page.screenshot(path=os.path.join(os.environ["SCREENSHOTS"], f"{shot}.png"), full_page=True)
        # What the paper looks like: print media at the width of A4 (210 mm at 96 dpi).
        page.set_viewport_size({"width": 794, "height": 1123})
        page.emulate_media(media="print")
        page.screenshot(path=os.path.join(os.environ["SCREENSHOTS"], f"{shot}-print.png"), full_page=True)
        page.emulate_media(media="screen")
    pdf = page.pdf(format="A4", print_background=True)
    if shot and os.environ.get("SCREENSHOTS"):
        with open(os.path.join(os.environ["SCREENSHOTS"], f"{shot}.pdf"), "wb") as out:
            out.write(pdf)
    # NFKC: Chromium's PDF keeps ligatures ("ﬃ") that a reader of the text means as letters.
    return [" ".join(unicodedata.normalize("NFKC", p.extract_text()).split()) for p in PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture
def lesson_on_paper(db):
    teacher, sam = make_teacher("teach"), make_user("sam")
    bridge, other = make_article("bridge", STORY), make_article("other", BODY_B)
    exercise = make_exercise(make_class(teacher, [sam]), [bridge, other], title="Who says so?",
                             instructions="Find every claim and say whose it is.", labels=["attributed", "editorialized"])
    make_claim(teacher, bridge, "a reckless gamble", "editorialized", exercise=exercise, key=True,
               explanation="The critics' verdict, stated without evidence.")
    make_claim(teacher, bridge, "The transport office said", exercise=exercise, key=True, source="transport office",
               explanation="Handed to the office.")
    make_claim(sam, bridge, "Inspectors doubt the date", "editorialized", exercise=exercise)
    return {"exercise": exercise, "teacher": teacher, "sam": sam, "bridge": bridge}


def test_the_students_handout_prints_one_article_a_page_with_numbered_paragraphs_guide_and_space(
        lesson_on_paper, live_server, page):
    sign_in(page, live_server, "sam")
    pages = printed(page, live_server, f"/exercises/{lesson_on_paper['exercise'].pk}/print/", "handout-student")
    text = " ".join(pages)
    first = next(p for p in pages if "Bridge to reopen" in p)
    assert "Name:" in first and "Find every claim and say whose it is." in first
    assert "Who says so?" in first and "Whose judgement is this?" in first and "Who contests it?" not in first
    # Numbered paragraphs: the blank line is not a paragraph.
    assert "2 The transport office said" in first and "4 Inspectors doubt the date" in first
    assert "Your claims" in text
    # Neither the key nor anyone's work is on the students' paper, nor the site's header.
    assert "reckless gamble" in text and "[1]" not in text and "Why:" not in text and "critics' verdict" not in text
    assert "Sign out" not in text and "My classes" not in text
    # The second article starts a new page.
    assert any(p.lstrip().startswith("Who says so?") and "PressTV story" in p for p in pages[1:])


def test_the_teachers_handout_numbers_the_key_in_the_margin_and_explains_it_at_the_end(
        lesson_on_paper, live_server, page):
    sign_in(page, live_server, "teach")
    text = " ".join(printed(page, live_server, f"/exercises/{lesson_on_paper['exercise'].pk}/print/key/",
                            "handout-teacher"))
    assert "Teacher's version" in text
    assert "said[1]" in text.replace(" ", "") and "gamble[2]" in text.replace(" ", "")
    assert "[1] attributed: transport office" in text and "[2] editorialized" in text
    key = text[text.index("The key"):]
    assert key.index("Handed to the office.") < key.index("The critics' verdict, stated without evidence.")
    assert "source: transport office" in key
    # The students' work is not the key.
    assert "[3]" not in text


def test_an_annotated_print_shows_the_readers_own_claims_as_numbered_margin_notes(db, live_server, page):
    reader, other = make_user("reader"), make_user("other")
    bridge = make_article("bridge", STORY)
    make_claim(reader, bridge, "reckless gamble", "editorialized", note="Loaded words.")
    make_claim(reader, bridge, "The transport office said", source="transport office")
    make_claim(other, bridge, "Inspectors doubt", "disputed", visibility="public", note="Someone else's.")
    sign_in(page, live_server, "reader")
    text = " ".join(printed(page, live_server, "/articles/bridge/print/", "article-print"))
    assert "2 The transport office said" in text
    assert "said[1]" in text.replace(" ", "") and "[1] attributed 3 Critics" in text
    assert "[2] editorialized: Loaded words." in text and "My claims" in text and "source: transport office" in text
    assert "Someone else's." not in text and "[3]" not in text


def test_overlapping_marks_are_all_drawn_and_numbered_where_they_end():
    drawn = paragraphs("Title\nPutin urged restraint, the Kremlin said.",
                       [Mark(6, 27, 1, "attributed"), Mark(12, 45, 2, "disputed")])
    assert [p.number for p in drawn] == [1, 2] and [m.number for m in drawn[1].marks] == [1, 2]
    assert drawn[1].html == (
        '<mark class="print-attributed">Putin </mark><mark class="print-attributed print-disputed">urged restraint'
        '</mark><sup class="print-ref">[1]</sup><mark class="print-disputed">, the Kremlin said</mark>'
        '<sup class="print-ref">[2]</sup>.')
    assert paragraphs("<b>x</b>")[0].html == "&lt;b&gt;x&lt;/b&gt;"
