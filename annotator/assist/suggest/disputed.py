"""Disputed: hedges, denials and doubts, and the clause each applies to."""

from ..lexicon import lexicon
from ..text import DASHES
from .finishing import trim
from .words import (
    AUXILIARIES,
    BOUNDARY_WORDS,
    CONFIDENCE,
    DETERMINERS,
    DISPUTED,
    Found,
    clause_start_index,
    index_at,
    is_verbish,
    noun_use,
    verb_of,
)


def disputed(doc, attributions):
    """Hedges, doubts about verification and accusations of falsehood, outside quotations."""
    found = []
    for family in ("hedges", "accusations"):
        for match in lexicon(family).matches(doc.body, doc.words):
            if match.start in attributions.used_cues or skip(doc, match.start):
                continue
            sentence = doc.sentence_at(match.start)
            if sentence is None:
                continue
            section = match.entry.section
            if section == "hedge" and match.text.lower() in ("alleged", "purported") and _verb_use(doc, match):
                continue
            if section == "unverified":
                span = _reported_in(attributions, sentence, match.start) or trim(doc.body, sentence.start, sentence.end)
                cue, how = f"unverified ‘{match.text}’", "unverified"
            else:
                span = _reported_around(attributions, sentence, match.start) or clause_around(doc, sentence, match.start)
                cue, how = (f"accusation ‘{match.text}’", "accusation") if section == "accusation" else \
                    (f"hedge ‘{match.text}’", "hedge")
            found.append(Found(*span, DISPUTED, cue, CONFIDENCE[how], anchor=match.start))
    found += _denials_without_clause(doc, attributions)
    return found


def _verb_use(doc, match):
    """'Iran alleged that …' is a reporting verb (read there); 'the alleged plot' is a hedge."""
    before = doc.body[max(0, match.start - 12) : match.start].split()
    return not before or before[-1].lower() not in DETERMINERS


def _reported_in(attributions, sentence, pos):
    """The attributed span of this sentence that the cue at `pos` follows, if any."""
    candidates = [(s, e) for s, e in attributions.spans if sentence.start <= s < pos and e <= sentence.end]
    return max(candidates) if candidates else None


def _reported_around(attributions, sentence, pos):
    """The smallest attributed span of this sentence holding `pos`: a hedge inside a reported
    clause doubts that clause."""
    holding = [(e - s, s, e) for s, e in attributions.spans if s <= pos < e and sentence.start <= s < sentence.end]
    return min(holding)[1:] if holding else None


def _denials_without_clause(doc, attributions):
    """'The unit rejected her account.': a denial with an object but no reported clause."""
    found = []
    covered = {f.anchor for f in attributions.found if f.label == DISPUTED}
    denials = [t for word, tokens in doc.words.items() if verb_of(tokens[0]) == "denial" for t in tokens]
    for token in sorted(denials, key=lambda t: t.start):
        sentence = doc.sentence_at(token.start)
        if sentence is None or token.start in covered or skip(doc, token.start):
            continue
        k = index_at(sentence.tokens, token.start)
        if k == 0 or noun_use(sentence.tokens, k):
            continue  # "the disputed border"
        span = clause_around(doc, sentence, token.start)
        found.append(Found(*span, DISPUTED, f"denial ‘{token.text}’", CONFIDENCE["denial"], anchor=token.start))
    return found


def skip(doc, pos):
    """Cues inside quotations are the speaker's words, and crossheads are not prose."""
    return doc.quote_at(pos) is not None or doc.paragraph_of(pos) in doc.skipped


def clause_around(doc, sentence, pos):
    """The comma-delimited clause holding `pos`; extended to its subject when it starts with a
    verb ('…, has reportedly hired a lawyer'), and to the sentence when only a few words long."""
    tokens = sentence.tokens
    k = index_at(tokens, pos)
    first = k
    while first > 0 and not _breaks_clause(doc, tokens, first - 1):
        first -= 1
    last = k
    while last + 1 < len(tokens) and not _breaks_clause(doc, tokens, last + 1):
        last += 1
    if first > 0 and (tokens[first].lower in AUXILIARIES or is_verbish(tokens[first], sentence.headline)):
        first = clause_start_index(tokens, first)
    if sum(t.is_word for t in tokens[first : last + 1]) < 4:
        return trim(doc.body, sentence.start, sentence.end)
    return trim(doc.body, tokens[first].start, tokens[last].end)


def clause_of_word(doc, sentence, pos):
    """The clause around `pos`, starting after the last clause word before it: 'their
    influencers peddle for clout' rather than the whole sentence that holds it."""
    start, end = clause_around(doc, sentence, pos)
    tokens = sentence.tokens
    k = index_at(tokens, pos)
    for i in range(k - 1, 0, -1):
        if tokens[i].start < start:
            break
        if tokens[i].lower in BOUNDARY_WORDS and tokens[i].lower != "and" and k - i > 1:
            return trim(doc.body, tokens[i + 1].start, end)
    return start, end


def _breaks_clause(doc, tokens, i):
    token = tokens[i]
    if token.text in ",;:.!?" or token.text in DASHES:
        return token.text in ".!?" or not doc.quote_at(token.start)
    return token.lower in ("but", "though", "although", "whereas", "yet")
