"""source_file becomes the file's path inside the imported folder (`business/001.txt`).

Every name stored before is a base name, which is what the new rule gives a file named on
the command line or lying at the top of the folder named, so no row needs rewriting and
none is lost: only the column widens for paths. An article once imported from a subfolder
under its base name is taken over by the importer the next time that tree is imported
(same bytes, see importer._stored_under_base_name) instead of being copied.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("corpus", "0003_article_owner"),
    ]

    operations = [
        migrations.AlterField(
            model_name="article",
            name="source_file",
            field=models.CharField(max_length=500, unique=True),
        ),
    ]
