"""The exercise results CSV: one row per student × key claim, then a summary row per student.

Cells go through the same spreadsheet-safety escape as every other export.
"""

import csv
import io

from annotator.annotations.exports import escape_cell

from .matching import percent

HEADER = ["student", "row", "submitted", "article", "key_claim", "key_label", "key_quote", "outcome",
          "student_label", "student_quote", "links_earned", "precision", "recall", "f1", "found", "other_label",
          "missed", "extra", "link_credit"]


def csv_lines(exercise, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def line(cells):
        writer.writerow([escape_cell(c) if isinstance(c, str) else c for c in cells])
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    yield line(HEADER)
    for row in rows:
        name = row["student"].username
        submitted = row["submission"].submitted.isoformat() if row["submission"] and row["submission"].submitted else ""
        result = row["feedback"]
        for item in result.items:
            paired = item.student
            yield line([name, "claim", submitted, item.key.article.slug, item.key.pk, item.key.label, item.key.exact,
                        item.outcome, paired.label if paired else "", paired.exact if paired else "",
                        item.links_earned] + [""] * 8)
        counts = result.counts
        earned, possible = result.link_credit
        yield line([name, "summary", submitted, "", "", "", "", "", "", "", "",
                    percent(result.overall.precision), percent(result.overall.recall), percent(result.overall.f1),
                    counts["found"], counts["other_label"], counts["missed"], counts["extra"], f"{earned}/{possible}"])
