"""PostgreSQL keeps ten times as many of the passages' commonest words in its statistics.

Related-passage search estimates how many passages hold a common word from the statistics
ANALYZE keeps of the `search` column (its most common lexemes) and counts the others; with
the default target (100, so 1,000 lexemes) a corpus of 100,000 articles has thousands of
words too rare for that list and too common to count quickly. A target of 1,000 keeps
10,000 lexemes, so every word left to count is in a few hundred passages at most. ANALYZE
then samples 300,000 rows instead of 30,000 (a few seconds at two million passages).
Nothing happens on SQLite, whose full-text index counts a word's passages directly.
"""

from django.db import migrations

TARGET = 1000


def set_target(target):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"ALTER TABLE corpus_passage ALTER COLUMN search SET STATISTICS {target}")

    return run


class Migration(migrations.Migration):
    dependencies = [("corpus", "0010_outlet_names_unique_ignoring_case")]

    operations = [migrations.RunPython(set_target(TARGET), set_target(-1))]
