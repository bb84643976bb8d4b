"""Decoding: bytes of any usual encoding into text, or a clear refusal.

UTF-8 (with a BOM or not) and UTF-16 with a BOM say what they are. Files that are neither
are in a legacy single-byte encoding, which bytes alone never name; the sites that matter
here still serve windows-1251 and KOI8-R (Russian), windows-1256 (Arabic, Persian),
ISO-8859-8 and windows-1255 (Hebrew), and windows-1252 (Western). Each candidate is read
and the one whose letters look like its language wins: how often each letter occurs in
that language's prose (a mis-read Russian file is full of Ю, Ш and capitals mid-word; a
Hebrew file read as Cyrillic is full of й, щ and ъ). When no reading looks like text, or
two different readings look alike, the file is refused: mojibake is never saved as text.
"""

import math
import unicodedata
from dataclasses import dataclass

from .lines import NotArticleText


@dataclass
class Decoded:
    text: str
    notice: str = ""


# Letter frequencies (per cent) of news prose, the commonest letters of each language;
# a letter outside the table counts as RARE.
FREQUENCIES = {
    "ru": dict(zip("оеаинтсрвлкмдпуяыьгзбчйхжшюцщэфъё", (
        10.97, 8.45, 8.01, 7.35, 6.70, 6.26, 5.47, 4.73, 4.54, 4.40, 3.49, 3.21, 2.98, 2.81, 2.62, 2.01, 1.90,
        1.74, 1.70, 1.65, 1.59, 1.44, 1.21, 0.97, 0.94, 0.73, 0.64, 0.48, 0.36, 0.32, 0.26, 0.04, 0.04))),
    "ar": dict(zip("اليمونرتبعةدهفسقكحأجىشطصخذإثزضآءغئظؤپچژگکی", (
        12.5, 11.0, 7.8, 6.3, 6.2, 6.0, 4.7, 4.5, 3.8, 3.5, 3.0, 3.0, 2.7, 2.6, 2.5, 2.4, 2.0, 1.9, 2.0, 1.3,
        1.0, 1.0, 0.9, 1.0, 0.8, 0.8, 0.8, 0.5, 0.5, 0.6, 0.2, 0.4, 0.4, 0.3, 0.2, 0.1, 0.5, 0.5, 0.1, 0.8, 1.5,
        2.0))),
    "he": dict(zip("יוהלארמתבשנעםדכחקפגסטזצןךףץ", (
        11.1, 10.4, 8.7, 7.4, 6.3, 5.6, 5.0, 5.2, 4.7, 4.2, 3.9, 3.1, 2.8, 2.6, 2.6, 2.3, 2.0, 1.6, 1.1, 1.0,
        1.0, 0.8, 0.8, 1.3, 0.6, 0.3, 0.2))),
}
RARE = 0.01
# (name shown to people, Python codec, letter table). Readings that give the same text are
# one reading under the first name.
LEGACY = (
    ("windows-1251", "cp1251", "ru"),
    ("KOI8-R", "koi8_r", "ru"),
    ("windows-1256", "cp1256", "ar"),
    ("ISO-8859-8", "iso8859_8", "he"),
    ("windows-1255", "cp1255", "he"),
)
# A reading is text when its letters are at least this likely on average (per letter, as a
# log of per cent): Russian, Arabic and Hebrew prose score about 1.5-2.0, mis-readings below 0.
PLAUSIBLE = 0.8
# ... and beats any other, different reading by this much.
MARGIN = 0.5
# Western text in windows-1252 is mostly ASCII letters; when more of its letters than this
# come out accented, the file is in another encoding and windows-1252 would garble it.
WESTERN_ACCENTED = 0.3


def decode_bytes(data: bytes) -> Decoded:
    """The text of `data`, with a notice when the encoding was told from the letters; else refuse."""
    if not data:
        raise NotArticleText("file is empty")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        decoded = _decode_utf16(data)
    elif b"\x00" in data:
        raise NotArticleText("binary file (contains NUL bytes), not text")
    else:
        try:
            decoded = Decoded(data.decode("utf-8-sig"))
        except UnicodeDecodeError as error:
            decoded = _decode_legacy(data, error)
    if _control_share(decoded.text) > 0.01:
        raise NotArticleText("binary file (mostly control characters), not text")
    if not decoded.text.strip():
        raise NotArticleText("file is empty (only whitespace)")
    return decoded


def _decode_utf16(data):
    try:
        text = data.decode("utf-16")
    except UnicodeDecodeError:
        raise NotArticleText("file starts as UTF-16 text but is not valid UTF-16; save it as UTF-8") from None
    return Decoded(text.removeprefix("\ufeff"))


def _decode_legacy(data, utf8_error):
    western = _western(data)
    if western is not None:
        return Decoded(western, "decoded as Windows-1252 (the file is not valid UTF-8)")
    readings = {}
    for name, codec, language in LEGACY:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        score = _likelihood(text, FREQUENCIES[language])
        if text not in readings or readings[text][1] < score:
            readings[text] = (name, score)
    ranked = sorted(readings.items(), key=lambda item: -item[1][1])
    if ranked and ranked[0][1][1] >= PLAUSIBLE and (len(ranked) == 1 or ranked[0][1][1] - ranked[1][1][1] >= MARGIN):
        text, (name, _) = ranked[0]
        return Decoded(text, f"decoded as {name} (the file is not valid UTF-8; its letters read as that encoding)")
    names = ", ".join(name for name, _, _ in LEGACY)
    raise NotArticleText(
        f"not valid UTF-8 (byte 0x{data[utf8_error.start]:02x} at offset {utf8_error.start}), and its encoding "
        f"cannot be told for sure (tried Windows-1252, {names}); save it as UTF-8 and import it again"
    )


def _western(data):
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    letters = [c for c in text if c.isalpha()]
    if letters and sum(not c.isascii() for c in letters) / len(letters) > WESTERN_ACCENTED:
        return None
    return text


def _likelihood(text, frequencies):
    """Mean log (per cent) of the text's non-ASCII letters under `frequencies`; capitals mid-word count as rare."""
    total, count, previous = 0.0, 0, " "
    for char in text:
        if char.isalpha() and not char.isascii():
            lower = char.lower()
            odd_capital = char != lower and previous.isalpha()
            total += math.log(RARE if odd_capital else frequencies.get(lower, RARE))
            count += 1
        previous = char
    return total / count if count else float("-inf")


def _control_share(text):
    if not text:
        return 0
    controls = sum(unicodedata.category(c) == "Cc" and c not in "\t\n\r\f\v" for c in text)
    return controls / len(text)
