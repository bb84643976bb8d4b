"""Search passages by their folded text (annotator.corpus.folding), so spellings a reader
takes as one word (Arabic alef forms, Persian and Arabic ye and kaf, niqqud, ё) match.

Adds Passage.folded, fills it for every passage, and moves the full-text index onto it:
on SQLite the FTS5 table and its triggers are made again over `folded` (and rebuilt from
the rows); on PostgreSQL the generated tsvector column is made again from `folded`. The
passages themselves, and so every article, claim and link, are untouched.
"""

from django.db import migrations, models

from annotator.corpus.folding import fold

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


def sqlite_index(column):
    return [
        f"""CREATE VIRTUAL TABLE corpus_passage_fts USING fts5(
               {column}, content='corpus_passage', content_rowid='id',
               tokenize='porter unicode61 remove_diacritics 2')""",
        f"""CREATE TRIGGER corpus_passage_fts_insert AFTER INSERT ON corpus_passage BEGIN
               INSERT INTO corpus_passage_fts(rowid, {column}) VALUES (new.id, new.{column});
           END""",
        f"""CREATE TRIGGER corpus_passage_fts_delete AFTER DELETE ON corpus_passage BEGIN
               INSERT INTO corpus_passage_fts(corpus_passage_fts, rowid, {column}) VALUES ('delete', old.id, old.{column});
           END""",
        f"""CREATE TRIGGER corpus_passage_fts_update AFTER UPDATE ON corpus_passage BEGIN
               INSERT INTO corpus_passage_fts(corpus_passage_fts, rowid, {column}) VALUES ('delete', old.id, old.{column});
               INSERT INTO corpus_passage_fts(rowid, {column}) VALUES (new.id, new.{column});
           END""",
        "INSERT INTO corpus_passage_fts(corpus_passage_fts) VALUES ('rebuild')",
    ]


def postgres_index(column):
    return [
        f"""ALTER TABLE corpus_passage ADD COLUMN search tsvector
               GENERATED ALWAYS AS (to_tsvector('english'::regconfig, {column})) STORED""",
        "CREATE INDEX corpus_passage_search_gin ON corpus_passage USING gin (search) WITH (fastupdate = off)",
    ]


def index_on(column):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        statements = {"sqlite": sqlite_index(column), "postgresql": postgres_index(column)}
        for statement in statements.get(vendor, []):
            schema_editor.execute(statement)

    return run


def drop_index(apps, schema_editor):
    # Before the rows are filled, or every update would also rewrite the index.
    for statement in DROP.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


def fold_stored_passages(apps, schema_editor):
    Passage = apps.get_model("corpus", "Passage")
    db = schema_editor.connection.alias
    batch = []
    for passage in Passage.objects.using(db).only("id", "text").iterator(chunk_size=2000):
        passage.folded = fold(passage.text)
        batch.append(passage)
        if len(batch) == 2000:
            Passage.objects.using(db).bulk_update(batch, ["folded"])
            batch = []
    Passage.objects.using(db).bulk_update(batch, ["folded"])


class Migration(migrations.Migration):

    dependencies = [
        ("corpus", "0005_article_language"),
    ]

    operations = [
        migrations.RunPython(drop_index, index_on("text")),
        migrations.AddField(
            model_name="passage",
            name="folded",
            field=models.TextField(default="", editable=False),
        ),
        migrations.RunPython(fold_stored_passages, migrations.RunPython.noop),
        migrations.RunPython(index_on("folded"), drop_index),
    ]
