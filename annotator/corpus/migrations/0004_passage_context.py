"""Passages get a context (speaker, sentence leaned on), indexed beside their text.

- SQLite: the FTS5 table gets a second column, `context`; the triggers index both. The table
  and triggers are rebuilt here, after the column is added, so a table rebuild by Django
  cannot leave them behind.
- PostgreSQL: the generated `search` column becomes the text's lexemes weighted A and the
  context's weighted D, so ts_rank and the Python scorer can tell them apart.
Every article's passages are then rebuilt, with contexts, by the splitter of the time.
"""

from django.db import migrations, models

from annotator.corpus.passages import passage_contexts, split_passages

SQLITE_FORWARD = [
    "DROP TRIGGER IF EXISTS corpus_passage_fts_update",
    "DROP TRIGGER IF EXISTS corpus_passage_fts_delete",
    "DROP TRIGGER IF EXISTS corpus_passage_fts_insert",
    "DROP TABLE IF EXISTS corpus_passage_fts",
    """CREATE VIRTUAL TABLE corpus_passage_fts USING fts5(
           text, context, content='corpus_passage', content_rowid='id',
           tokenize='porter unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER corpus_passage_fts_insert AFTER INSERT ON corpus_passage BEGIN
           INSERT INTO corpus_passage_fts(rowid, text, context) VALUES (new.id, new.text, new.context);
       END""",
    """CREATE TRIGGER corpus_passage_fts_delete AFTER DELETE ON corpus_passage BEGIN
           INSERT INTO corpus_passage_fts(corpus_passage_fts, rowid, text, context)
           VALUES ('delete', old.id, old.text, old.context);
       END""",
    """CREATE TRIGGER corpus_passage_fts_update AFTER UPDATE ON corpus_passage BEGIN
           INSERT INTO corpus_passage_fts(corpus_passage_fts, rowid, text, context)
           VALUES ('delete', old.id, old.text, old.context);
           INSERT INTO corpus_passage_fts(rowid, text, context) VALUES (new.id, new.text, new.context);
       END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS corpus_passage_fts_update",
    "DROP TRIGGER IF EXISTS corpus_passage_fts_delete",
    "DROP TRIGGER IF EXISTS corpus_passage_fts_insert",
    "DROP TABLE IF EXISTS corpus_passage_fts",
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
    "INSERT INTO corpus_passage_fts(corpus_passage_fts) VALUES ('rebuild')",
]
POSTGRES_FORWARD = [
    "DROP INDEX IF EXISTS corpus_passage_search_gin",
    "ALTER TABLE corpus_passage DROP COLUMN IF EXISTS search",
    """ALTER TABLE corpus_passage ADD COLUMN search tsvector GENERATED ALWAYS AS (
           setweight(to_tsvector('english'::regconfig, text), 'A')
           || setweight(to_tsvector('english'::regconfig, context), 'D')) STORED""",
    "CREATE INDEX corpus_passage_search_gin ON corpus_passage USING gin (search) WITH (fastupdate = off)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS corpus_passage_search_gin",
    "ALTER TABLE corpus_passage DROP COLUMN IF EXISTS search",
    """ALTER TABLE corpus_passage ADD COLUMN search tsvector
           GENERATED ALWAYS AS (to_tsvector('english'::regconfig, text)) STORED""",
    "CREATE INDEX corpus_passage_search_gin ON corpus_passage USING gin (search) WITH (fastupdate = off)",
]


def _run_for_vendor(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


def reindex_with_contexts(apps, schema_editor):
    """Rebuild every article's passages so each has its context (the index follows by trigger)."""
    Article = apps.get_model("corpus", "Article")
    Passage = apps.get_model("corpus", "Passage")
    db = schema_editor.connection.alias
    for article in Article.objects.using(db).only("id", "body").iterator():
        spans = split_passages(article.body)
        Passage.objects.using(db).filter(article_id=article.id).delete()
        Passage.objects.using(db).bulk_create(
            Passage(article_id=article.id, start=start, end=end, text=text, context=context)
            for (start, end, text), context in zip(spans, passage_contexts(spans))
        )


class Migration(migrations.Migration):

    dependencies = [
        ("corpus", "0003_article_owner"),
    ]

    operations = [
        migrations.AddField(
            model_name="passage",
            name="context",
            field=models.TextField(blank=True, default=""),
        ),
        migrations.RunPython(
            _run_for_vendor({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run_for_vendor({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
        migrations.RunPython(reindex_with_contexts, migrations.RunPython.noop),
    ]
