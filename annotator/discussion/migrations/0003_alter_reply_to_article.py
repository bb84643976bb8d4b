import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('corpus', '0003_article_owner'),
        ('discussion', '0002_reply_evidence_anchor'),
    ]

    operations = [
        migrations.AlterField(
            model_name='reply',
            name='to_article',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='evidence_replies', to='corpus.article'),
        ),
    ]
