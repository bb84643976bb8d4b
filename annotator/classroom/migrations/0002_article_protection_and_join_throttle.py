import django.core.validators
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('classroom', '0001_initial'),
        ('corpus', '0003_article_owner'),
    ]

    operations = [
        migrations.AlterField(
            model_name='exercise',
            name='min_contradicting_links',
            field=models.PositiveSmallIntegerField(default=0, help_text='How many claims each student must link to a contradicting passage in another article.', validators=[django.core.validators.MaxValueValidator(20)]),
        ),
        # The table Django made for the plain many-to-many already has exactly these columns
        # and its unique pair: only the model state changes.
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.CreateModel(
                name='ExerciseArticle',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('article', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to='corpus.article')),
                    ('exercise', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='classroom.exercise')),
                ],
                options={
                    'db_table': 'classroom_exercise_articles',
                    'unique_together': {('exercise', 'article')},
                },
            ),
            migrations.AlterField(
                model_name='exercise',
                name='articles',
                field=models.ManyToManyField(related_name='exercises', through='classroom.ExerciseArticle', to='corpus.article'),
            ),
            ],
        ),
        migrations.CreateModel(
            name='JoinAttempt',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key', models.CharField(max_length=200)),
                ('created', models.DateTimeField(auto_now_add=True)),
            ],
            options={
                'indexes': [models.Index(fields=['key', 'created'], name='classroom_j_key_c17531_idx')],
            },
        ),
    ]
