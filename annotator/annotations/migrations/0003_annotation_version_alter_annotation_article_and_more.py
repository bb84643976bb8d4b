import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('annotations', '0002_annotation_exercise_annotation_explanation_and_more'),
        ('corpus', '0003_article_owner'),
    ]

    operations = [
        migrations.AddField(
            model_name='annotation',
            name='version',
            field=models.PositiveIntegerField(default=1),
        ),
        migrations.AlterField(
            model_name='annotation',
            name='article',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='annotations', to='corpus.article'),
        ),
        migrations.AlterField(
            model_name='link',
            name='to_article',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='backlinks', to='corpus.article'),
        ),
    ]
