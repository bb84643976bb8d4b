"""Passages get a context (speaker, sentence leaned on), indexed beside their folded text.

- SQLite: the FTS5 table gets a second column, `context`; the triggers index both (`folded`
  and `context`). The table and triggers are rebuilt here, after the column is added, so a
  table rebuild by Django cannot leave them behind.
- PostgreSQL: the generated `search` column becomes the folded text's lexemes weighted A and
  the context's weighted D, so ts_rank and the Python scorer can tell them apart.
Every article's passages are then rebuilt, with folded contexts, by the splitter of the time.
"""

from django.db import migrations, models

from annotator.corpus.folding import fold
from annotator.corpus.passages import passage_contexts, split_passages

DROP = {
    "sqlite": [
        "DROP TRIGGER IF EXISTS corpus_passage_fts_update",
        "DROP TRIGGER IF EXISTS corpus_passage_fts_delete",
        "DROP TRIGGER IF EXISTS corpus_passage_fts_insert",
        "DROP TABLE IF EXISTS corpus_passage_fts",
    ],
    "postgresql": [
        "DROP INDEX IF EXISTS corpus_passage_search_gin",
        "ALTER TABLE corpus_passage DROP COLUMN IF EXISTS search",
    ],
}


def sqlite_index(columns):
    names = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    return [
        f"""CREATE VIRTUAL TABLE corpus_passage_fts USING fts5(
               {names}, content='corpus_passage', content_rowid='id',
               tokenize='porter unicode61 remove_diacritics 2')""",
        f"""CREATE TRIGGER corpus_passage_fts_insert AFTER INSERT ON corpus_passage BEGIN
               INSERT INTO corpus_passage_fts(rowid, {names}) VALUES (new.id, {new});
           END""",
        f"""CREATE TRIGGER corpus_passage_fts_delete AFTER DELETE ON corpus_passage BEGIN
               INSERT INTO corpus_passage_fts(corpus_passage_fts, rowid, {names}) VALUES ('delete', old.id, {old});
           END""",
        f"""CREATE TRIGGER corpus_passage_fts_update AFTER UPDATE ON corpus_passage BEGIN
               INSERT INTO corpus_passage_fts(corpus_passage_fts, rowid, {names}) VALUES ('delete', old.id, {old});
               INSERT INTO corpus_passage_fts(rowid, {names}) VALUES (new.id, {new});
           END""",
        "INSERT INTO corpus_passage_fts(corpus_passage_fts) VALUES ('rebuild')",
    ]


POSTGRES_WITH_CONTEXT = [
    """ALTER TABLE corpus_passage ADD COLUMN search tsvector GENERATED ALWAYS AS (
           setweight(to_tsvector('english'::regconfig, folded), 'A')
           || setweight(to_tsvector('english'::regconfig, context), 'D')) STORED""",
    "CREATE INDEX corpus_passage_search_gin ON corpus_passage USING gin (search) WITH (fastupdate = off)",
]
POSTGRES_WITHOUT_CONTEXT = [
    """ALTER TABLE corpus_passage ADD COLUMN search tsvector
           GENERATED ALWAYS AS (to_tsvector('english'::regconfig, folded)) STORED""",
    "CREATE INDEX corpus_passage_search_gin ON corpus_passage USING gin (search) WITH (fastupdate = off)",
]


def index(sqlite_columns, postgres):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        statements = {"sqlite": DROP["sqlite"] + sqlite_index(sqlite_columns), "postgresql": DROP["postgresql"] + postgres}
        for statement in statements.get(vendor, []):
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
            Passage(article_id=article.id, start=start, end=end, text=text, folded=fold(text), context=fold(context))
            for (start, end, text), context in zip(spans, passage_contexts(spans))
        )


class Migration(migrations.Migration):

    dependencies = [
        ("corpus", "0006_passage_search_on_folded_text"),
    ]

    operations = [
        migrations.AddField(
            model_name="passage",
            name="context",
            field=models.TextField(blank=True, default=""),
        ),
        migrations.RunPython(
            index(["folded", "context"], POSTGRES_WITH_CONTEXT),
            index(["folded"], POSTGRES_WITHOUT_CONTEXT),
        ),
        migrations.RunPython(reindex_with_contexts, migrations.RunPython.noop),
    ]
