"""Folding: one form for the spellings a reader takes for the same word, so search finds it.

Applied to a passage's text when it is indexed (`Passage.folded`) and to every query, so
both sides meet in the same form whatever the engine:

- Arabic alef with hamza or madda (أ إ آ ٱ) is written as bare alef (ا), as most sites do;
- Arabic ye and alef maksura (ي ى) are Persian ye (ی), Arabic kaf (ك) is Persian kaf (ک):
  the same letters, typed with an Arabic or a Persian keyboard;
- Arabic short vowels and tatweel, and Hebrew niqqud and cantillation marks, are dropped:
  pointed text (a quotation, a name) and plain text are the same words;
- Russian ё is е, as most Russian print writes it.

Case is kept (search weighs capitalised names). Pure: no Django, no database.
"""

import re

LETTERS = str.maketrans({
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا",
    "ي": "ی", "ى": "ی", "ك": "ک",
    "ё": "е", "Ё": "Е",
})
# Hebrew points and accents (U+0591-U+05C7, leaving the maqaf and the punctuation marks
# between them), Arabic harakat, superscript alef and Quranic marks, and tatweel.
MARKS = re.compile("[\u0591-\u05bd\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7\u0610-\u061a\u064b-\u065f\u0670"
                   "\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed\u0640]")


def fold(text):
    """`text` in the one form search compares (see the module docstring)."""
    return MARKS.sub("", text.translate(LETTERS))


def fold_with_origins(text):
    """(fold(text), origins): origins[i] is where the i-th folded character stands in `text`,
    and origins[len(folded)] is len(text), so a span found in the folded text maps back."""
    folded, origins = [], []
    for at, char in enumerate(text.translate(LETTERS)):
        if not MARKS.match(char):
            folded.append(char)
            origins.append(at)
    origins.append(len(text))
    return "".join(folded), origins
