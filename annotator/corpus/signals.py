"""Keep the passage index, and what apps built on the corpus hold, in step with article bodies.

Deleting an article needs no receiver: Passage.article cascades, and on SQLite the FTS5
triggers follow the deleted rows. Writes that bypass save() (QuerySet.update, bulk_create)
send no signal; bulk loaders call annotator.corpus.search.index_articles themselves.
"""

from django.dispatch import Signal

from .search import reindex_article

# Sent by the importer after an article's body changed in place, with `article` (saved, new
# body) and `old_body`. Apps that keep spans of article text re-anchor them; each receiver
# returns counts {"anchored": n, "moved": n, "orphaned": n} of what it placed.
article_text_changed = Signal()


def reindex_saved_article(sender, instance, update_fields=None, **kwargs):
    # reindex_article compares with what is indexed and writes only when the body changed;
    # a save restricted to other fields cannot have changed it, so skip even the comparison.
    if update_fields is not None and "body" not in update_fields:
        return
    reindex_article(instance)
