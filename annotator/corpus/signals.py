"""Keep the passage index in step with article bodies.

Deleting an article needs no receiver: Passage.article cascades, and on SQLite the FTS5
triggers follow the deleted rows. Writes that bypass save() (QuerySet.update, bulk_create)
send no signal; bulk loaders call annotator.corpus.search.index_articles themselves.
"""

from .search import reindex_article


def reindex_saved_article(sender, instance, update_fields=None, **kwargs):
    # reindex_article compares with what is indexed and writes only when the body changed;
    # a save restricted to other fields cannot have changed it, so skip even the comparison.
    if update_fields is not None and "body" not in update_fields:
        return
    reindex_article(instance)
