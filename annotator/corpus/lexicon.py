"""Synonyms and derivations from WordNet, to widen a search to things said in other words.

Reads the database files of Debian's `wordnet-base` package (WordNet 3.0, installed by
`make install`; `WORDNET_DIR` moves it). Only the commonest sense of a word in each part of
speech is followed (WordNet lists senses by how often they occur in its tagged corpus), and
only one-word lemmas are returned, so "abduction" gives "kidnapping" and "abduct" but not
the rare senses that would drag in unrelated passages. Without the files every word has no
relatives and search stays plain.

Pure: no Django, no database; the files are read through mmap, each index's lemmas mapped
to their lines once per process.
"""

import functools
import mmap
import os
import re
from pathlib import Path

WORDNET_DIR = Path(os.environ.get("WORDNET_DIR", "/usr/share/wordnet"))
PARTS_OF_SPEECH = ("noun", "verb", "adj", "adv")
# At most this many relatives per word; synonyms come before derivations.
MAX_RELATED = 4
SAME_STEM = 4
# Inflections to undo before looking a word up ("strikes" → "strike", "killed" → "kill"),
# WordNet's own detachment rules, tried in order; irregular forms come from the *.exc files.
DETACHMENTS = {
    "noun": (("ses", "s"), ("xes", "x"), ("zes", "z"), ("ches", "ch"), ("shes", "sh"), ("men", "man"),
             ("ies", "y"), ("s", "")),
    "verb": (("ies", "y"), ("es", "e"), ("es", ""), ("ed", "e"), ("ed", ""), ("ing", "e"), ("ing", ""), ("s", "")),
    "adj": (("er", ""), ("est", ""), ("er", "e"), ("est", "e")),
    "adv": (),
}
LEMMA = re.compile(r"^[a-z]+$")
# concepts(): how many senses of a word count, and which WordNet pointers join a synset to
# the concepts it stands for: derivation (+), hypernym (@, @i), adjective similar-to (&),
# pertainym (\\) and attribute (=).
CONCEPT_SENSES = 2
CONCEPT_LINKS = frozenset({"+", "@", "@i", "&", "\\", "="})


def related_words(word):
    """One-word synonyms and derivations of `word`'s commonest senses, without `word` itself."""
    return _related(word.lower())


@functools.lru_cache(maxsize=50_000)
def _related(word):
    if not LEMMA.match(word) or _files() is None:
        return ()
    synonyms, derivations = [], []
    for pos in PARTS_OF_SPEECH:
        for lemma in _base_forms(word, pos):
            offsets = _first_sense(pos, lemma)
            if offsets is None:
                continue
            words, pointers = _synset(pos, offsets)
            synonyms.extend(words)
            for target_pos, offset, target_word in pointers:
                derivations.append(_synset_word(target_pos, offset, target_word))
            break
    related = []
    for candidate in synonyms + derivations:
        # A relative sharing the word's first letters is mostly an inflection that the
        # engines' stemmers already join to it ("warned", "warning").
        if candidate and candidate[:SAME_STEM] != word[:SAME_STEM] and LEMMA.match(candidate) and candidate not in related:
            related.append(candidate)
    return tuple(related[:MAX_RELATED])


@functools.lru_cache(maxsize=50_000)
def concepts(word):
    """WordNet synsets `word` may stand for, as "pos:offset" strings; () if unknown.

    The commonest CONCEPT_SENSES senses in each part of speech, each with the synsets it is
    derived from or gives (so "abduct" and "abduction" meet) and its direct hypernyms (so
    "truce" and "ceasefire" meet at "cessation"). Two words sharing a concept may mean the
    same thing where they share no letters; search uses this to re-rank, never to retrieve.
    """
    word = word.lower()
    if not LEMMA.match(word) or _files() is None:
        return frozenset()
    found = set()
    for pos in PARTS_OF_SPEECH:
        for lemma in _base_forms(word, pos):
            offsets = _senses(pos, lemma)
            if not offsets:
                continue
            for offset in offsets[:CONCEPT_SENSES]:
                found.add(f"{pos}:{offset}")
                found.update(f"{target_pos}:{target}" for target_pos, target in _links(pos, offset))
            break
    return frozenset(found)


def _base_forms(word, pos):
    forms = [word]
    forms.extend(_exceptions(pos).get(word, ()))
    for suffix, ending in DETACHMENTS[pos]:
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            forms.append(word[: -len(suffix)] + ending)
    return forms


@functools.cache
def _exceptions(pos):
    path = WORDNET_DIR / f"{pos}.exc"
    table = {}
    if path.exists():
        for line in path.read_text(encoding="latin-1").splitlines():
            inflected, *bases = line.split()
            table[inflected] = tuple(bases)
    return table


@functools.cache
def _index_lines(pos):
    """{lemma: where its line starts in index.<pos>}, read once per process (about 5 MB a part of speech).

    A search looks up the concepts of every new word of its candidates, thousands on a cold
    process; a binary search of the file costs about twenty line reads each.
    """
    # Read by slicing, not readline(): the mmap's position is shared by every thread.
    starts, at = {}, 0
    for line in _files()[pos][0][:].split(b"\n"):
        if line and not line.startswith(b" "):  # licence lines start with spaces
            starts[line.split(b" ", 1)[0].decode("latin-1")] = at
        at += len(line) + 1
    return starts


@functools.cache
def _files():
    """{pos: (index mmap, data mmap)}, or None when WordNet is not installed."""
    try:
        opened = {}
        for pos in PARTS_OF_SPEECH:
            maps = []
            for kind in ("index", "data"):
                with open(WORDNET_DIR / f"{kind}.{pos}", "rb") as handle:
                    maps.append(mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ))
            opened[pos] = tuple(maps)
        return opened
    except OSError:
        return None


def _first_sense(pos, lemma):
    """Byte offset in data.<pos> of the lemma's commonest synset, or None if not in the index."""
    offsets = _senses(pos, lemma)
    return offsets[0] if offsets else None


def _senses(pos, lemma):
    """Byte offsets in data.<pos> of the lemma's synsets, commonest first; () if not in the index."""
    start = _index_lines(pos).get(lemma)
    if start is None:
        return ()
    index = _files()[pos][0]
    end = index.find(b"\n", start)
    line = index[start : end if end >= 0 else len(index)].decode("latin-1")
    fields = line.split()
    pointer_count = int(fields[3])
    # lemma pos synset_cnt p_cnt [ptr_symbol...] sense_cnt tagsense_cnt synset_offset...
    return tuple(int(f) for f in fields[4 + pointer_count + 2 :])


def _data_line(pos, offset):
    data = _files()[pos][1]
    end = data.find(b"\n", offset)
    return data[offset:end].decode("latin-1")


POINTER_POS = {"n": "noun", "v": "verb", "a": "adj", "s": "adj", "r": "adv"}


def _synset(pos, offset):
    """(one-word lemmas of the synset, [(pos, offset, word number)] of its derivation pointers)."""
    fields = _data_line(pos, offset).split(" | ", 1)[0].split()
    count = int(fields[3], 16)
    words = [fields[4 + 2 * i].lower() for i in range(count)]
    words = [re.sub(r"\(.*\)$", "", w) for w in words if "_" not in w]
    at = 4 + 2 * count
    pointers = []
    for _ in range(int(fields[at])):
        symbol, target, target_pos, source_target = fields[at + 1 : at + 5]
        at += 4
        if symbol == "+":
            # source/target is four hex digits: the source word's number, then the target's.
            pointers.append((POINTER_POS[target_pos], int(target), int("0x" + source_target[2:], 0)))
    return words, pointers


def _links(pos, offset):
    """[(pos, offset)] of the synsets a synset is derived from, gives, or is a kind of (CONCEPT_LINKS)."""
    fields = _data_line(pos, offset).split(" | ", 1)[0].split()
    at = 4 + 2 * int(fields[3], 16)
    links = []
    for _ in range(int(fields[at])):
        symbol, target, target_pos = fields[at + 1 : at + 4]
        at += 4
        if symbol in CONCEPT_LINKS:
            links.append((POINTER_POS[target_pos], int(target)))
    return links


def _synset_word(pos, offset, number):
    fields = _data_line(pos, offset).split()
    count = int(fields[3], 16)
    if not 1 <= number <= count:
        return ""
    word = re.sub(r"\(.*\)$", "", fields[4 + 2 * (number - 1)].lower())
    return "" if "_" in word else word
