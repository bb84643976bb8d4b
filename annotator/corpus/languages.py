"""Which language an article is written in, told from the letters of its script.

The languages the corpus is about (English, Russian, Arabic, Persian, Hebrew) each have a
script or letters of their own, so the rule reads those instead of word statistics: it
is right on a headline of four words, where statistical detectors guess (measured in
README, "Languages"). Within a script, letters only one language uses decide (Persian
پ چ ژ گ and its own kaf and ye against Arabic ي ك ة ى; Ukrainian і ї є ґ; Serbian ђ ј љ).
Latin text is English when English function words make up a share of it that no other
language's text reaches; otherwise the language is left blank for a person to give.

Pure: no Django, no database.
"""

import re
import unicodedata

# BCP 47 tags offered where a person gives the language; the detector may also answer
# other tags of this list, or "" when it cannot tell.
LANGUAGES = {
    "en": "English",
    "ru": "Russian",
    "uk": "Ukrainian",
    "sr": "Serbian",
    "ar": "Arabic",
    "fa": "Persian",
    "ur": "Urdu",
    "he": "Hebrew",
    "fr": "French",
    "de": "German",
    "es": "Spanish",
    "tr": "Turkish",
    "el": "Greek",
    "zh": "Chinese",
    "ja": "Japanese",
    "ko": "Korean",
}
RIGHT_TO_LEFT = frozenset({"ar", "fa", "ur", "he"})

# A script's share of the letters that makes it the text's script: an Arabic article
# quoting English names and an English article quoting a Russian slogan both stay themselves.
MAJORITY = 0.5
PERSIAN_LETTERS = frozenset("پچژگکی")
# Letters Arabic has no use for; Persian keeps them even where its ye and kaf are written
# the Arabic way (as windows-1256 sites do), about 2 % of its letters.
PERSIAN_ONLY_SOUNDS = frozenset("پچژگ")
PERSIAN_SOUNDS_SHARE = 0.005
ARABIC_ONLY_LETTERS = frozenset("يكةى")
URDU_LETTERS = frozenset("ٹڈڑںےھ")
UKRAINIAN_LETTERS = frozenset("іїєґ")
SERBIAN_LETTERS = frozenset("ђјљњћџ")
ENGLISH_WORDS = frozenset(
    """
    the of and to in is that for on with as was by at from it are be has have had not this
    but his her they their said will would were which who been its an or after about than
    """.split()
)
# Share of words that are ENGLISH_WORDS above which Latin text is English: English news
# prose runs at 25-40 %, a headline at 10 % or more; French, German or Spanish text
# reaches a few per cent through shared words ("in", "on", "as").
ENGLISH_SHARE = 0.08
WORD = re.compile(r"[^\W\d_]+")


def script_of(char):
    """The script of a letter, as far as the rule needs it."""
    point = ord(char)
    if 0x0590 <= point <= 0x05FF or 0xFB1D <= point <= 0xFB4F:
        return "Hebrew"
    if 0x0600 <= point <= 0x06FF or 0x0750 <= point <= 0x077F or 0xFB50 <= point <= 0xFDFF or 0xFE70 <= point <= 0xFEFF:
        return "Arabic"
    if 0x0400 <= point <= 0x052F:
        return "Cyrillic"
    if 0x0370 <= point <= 0x03FF:
        return "Greek"
    if 0x3040 <= point <= 0x30FF:
        return "Kana"
    if 0xAC00 <= point <= 0xD7AF or 0x1100 <= point <= 0x11FF:
        return "Hangul"
    if 0x4E00 <= point <= 0x9FFF:
        return "Han"
    if point < 0x0250 or 0x1E00 <= point <= 0x1EFF:
        return "Latin"
    return "Other"


def detect_language(text):
    """The BCP 47 tag of the language `text` is written in, or "" when the letters cannot tell."""
    letters = [c for c in unicodedata.normalize("NFC", text) if c.isalpha()]
    if not letters:
        return ""
    counts = {}
    for char in letters:
        script = script_of(char)
        counts[script] = counts.get(script, 0) + 1
    script, count = max(counts.items(), key=lambda item: item[1])
    if count / len(letters) < MAJORITY and not (counts.get("Kana") and counts.get("Han")):
        return ""
    present = set(letters)
    if script == "Hebrew":
        return "he"
    if script == "Arabic":
        if present & URDU_LETTERS:
            return "ur"
        persian = sum(c in PERSIAN_LETTERS for c in letters)
        arabic = sum(c in ARABIC_ONLY_LETTERS for c in letters)
        sounds = sum(c in PERSIAN_ONLY_SOUNDS for c in letters)
        return "fa" if persian > arabic or sounds >= PERSIAN_SOUNDS_SHARE * count else "ar"
    if script == "Cyrillic":
        lower = {c.lower() for c in present}
        if lower & UKRAINIAN_LETTERS:
            return "uk"
        if lower & SERBIAN_LETTERS:
            return "sr"
        return "ru"
    if script == "Latin":
        words = [w.lower() for w in WORD.findall(text)]
        english = sum(w in ENGLISH_WORDS for w in words)
        return "en" if words and english / len(words) >= ENGLISH_SHARE else ""
    return {"Greek": "el", "Kana": "ja", "Han": "ja" if counts.get("Kana") else "zh", "Hangul": "ko"}.get(script, "")


def direction(language):
    """"rtl" for a language written right to left, else "ltr"."""
    return "rtl" if language.split("-", 1)[0] in RIGHT_TO_LEFT else "ltr"


def paragraph_direction(text):
    """"rtl" or "ltr" for a paragraph holding right-to-left letters, by the majority of its
    strongly directed characters; "" for a paragraph without any (it follows the page).

    Counting beats the browser's dir="auto", which looks at the first strong character
    only: an Arabic paragraph that opens with a Latin name would be laid out left to right.
    """
    rtl = ltr = 0
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            rtl += 1
        elif kind == "L":
            ltr += 1
    if not rtl:
        return ""
    return "rtl" if rtl >= ltr else "ltr"
