"""Sources: the speaker of a reported clause or quotation, as a noun phrase or a name."""

from ..lexicon import lexicon
from ..text import DASHES
from .words import (
    ATTRIBUTED,
    AUXILIARIES,
    BOUNDARY_WORDS,
    DETERMINERS,
    MAX_SOURCE_WORDS,
    NP_PREPOSITIONS,
    NUMBER_WORDS,
    OBJECT_PRONOUNS,
    PREPOSITIONS,
    RELATIVES,
    SUBJECT_PRONOUNS,
    TIME_WORDS,
    TITLES,
    Source,
    clause_start_index,
    find_frame_start,
    is_adverb,
    is_demonym,
    is_name,
    is_verbish,
    noun_use,
    present_tense,
    verb_of,
)


# Verbs that take a bare infinitive: the noun before the next verb is their object, not a speaker.
CAUSATIVES = frozenset("help helps helped helping let lets make makes made making see saw watch watched".split())
# Reporting verbs with an everyday sense besides speech: they report words only after a subject
# that can speak.
EVERYDAY_SENSES = frozenset(
    "add adds added state states note notes noted report reports show shows showed point points pointed stress "
    "stresses stressed express expresses expressed order orders ordered plan plans planned".split())
PEOPLE_ENDINGS = ("ers", "ors", "ists", "ians", "ants", "ents")


def can_speak(sentence, tokens, subject_at, source, verb):
    """Whether the subject of a reporting verb can speak: a name, a pronoun or a source noun;
    never the object of 'help', 'let', 'make' ('helping the economy add 156,000 jobs')."""
    if subject_at is not None and any(t.lower in CAUSATIVES for t in tokens[max(0, subject_at - 1) : subject_at + 4]):
        return False
    if verb.lower not in EVERYDAY_SENSES or source.kind in ("name", "pronoun") or not source.text:
        return True
    words = source.text.split()
    if any(word[0].isupper() for word in words[1:]):
        return True  # "a spokesman for Mayor Ruth Dale"
    heads = [word.lower().replace("’", "'").removesuffix("'s").strip("'") for word in words]
    return any(lexicon("sources").normal_word(head) for head in heads) or heads[-1].endswith(PEOPLE_ENDINGS)


def subject_of(doc, sentence, tokens, k, frame_start):
    """(index where the subject starts, Source) for the verb at tokens[k]."""
    verb = tokens[k]
    i = frame_start - 1
    infinitive = any(t.lower == "to" for t in tokens[frame_start:k])
    if verb.lower.endswith("ing") or infinitive:
        # "Reports started circulating … alleging that", "Reuters cited … to report that": the
        # subject of the clause the participle or infinitive hangs from.
        after_comma = i >= 0 and tokens[i].text == ","
        start = clause_start_index(tokens, k) if after_comma else _subject_start(tokens, frame_start)
        np = np_forward(sentence, tokens, start)
        if np:
            return start, source_from(doc, sentence, np)
    if i < 0:
        return None, Source()
    if tokens[i].lower in ("and", "but", "then", "or"):
        earlier = next((p for p in range(i - 1, -1, -1) if verb_of(tokens[p]) and not noun_use(tokens, p)), None)
        if earlier is not None:  # "she said … and accused …": the same speaker
            return subject_of(doc, sentence, tokens, earlier, find_frame_start(tokens, earlier))
        return None, Source()
    if tokens[i].text == ",":
        return _subject_before_aside(doc, sentence, tokens, k, i)
    if tokens[i].lower in RELATIVES and i >= 1 and tokens[i - 1].text == ",":
        return i, source_from(doc, sentence, np_back(sentence, tokens, i - 2))  # "the service, which stated"
    region = np_back(sentence, tokens, i)
    start = i - len(region) + 1
    if not region:
        return None, Source()
    relative = _relative_before(sentence, tokens, start)
    if relative is not None:
        outer = np_back(sentence, tokens, relative - 1)
        if outer:  # "Security researchers who examined the sample said"
            return relative - len(outer), source_from(doc, sentence, outer)
    return start, source_from(doc, sentence, region)


def _subject_start(tokens, k):
    """Index where the clause holding token k starts, after a clause word ('when credible
    reports have circulated … claiming') or punctuation that opens a clause."""
    for i in range(k - 1, -1, -1):
        if tokens[i].text in ";:" or tokens[i].text in DASHES or tokens[i].lower in ("when", "while", "because",
                                                                                      "since", "although", "though",
                                                                                      "whereas", "if"):
            return i + 1
    return 0


def _subject_before_aside(doc, sentence, tokens, k, comma):
    """The subject before ', 27,' or ', Anna Berg,' or ', who …,': the name in an appositive
    wins over the description before it."""
    previous = next((p for p in range(comma - 1, -1, -1) if tokens[p].text in ",;:"), None)
    if previous is None or tokens[previous].text != ",":
        # "…, instead emphasizing" or a headline's "…, Says": the clause's own subject.
        start = clause_start_index(tokens, k)
        np = np_forward(sentence, tokens, start)
        return (start if np else None), source_from(doc, sentence, np)
    inner = tokens[previous + 1 : comma]
    before = np_back(sentence, tokens, previous - 1)
    if not before:
        return None, Source()
    if inner and is_name(inner[-1], sentence) and all(is_name(t, sentence) or t.lower in ("of", "al", "bin", "de")
                                                       for t in inner):
        return previous - len(before), source_from(doc, sentence, inner)
    return previous - len(before), source_from(doc, sentence, before)


def _relative_before(sentence, tokens, start):
    """Index of 'who'/'that'/'which' when the words before `start` are a relative clause's verb."""
    i = start - 1
    steps = 0
    while i >= 0 and steps < 3 and (is_verbish(tokens[i], sentence.headline) or is_adverb(tokens[i])):
        i -= 1
        steps += 1
    if steps and i >= 1 and tokens[i].lower in ("who", "that", "which"):
        return i
    return None


def np_back(sentence, tokens, i):
    """The noun phrase ending at tokens[i], walking left (at most a dozen words)."""
    collected = []
    while i >= 0 and len(collected) < 12:
        token = tokens[i]
        if not token.is_word or is_adverb(token):
            break
        if is_verbish(token, sentence.headline) and not _modifies(tokens, i, collected):
            break
        lower = token.lower
        joins_names = lower == "and" and collected and collected[0].capitalized and i > 0 and tokens[i - 1].capitalized
        if lower in BOUNDARY_WORDS and not joins_names:
            break
        collected.insert(0, token)
        i -= 1
    while collected and collected[0].lower in PREPOSITIONS:
        collected.pop(0)
    return collected


def _modifies(tokens, i, following):
    """Whether a verb-like word is a modifier or a noun inside a noun phrase: 'the leaked memo',
    'state television', 'a state official' (but not 'examined the sample')."""
    if i > 0 and tokens[i - 1].lower in DETERMINERS and verb_of(tokens[i]):
        return True
    if not following:
        return False
    lower = following[0].lower
    return not (lower in DETERMINERS or lower in AUXILIARIES or lower in PREPOSITIONS or lower in BOUNDARY_WORDS
                or lower in OBJECT_PRONOUNS or lower in NUMBER_WORDS or lower.isdigit())


def np_forward(sentence, tokens, i):
    """The noun phrase starting at tokens[i], up to a comma, a verb, a clause word or a preposition
    that starts an adjunct ('the Kremlin in a statement')."""
    collected = []
    while i < len(tokens) and len(collected) < 12:
        token = tokens[i]
        lower = token.lower
        if token.text in "'’" and collected and collected[-1].lower.endswith("s") and i + 1 < len(tokens) \
                and tokens[i + 1].is_word and tokens[i + 1].start == token.end + 1:
            collected.append(token)  # "the tenants' union": a plural's possessive
            i += 1
            continue
        if not token.is_word or is_adverb(token) or (lower in BOUNDARY_WORDS and lower != "and"):
            break
        if collected and (lower in PREPOSITIONS - NP_PREPOSITIONS or lower in SUBJECT_PRONOUNS
                          or (collected[-1].capitalized and present_tense(token))):
            break  # "the Tribune | they were …", "the Institute | appears to …"
        if is_verbish(token, sentence.headline) and not _noun_in_phrase(collected, token, tokens, i):
            break
        collected.append(token)
        i += 1
    while collected and (collected[-1].lower in PREPOSITIONS or collected[-1].lower == "and"):
        collected.pop()
    return collected


def _noun_in_phrase(collected, token, tokens, i):
    """Whether a verb-like word continues a noun phrase read forwards: 'its report', 'RT’s
    report', 'credible reports', 'the leaked memo'."""
    if not collected:
        return False
    last = collected[-1]
    after_owner = last.lower.endswith("'s") or last.lower in DETERMINERS or last.lower in NUMBER_WORDS \
        or last.text.isdigit()
    if token.lower in AUXILIARIES:
        return False
    if after_owner and (verb_of(token) or (i + 1 < len(tokens) and tokens[i + 1].is_word)):
        return True
    return bool(verb_of(token)) and not last.capitalized and not is_verbish(last)


def source_from(doc, sentence, tokens):
    """The source a noun phrase names: 'Sergei Ryabkov', 'the Kremlin', 'Iranian officials',
    'Assad’s office', 'a spokesman for the Data Protection Commission', or a pronoun to resolve."""
    tokens = [t for t in tokens if t.is_word]
    while tokens and (tokens[0].lower in PREPOSITIONS or tokens[0].lower in BOUNDARY_WORDS):
        tokens = tokens[1:]
    if not tokens:
        return Source()
    if tokens[-1].lower in SUBJECT_PRONOUNS:
        return Source(tokens[-1].lower, "pronoun")  # "during which time he revealed"

    if len(tokens) == 1 and (tokens[0].lower in DETERMINERS or tokens[0].lower in ("it", "which", "who")):
        return Source()
    run_start, run = _final_name(tokens, sentence)
    article = run and run_start > 0 and tokens[run_start - 1].lower == "the"
    owner = run_start - 2 if article else run_start - 1
    if run and not (owner >= 0 and tokens[owner].lower in NP_PREPOSITIONS):
        name = doc.body[run[0].start : run[-1].end - (2 if run[-1].lower.endswith("'s") else 0)]
        return Source("the " + name, "phrase") if article else Source(name, "name")
    tokens = tokens[-MAX_SOURCE_WORDS:]
    text = doc.body[tokens[0].start : tokens[-1].end]
    if tokens[0].lower in DETERMINERS or tokens[0].lower in NUMBER_WORDS:
        text = text[0].lower() + text[1:]
    return Source(text, "phrase")


def _final_name(tokens, sentence):
    """(index in `tokens` where the name's words start, the name) for the name ending a noun
    phrase, without its owner ('Iran’s Raisi'), titles or nationality ('Council President
    Marcus Webb' -> 'Marcus Webb')."""
    start = len(tokens)
    while start > 0 and (is_name(tokens[start - 1], sentence) or (
            start < len(tokens) and tokens[start - 1].lower in ("of", "for", "and", "al", "bin", "de"))):
        start -= 1
    while start < len(tokens) and tokens[start].lower in ("of", "for", "and"):
        start += 1
    run = tokens[start:]
    if not run or is_demonym(run[-1]):
        return start, []
    for i in range(len(run) - 2, -1, -1):
        if run[i].lower.endswith("'s"):
            run = run[i + 1 :]
            break
    titles = [i for i, t in enumerate(run[:-1]) if t.lower.rstrip(".") in TITLES]
    if titles:
        run = run[titles[-1] + 1 :]
    while len(run) > 1 and is_demonym(run[0]):
        run = run[1:]
    return start, run


def per_source(sentence, tokens, i):
    """'per Tasnim News Agency', 'per its latest budget' name a source; 'per cent' and 'per its
    sovereign right' do not."""
    if i >= len(tokens):
        return False
    first = tokens[i]
    if first.capitalized and first.is_word and first.lower not in TIME_WORDS:
        return True
    if first.lower in ("its", "their", "his", "her", "the"):
        np = np_forward(sentence, tokens, i)
        return bool(np) and bool(lexicon("sources").normal_word(np[-1].lower))
    return False


def owner_of(doc, sentence, tokens, k, that):
    """Who makes a claim named by a noun: 'Russia’s accusations', 'claims from X that'."""
    if tokens[k - 1].lower.endswith("'s"):
        first = k - 1
        while first > 0 and k - first < 4 and tokens[first - 1].is_word and (
                tokens[first - 1].capitalized or tokens[first - 1].lower in DETERMINERS):
            first -= 1
            if tokens[first].lower in DETERMINERS:
                break
        text = doc.body[tokens[first].start : tokens[k - 1].end - 2]
        return Source(text[0].lower() + text[1:] if tokens[first].lower in DETERMINERS else text, "phrase")
    for m in range(k + 1, that):
        if tokens[m].lower in ("by", "from"):
            return source_from(doc, sentence, tokens[m + 1 : that])
    if tokens[k - 1].capitalized and tokens[k - 1].is_word and not sentence.headline:
        return Source(tokens[k - 1].text, "name")
    return Source()


def named_subjects(doc):
    """(offset, name) for sentences that start with a name: 'Lavrov earlier elaborated …'."""
    subjects = []
    for sentence in doc.sentences:
        if sentence.headline or sentence.paragraph in doc.skipped:
            continue
        source = source_from(doc, sentence, np_forward(sentence, sentence.tokens, 0))
        if source.kind == "name":
            subjects.append((sentence.start, source.text))
    return subjects


def resolve_pronouns(found, subjects):
    """Give 'he said' the latest singular source or person named before it (as a speaker or as a
    sentence's subject), and 'they said' the latest source."""
    events = [(f.anchor, 1, f) for f in found if f.label == ATTRIBUTED]
    events += [(offset, 0, name) for offset, name in subjects]
    person, anyone = "", ""
    for _, kind, item in sorted(events, key=lambda event: event[:2]):
        if kind == 0:
            person = item
        elif item.source_kind == "pronoun":
            item.source = person if item.source in ("he", "she") else anyone
        elif item.source:
            anyone = item.source
            if item.source_kind == "name" or not item.source.split()[-1].lower().endswith("s"):
                person = item.source  # "one of them", "a spokesman": singular, so "she said" may be them
