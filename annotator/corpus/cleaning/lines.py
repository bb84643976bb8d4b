"""Lines and their shapes: invisible characters, prose against chrome, the unit every rule looks at."""

import re

TITLE_LIMIT = 90


class NotArticleText(ValueError):
    """Input that cannot become an article: empty, binary, undecodable, or only chrome."""


# Characters that copied web text carries but that no reader sees; they would break
# search and quoting.
INVISIBLE = dict.fromkeys(map(ord, "\u200b\u2060\ufeff\u00ad"))
_HORIZONTAL_SPACE = re.compile(r"[ \t]+")
_LETTER_WORD = re.compile(r"[^\W\d_][\w'’-]*")
ENDS_SENTENCE = re.compile(r"[.!?…][\"'”’)\]]*$")


def split_lines(text):
    """Lines of `text` with CRLF/CR line ends, invisible characters and edge spaces gone."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(INVISIBLE)
    return [_HORIZONTAL_SPACE.sub(" ", line).strip() for line in text.split("\n")]


def is_prose(line):
    """A long, sentence-like line: article text, which no chrome rule may take out."""
    if len(line.split()) < 12:
        return False
    words = _LETTER_WORD.findall(line)
    # Promos and sponsor lines Capitalize Most Words; sentences do not (scripts without
    # letter case count as uncapitalised).
    if sum(not w[0].isupper() for w in words) < len(words) / 2:
        return False
    return len(line) >= 200 or bool(ENDS_SENTENCE.search(line))


def is_all_caps(line):
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 4 and all(c.isupper() for c in letters)


def looks_like_headline(line, leads_into_text):
    """Short, no closing full stop, capitalised: the shape of a headline at an article's top."""
    words = line.split()
    if not 2 <= len(words) <= 30 or len(line) > 250 or is_prose(line):
        return False
    # Arabic and Hebrew letters have no capitals: in those scripts a letter first is enough.
    caseless = line[0].isalpha() and not line[0].islower() and not line[0].isupper()
    if line[-1] in ".,;:" or not (line[0].isupper() or caseless or line[0].isdigit() or line[0] in "\"'“‘"):
        return False
    # Two or three words right above a navigation item could be one; next to the text they are not.
    return len(words) >= 4 or leads_into_text
