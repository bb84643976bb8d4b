"""Editorialized: the writer's loaded words, labels and verdicts, and scare quotes."""

from ..lexicon import lexicon
from ..text import DASHES
from .disputed import clause_around, clause_of_word, skip
from .finishing import trim
from .words import (
    AUXILIARIES,
    BOUNDARY_WORDS,
    CONFIDENCE,
    DETERMINERS,
    EDITORIALIZED,
    NAMING_CONTEXT,
    NOUN_MODIFIERS,
    PREPOSITIONS,
    Found,
    index_at,
    is_adverb,
    is_name,
    noun_use,
    verb_of,
)


# Nouns before a quoted title: '“x”' after them names a work, not the writer's doubt.
TITLE_NOUNS = frozenset(
    "show series book novel film movie song album programme program podcast documentary play titled entitled "
    "headline slogan motto hashtag column essay poem".split())


def editorialized(doc, attributions):
    """Loaded terms with what they are pinned on, the writer's verdicts, intensifiers, scare quotes."""
    found = []
    for match in lexicon("loaded_terms").matches(doc.body, doc.words):
        sentence = doc.sentence_at(match.start)
        if sentence is None or skip(doc, match.start):
            continue
        section = match.entry.section
        how = section
        if section == "label":
            span, named = _labelled_phrase(doc, sentence, match)
            if span is None:
                continue
            how = "label_named" if named else "label"
            cue = f"loaded term ‘{_without_possessive(match.text)}’"
        elif section == "adjective":
            if match.text.lower() == "so-called" and _before_name(sentence, match):
                continue  # "the so-called Flats district": what a place is called, not a sneer
            span = _modified_phrase(doc, sentence, match)
            cue = f"loaded term ‘{match.text}’"
        else:
            span = clause_of_word(doc, sentence, match.start)
            cue = f"{'loaded verb' if section == 'verb' else 'intensifier'} ‘{match.text}’"
        found.append(Found(*span, EDITORIALIZED, cue, CONFIDENCE[how], anchor=match.start))
    for match in lexicon("verdicts").matches(doc.body, doc.words):
        sentence = doc.sentence_at(match.start)
        if sentence is None or skip(doc, match.start):
            continue
        section = match.entry.section
        span = _verdict_span(doc, sentence, match.start) if section == "opener" else \
            clause_around(doc, sentence, match.start)
        found.append(Found(*span, EDITORIALIZED, f"writer’s verdict ‘{match.text}’", CONFIDENCE[section],
                            anchor=match.start))
    found += _scare_quotes(doc, attributions)
    return found


def _before_name(sentence, match):
    tokens = sentence.tokens
    k = index_at(tokens, match.end - 1) + 1
    return k < len(tokens) and is_name(tokens[k], sentence)


def _without_possessive(text):
    return text[:-2] if text.endswith(("'s", "’s")) else text


def _labelled_phrase(doc, sentence, match):
    """'Russian strongman Vladimir Putin', 'propaganda outlet PressTV', 'the brutal dictatorship of
    Bashar Assad': the term, its modifiers and the name it labels. (span, whether a name follows)."""
    tokens = sentence.tokens
    k = index_at(tokens, match.start)
    last = index_at(tokens, match.end - 1)
    if k > 0 and tokens[k - 1].lower == "designated":
        return None, False  # "a U.S.-designated terrorist organization": a designation, not a label
    first = _left_modifiers(sentence, tokens, k)
    if tokens[last].lower.endswith("'s"):
        return trim(doc.body, tokens[first].start, tokens[last].end - 2), False  # "the Syrian regime’s claim"
    end, named = _named_after(sentence, tokens, last)
    if not named:
        end = _nouns_after(sentence, tokens, last, 2)
    return trim(doc.body, tokens[first].start, tokens[end].end), named


def _named_after(sentence, tokens, last):
    """(index of the last word, True) when a name follows the term at `last`: directly
    ('strongman Vladimir Putin'), after 'of' ('dictatorship of Bashar Assad') or as an
    appositive ('president, Radu Fenn,')."""
    after = last + 1
    if after + 1 < len(tokens) and tokens[after].lower == "of":
        after += 2 if tokens[after + 1].lower == "the" else 1
    run = after
    while run < len(tokens) and is_name(tokens[run], sentence):
        run += 1
    if run > after:
        return run - 1, True
    if last + 2 < len(tokens) and tokens[last + 1].text == "," and is_name(tokens[last + 2], sentence):
        run = last + 2
        while run < len(tokens) and is_name(tokens[run], sentence):
            run += 1
        if run >= len(tokens) or tokens[run].text in ",.":
            return run - 1, True
    return last, False


def _nouns_after(sentence, tokens, last, limit):
    """Index of the last of up to `limit` words after `last` that continue its noun phrase."""
    end = last
    while end + 1 < len(tokens) and end - last < limit:
        token = tokens[end + 1]
        if (not token.is_word or token.lower in BOUNDARY_WORDS or token.lower in PREPOSITIONS
                or token.lower in DETERMINERS or token.lower in AUXILIARIES or is_adverb(token)
                or (token.lower.endswith("ed") and not token.capitalized)):
            break
        end += 1
    return end


def _left_modifiers(sentence, tokens, k):
    """Index of the first word of the phrase a term sits in: nationalities and other modifiers,
    then a determiner or an owner ('the city's bungling …', 'an Israeli jet’s irresponsible …')."""
    first = k
    while first > 0 and k - first < 3:
        token = tokens[first - 1]
        modifier = is_name(token, sentence) and not token.lower.endswith("'s")
        if not (modifier or token.lower in NOUN_MODIFIERS or lexicon("loaded_terms").normal_word(token.lower)):
            break
        first -= 1
    if first > 0 and (tokens[first - 1].lower in DETERMINERS - {"that"} or tokens[first - 1].lower.endswith("'s")):
        first -= 1
        owner_start = first
        while tokens[owner_start].lower.endswith("'s") and owner_start > 0 and first - owner_start < 3:
            previous = tokens[owner_start - 1]
            if not previous.is_word or not (previous.capitalized or previous.lower in DETERMINERS):
                break
            owner_start -= 1
            if previous.lower in DETERMINERS:
                break
        first = owner_start if tokens[first].lower.endswith("'s") else first
    return first


def _modified_phrase(doc, sentence, match):
    """An evaluative adjective with the noun phrase it modifies ('Medvedev’s hawkish tweet'),
    or its clause when it stands as a predicate ('the attack was brutal')."""
    tokens = sentence.tokens
    k = index_at(tokens, match.start)
    end = _nouns_after(sentence, tokens, k, 4)
    if end == k:
        return clause_around(doc, sentence, match.start)
    named_end, named = _named_after(sentence, tokens, end)
    if named:
        end = named_end
    elif end + 2 < len(tokens) and tokens[end + 1].lower == "of":
        end = _nouns_after(sentence, tokens, end + 2 if tokens[end + 2].lower not in DETERMINERS else end + 2, 3)
    return trim(doc.body, tokens[_left_modifiers(sentence, tokens, k)].start, tokens[end].end)


def _verdict_span(doc, sentence, pos):
    """From the start of the verdict's clause to the end of its sentence, stopping before a
    trailing aside (', which …', ', especially …')."""
    tokens = sentence.tokens
    k = index_at(tokens, pos)
    first = k
    while first > 0 and tokens[first - 1].text not in ",;:" and tokens[first - 1].text not in DASHES:
        first -= 1
    last = len(tokens)
    for i in range(k + 1, len(tokens) - 1):
        if tokens[i].text == "," and tokens[i + 1].lower in ("which", "especially", "however", "since", "though"):
            last = i
            break
    return trim(doc.body, tokens[first].start, tokens[last - 1].end)


def _scare_quotes(doc, attributions):
    """A word or three in quotation marks that nobody in the sentence is said to have said:
    the writer keeping a distance ('the “politically inconvenient” truth'). Not a title, not a
    speaker's own sentence ('“Walls work,” he added'), not a term the article keeps quoting."""
    found = []
    phrases = {}
    for quote in doc.quotes:
        phrases.setdefault(doc.body[slice(*quote.inner)].strip(" ,.!?").lower(), []).append(quote)
    for quote in doc.quotes:
        if quote.full or not 1 <= quote.words <= 3 or quote.paragraph in doc.skipped:
            continue
        if any(s <= quote.open + 1 and quote.close <= e + 1 for s, e in attributions.spans):
            continue
        start, end = quote.inner
        text = doc.body[start:end]
        if all(word[0].isupper() for word in text.split() if word[0].isalpha()):
            continue  # a name in quotation marks: "Operation True Promise"
        if len(phrases[text.strip(" ,.!?").lower()]) > 1:
            continue  # a term the article discusses, not a sneer at one use of it
        sentence = doc.sentence_at(quote.open)
        if sentence is None:
            continue
        before = [t for t in sentence.tokens if t.end <= quote.open][-3:]
        after = [t for t in sentence.tokens if t.start > quote.close][:4]
        modifies_noun = bool(after) and after[0].is_word and not after[0].capitalized
        if any(t.lower in NAMING_CONTEXT or t.lower in TITLE_NOUNS for t in before) or text[:1].isupper() and before:
            continue  # a name or a title: 'called it “x”', 'the book “How to Win”'
        if text.rstrip()[-1:] in ",.!?" or (after and after[0].text == "," and any(verb_of(t) for t in after[1:])):
            continue  # a speaker's own sentence: '“Walls work,” he added'
        if any(verb_of(t) and not noun_use(sentence.tokens, i) and not doc.quote_at(t.start)
               for i, t in enumerate(sentence.tokens)) and not modifies_noun:
            continue  # someone in the sentence speaks: the words are theirs
        close = min(quote.close + 1, len(doc.body))
        found.append(Found(quote.open, close, EDITORIALIZED, f"scare quotes {doc.body[quote.open:close]}",
                            CONFIDENCE["scare"], anchor=quote.open))
    return found
