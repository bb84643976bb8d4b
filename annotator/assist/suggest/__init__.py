"""Cue-based suggestions: spans of an article that look attributed, disputed or editorialized.

Every suggestion names the cue that triggered it, so a reader can judge it: a reporting
verb, a quotation and its speaker, a hedge, a denial, a loaded term. The words come from
the lexicon files (lexicons/README.md); the rules here know only how news sentences are
built: who says what, where a reported clause starts and ends, which noun a label is
pinned to.

Spans are claim-sized: the reported clause or the quotation (a long quotation sentence by
sentence), the hedged clause, the loaded phrase with the name it is applied to. No span is
a whole paragraph. Pure Python; `suggest(body)` is all a caller needs.
"""

from ..text import Document
from .attribution import Attributions
from .disputed import disputed
from .editorialized import editorialized
from .finishing import finish
from .sources import named_subjects, resolve_pronouns


def suggest(body):
    """Suggestions for an article body, in text order (see the module docstring)."""
    doc = Document.parse(body)
    attributions = Attributions(doc)
    found = attributions.run()
    found += disputed(doc, attributions)
    found += editorialized(doc, attributions)
    resolve_pronouns(found, named_subjects(doc))
    return finish(doc, found)
