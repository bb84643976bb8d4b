from django.apps import AppConfig


class CorpusConfig(AppConfig):
    name = "annotator.corpus"

    def ready(self):
        from django.db.models.signals import post_save

        from .models import Article
        from .signals import reindex_saved_article

        post_save.connect(reindex_saved_article, sender=Article, dispatch_uid="corpus.reindex_saved_article")
