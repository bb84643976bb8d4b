"""Article.language, a BCP 47 tag; articles already stored get the language their text shows."""

from django.db import migrations, models

from annotator.corpus.languages import detect_language


def detect_stored_languages(apps, schema_editor):
    Article = apps.get_model("corpus", "Article")
    db = schema_editor.connection.alias
    for article in Article.objects.using(db).only("id", "body").iterator():
        language = detect_language(article.body)
        if language:
            Article.objects.using(db).filter(pk=article.pk).update(language=language)


class Migration(migrations.Migration):

    dependencies = [
        ("corpus", "0004_source_file_is_a_relative_path"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="language",
            field=models.CharField(blank=True, max_length=35),
        ),
        migrations.RunPython(detect_stored_languages, migrations.RunPython.noop),
    ]
