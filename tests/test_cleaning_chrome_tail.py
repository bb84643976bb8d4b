"""Cleaning a pasted article: a dateline that carries more than its date still fills the date,
and copyright lines and the headlines under a "Related stories" heading are site chrome."""

from annotator.corpus.cleaning.chrome import clean_text
from annotator.corpus.cleaning.metadata import date_line

PASTE = """Bridge to reopen in May, officials say
Published 17 April 2024 · Updated 18 April 2024, 10.32 BST · 5 min read
By Jane Doe
The city’s transport office said on Monday that the old river bridge will reopen to traffic in May, three months earlier than planned.
Critics call the plan a reckless gamble with public money, and opposition councillors want to see the report.
© 2024 Example News Ltd. All rights reserved.
Related stories
Inspectors doubt the May reopening of the bridge
Mayor defends the transport budget
"""


def test_a_dateline_with_an_update_a_clock_and_a_reading_time_fills_the_published_date():
    cleaned = clean_text(PASTE)
    assert cleaned.published.isoformat() == "2024-04-17"
    assert "Published" not in cleaned.body


def test_copyright_lines_and_related_story_headlines_are_removed_with_their_reasons():
    cleaned = clean_text(PASTE)
    assert cleaned.body.split("\n") == [
        "Bridge to reopen in May, officials say",
        "The city’s transport office said on Monday that the old river bridge will reopen to traffic in May, "
        "three months earlier than planned.",
        "Critics call the plan a reckless gamble with public money, and opposition councillors want to see the report.",
    ]
    reasons = {line["text"]: line["reason"] for line in cleaned.lines if line["removed"]}
    assert reasons["© 2024 Example News Ltd. All rights reserved."] == "site chrome: copyright line"
    assert reasons["Mayor defends the transport budget"] == "site chrome: related-story headline"


def test_a_sentence_after_a_related_heading_is_still_text():
    cleaned = clean_text(PASTE.replace("Mayor defends the transport budget", "The mayor defends the budget, aides said."))
    assert cleaned.body.endswith("The mayor defends the budget, aides said.")


def test_a_line_of_words_with_a_date_in_it_is_not_a_dateline():
    assert date_line("Published 17 April 2024 by a reporter who was there") is None
    assert date_line("Published 17 April 2024 · 5 min read").isoformat() == "2024-04-17"
