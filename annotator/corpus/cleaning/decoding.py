"""Decoding: bytes of any usual encoding into text, or a clear refusal."""

import unicodedata
from dataclasses import dataclass

from .lines import NotArticleText


@dataclass
class Decoded:
    text: str
    notice: str = ""


def decode_bytes(data: bytes) -> Decoded:
    """UTF-8 (BOM or not); else Windows-1252 when that reads as text; else refuse.

    Never guesses silently: a Windows-1252 decoding comes with a notice.
    """
    if not data:
        raise NotArticleText("file is empty")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise NotArticleText("file is UTF-16 text; save it as UTF-8 and import it again")
    if b"\x00" in data:
        raise NotArticleText("binary file (contains NUL bytes), not text")
    try:
        decoded = Decoded(data.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        decoded = Decoded(_decode_windows_1252(data, error), "decoded as Windows-1252 (the file is not valid UTF-8)")
    if _control_share(decoded.text) > 0.01:
        raise NotArticleText("binary file (mostly control characters), not text")
    if not decoded.text.strip():
        raise NotArticleText("file is empty (only whitespace)")
    return decoded


def _decode_windows_1252(data, utf8_error):
    refusal = (
        f"not valid UTF-8 (byte 0x{data[utf8_error.start]:02x} at offset {utf8_error.start}) "
        "and not readable as Windows-1252 either; save it as UTF-8 and import it again"
    )
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise NotArticleText(refusal) from None
    # Western text in Windows-1252 is mostly ASCII letters. When most letters come out
    # accented, the file is in some other encoding (Cyrillic, Greek...) and would be garbled.
    letters = [c for c in text if c.isalpha()]
    if letters and sum(not c.isascii() for c in letters) / len(letters) > 0.3:
        raise NotArticleText(refusal)
    return text


def _control_share(text):
    if not text:
        return 0
    controls = sum(unicodedata.category(c) == "Cc" and c not in "\t\n\r\f\v" for c in text)
    return controls / len(text)
