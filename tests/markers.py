"""Marks shared by test modules."""

import pytest

from annotator.corpus import lexicon

# Search runs without synonyms when WordNet is missing; the tests of what WordNet adds need it.
WORDNET = pytest.mark.skipif(
    lexicon._files() is None,
    reason=f"WordNet is not installed at {lexicon.WORDNET_DIR} (`make test` installs Debian's wordnet-base)",
)
