"""Disputed: hedges, denials and doubts, and the clause each applies to."""

from ..lexicon import lexicon
from ..text import DASHES
from .finishing import trim
from .sources import np_forward
from .words import (
    AUXILIARIES,
    BOUNDARY_WORDS,
    CONFIDENCE,
    DETERMINERS,
    DISPUTED,
    PASSIVE,
    PREPOSITIONS,
    REPORT_NOUNS,
    Found,
    clause_start_index,
    find_frame_start,
    index_at,
    is_adverb,
    is_verbish,
    lexicon_matches,
    noun_use,
    verb_of,
)


CLAIM_PRONOUNS = frozenset("this that it these them any".split())
# What a denial denies when it has no "that" clause: a claim, a report, a part in something.
CLAIM_NOUNS = REPORT_NOUNS | frozenset(
    "account accounts story stories idea notion figure figures findings version statement statements wrongdoing "
    "involvement responsibility knowledge link links role plan plans existence".split())


def disputed(doc, attributions):
    """Hedges, doubts about verification and accusations of falsehood, outside quotations."""
    found = []
    for family in ("hedges", "accusations"):
        for match in lexicon_matches(doc, family):
            if match.start in attributions.used_cues or skip(doc, match.start):
                continue
            sentence = doc.sentence_at(match.start)
            if sentence is None:
                continue
            section = match.entry.section
            adjective = match.text.lower() in ("alleged", "purported")
            if section == "hedge" and adjective and _verb_use(doc, match):
                continue
            if match.text.lower().endswith(" to") and not infinitive_after(doc, match):
                continue  # "was reported to prosecutors": handed over, not hearsay
            if section == "unverified":
                reported = _reported_in(attributions, sentence, match.start)
                if reported is None and match.text.lower().startswith("declined"):
                    continue  # "declined to comment" with no claim in its sentence doubts nothing
                span = reported or trim(doc.body, sentence.start, sentence.end)
                cue, how = f"unverified ‘{match.text}’", "unverified"
            elif section == "weasel":
                span = _reported_after(attributions, sentence, match.start) or clause_around(doc, sentence, match.start)
                cue, how = f"weasel wording ‘{match.text}’: no one named", "weasel"
            elif adjective:
                span = noun_phrase_after(doc, sentence, match.start)  # "the alleged plot", not its sentence
                cue, how = f"hedge ‘{match.text}’", "hedge"
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


def infinitive_after(doc, match):
    """Whether 'is reported to' / 'are said to' goes on with a verb ('to be', 'to have raised'),
    not a receiver ('to prosecutors', 'to the police')."""
    sentence = doc.sentence_at(match.start)
    k = index_at(sentence.tokens, match.end - 1) + 1
    if k >= len(sentence.tokens):
        return False
    following = sentence.tokens[k]
    return following.lower in ("be", "have") or (
        following.is_word and not following.capitalized and following.lower not in DETERMINERS
        and not following.lower.endswith("s") and not lexicon("sources").normal_word(following.lower))


def noun_phrase_after(doc, sentence, pos):
    """The adjective at `pos` with the noun phrase it modifies, up to four words and an 'of'
    or 'to' tail: 'alleged plot to kill the mayor'."""
    tokens = sentence.tokens
    k = index_at(tokens, pos)
    end = k
    while end + 1 < len(tokens) and end - k < 4 and tokens[end + 1].is_word \
            and tokens[end + 1].lower not in BOUNDARY_WORDS | PREPOSITIONS | AUXILIARIES:
        end += 1
    if end + 2 < len(tokens) and tokens[end + 1].lower in ("of", "to") and tokens[end + 2].is_word:
        end += 2
        while end + 1 < len(tokens) and end - k < 9 and tokens[end + 1].is_word \
                and tokens[end + 1].lower not in BOUNDARY_WORDS | AUXILIARIES:
            end += 1
    start = k - 1 if k > 0 and tokens[k - 1].lower in DETERMINERS else k
    return trim(doc.body, tokens[start].start, tokens[end].end)


def _reported_in(attributions, sentence, pos):
    """The attributed span of this sentence that the cue at `pos` follows, if any."""
    candidates = [(s, e) for s, e in attributions.spans if sentence.start <= s < pos and e <= sentence.end]
    return max(candidates) if candidates else None


def _reported_after(attributions, sentence, pos):
    """The first attributed span of this sentence from `pos` on: the claim weasel wording frames."""
    after = [(s, e) for s, e in attributions.spans if pos <= s < sentence.end]
    return min(after) if after else None


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
        tokens = sentence.tokens
        k = index_at(tokens, token.start)
        if k == 0 or noun_use(tokens, k):
            continue  # "the disputed border"
        if any(t.lower in PASSIVE for t in tokens[find_frame_start(tokens, k) : k]):
            continue  # "dismissed as irrelevant": the subject was dismissed, no claim was denied
        if not claim_object(sentence, k):
            continue  # "reject jihad", "denied entry": a denial of a thing, not of a claim
        span = clause_around(doc, sentence, token.start)
        found.append(Found(*span, DISPUTED, f"denial ‘{token.text}’", CONFIDENCE["denial"], anchor=token.start))
    return found


def claim_object(sentence, k):
    """Whether what a denial verb takes is a claim: 'denied this', 'rejected the accusations'."""
    tokens = sentence.tokens
    j = k + 1
    while j < len(tokens) and is_adverb(tokens[j]):
        j += 1
    if j >= len(tokens):
        return False
    if tokens[j].lower in CLAIM_PRONOUNS and (j + 1 == len(tokens) or not tokens[j + 1].is_word
                                              or tokens[j + 1].lower in BOUNDARY_WORDS | PREPOSITIONS):
        return True  # "denied this", not "reject this cynical bill"
    phrase = np_forward(sentence, tokens, j)
    return any(t.lower in CLAIM_NOUNS for t in phrase)


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
