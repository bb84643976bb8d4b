"""Turning a copied web article (plain text or HTML) into clean paragraphs and metadata.

Pure functions without a database: `decode_bytes`, then `clean_text` or `clean_html`.
Everything taken out is reported in `Cleaned.removed` with a reason, so a reader can
check what the rules did against the untouched original. `Cleaned.lines` holds every
line in order with its decision, so a person can overrule the rules (`choose`).

The rules are general, not tied to particular sites. The one rule above all others:
a long, sentence-like line is article text and is never removed as chrome.

One module per part: decoding, lines (and their shapes), metadata (dates, bylines,
titles), chrome (and `clean_text`), markup (HTML pages); every public name is here too.
"""

from .lines import (  # noqa: F401
    ENDS_SENTENCE, INVISIBLE, NotArticleText, TITLE_LIMIT, is_all_caps, is_prose, looks_like_headline,
    split_lines,
)
from .decoding import (  # noqa: F401
    Decoded, decode_bytes,
)
from .metadata import (  # noqa: F401
    as_written_in, byline_from, date_line, derive_title, find_date, first_sentence, outlet_from, shorten,
    split_date_prefix,
)
from .chrome import (  # noqa: F401
    Cleaned, Cleaner, Hints, choose, clean_text, removed_lines,
)
from .markup import (  # noqa: F401
    clean_html,
)
