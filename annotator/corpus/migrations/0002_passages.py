"""Passages and their full-text index.

The index is vendor-specific and outside Django's model state:
- SQLite: an external-content FTS5 table `corpus_passage_fts` keyed by passage id, kept in
  step with `corpus_passage` by triggers, so every write path (save, bulk_create, cascade
  deletes, raw SQL) updates it. A later migration that makes Django rebuild
  `corpus_passage` on SQLite (most ALTERs do) drops these triggers and must recreate them.
- PostgreSQL: a stored generated tsvector column `search` with a GIN index.
Each operation does nothing on the other vendor.
"""

import django.db.models.deletion
from django.db import migrations, models

from annotator.corpus.passages import split_passages

SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE corpus_passage_fts USING fts5(
           text, content='corpus_passage', content_rowid='id',
           tokenize='porter unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER corpus_passage_fts_insert AFTER INSERT ON corpus_passage BEGIN
           INSERT INTO corpus_passage_fts(rowid, text) VALUES (new.id, new.text);
       END""",
    """CREATE TRIGGER corpus_passage_fts_delete AFTER DELETE ON corpus_passage BEGIN
           INSERT INTO corpus_passage_fts(corpus_passage_fts, rowid, text) VALUES ('delete', old.id, old.text);
       END""",
    """CREATE TRIGGER corpus_passage_fts_update AFTER UPDATE ON corpus_passage BEGIN
           INSERT INTO corpus_passage_fts(corpus_passage_fts, rowid, text) VALUES ('delete', old.id, old.text);
           INSERT INTO corpus_passage_fts(rowid, text) VALUES (new.id, new.text);
       END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS corpus_passage_fts_update",
    "DROP TRIGGER IF EXISTS corpus_passage_fts_delete",
    "DROP TRIGGER IF EXISTS corpus_passage_fts_insert",
    "DROP TABLE IF EXISTS corpus_passage_fts",
]
POSTGRES_FORWARD = [
    """ALTER TABLE corpus_passage ADD COLUMN search tsvector
           GENERATED ALWAYS AS (to_tsvector('english'::regconfig, text)) STORED""",
    # Without fastupdate, new entries go straight into the index instead of a pending list
    # that every search must scan until VACUUM merges it: imports are a little slower,
    # searches (the hot path) stay fast right after an import.
    "CREATE INDEX corpus_passage_search_gin ON corpus_passage USING gin (search) WITH (fastupdate = off)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS corpus_passage_search_gin",
    "ALTER TABLE corpus_passage DROP COLUMN IF EXISTS search",
]


def _run_for_vendor(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


def index_existing_articles(apps, schema_editor):
    """Give articles imported before this migration their passages (the index follows)."""
    Article = apps.get_model("corpus", "Article")
    Passage = apps.get_model("corpus", "Passage")
    for article in Article.objects.using(schema_editor.connection.alias).only("id", "body").iterator():
        Passage.objects.using(schema_editor.connection.alias).bulk_create(
            Passage(article_id=article.id, start=start, end=end, text=text)
            for start, end, text in split_passages(article.body)
        )


class Migration(migrations.Migration):

    dependencies = [
        ("corpus", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="Passage",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("start", models.PositiveIntegerField()),
                ("end", models.PositiveIntegerField()),
                ("text", models.TextField()),
                (
                    "article",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="passages",
                        to="corpus.article",
                    ),
                ),
            ],
            options={
                "ordering": ["article", "start"],
            },
        ),
        migrations.RunPython(
            _run_for_vendor({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run_for_vendor({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
        migrations.RunPython(index_existing_articles, migrations.RunPython.noop),
    ]
