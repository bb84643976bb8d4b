"""The exercise results CSV: one row per student × key claim, then a summary row per student.

The teacher's own word is in it too (the file is the teacher's alone): the private comments
on the student's claim paired with each key claim, and on the summary row the comments on
the student's claims outside the key and the teacher's score with its reason.

Written by annotator.csvstream; every text cell goes through its spreadsheet-safety escape, as in
every other export.
"""

from annotator import csvstream
from annotator.csvstream import escape_cell

from .matching import percent

HEADER = ["student", "row", "submitted", "article", "key_claim", "key_label", "key_quote", "outcome",
          "student_label", "student_quote", "links_earned", "precision", "recall", "f1", "found", "other_label",
          "missed", "extra", "link_credit", "attributed_without_source", "teacher_score", "score_reason",
          "teacher_comments"]


def csv_chunks(rows):
    """The CSV of the dashboard's roster `rows`, in chunks of text."""
    escaped = ([escape_cell(c) if isinstance(c, str) else c for c in cells] for cells in _lines(rows))
    return csvstream.chunks(HEADER, escaped)


def _lines(rows):
    for row in rows:
        comments = row.get("comments", {})
        override = row.get("override")
        name = row["student"].username
        submitted = row["submission"].submitted.isoformat() if row["submission"] and row["submission"].submitted else ""
        result = row["feedback"]
        for item in result.items:
            paired = item.student
            yield [name, "claim", submitted, item.key.article.slug, item.key.pk, item.key.label, item.key.exact,
                   item.outcome, paired.label if paired else "", paired.exact if paired else "",
                   item.links_earned] + [""] * 11 + [_comments(comments, paired)]
        counts = result.counts
        earned, possible = result.link_credit
        yield [name, "summary", submitted, "", "", "", "", "", "", "", "",
               percent(result.overall.precision), percent(result.overall.recall), percent(result.overall.f1),
               counts["found"], counts["other_label"], counts["missed"], counts["extra"], f"{earned}/{possible}",
               row["unsourced"], override.score if override else "", override.reason if override else "",
               "\n".join(_comments(comments, claim) for claim in result.extras if comments.get(claim.pk))]


def _comments(comments, claim):
    return "\n".join(comments.get(claim.pk, [])) if claim is not None else ""
