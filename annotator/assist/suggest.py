"""Cue-based suggestions: spans of an article that look attributed, disputed or editorialized.

Every suggestion names the cue that triggered it, so a reader can judge it: a reporting
verb, a quotation and its speaker, a hedge, a denial, a loaded term. The words come from
the lexicon files (lexicons/README.md); the rules here know only how news sentences are
built: who says what, where a reported clause starts and ends, which noun a label is
pinned to.

Spans are claim-sized: the reported clause or the quotation (a long quotation sentence by
sentence), the hedged clause, the loaded phrase with the name it is applied to. No span is
a whole paragraph. Pure Python; `suggest(body)` is all a caller needs.
"""

import re
from dataclasses import asdict, dataclass

from .lexicon import lexicon
from .text import DASHES, OPENING_DOUBLE, Document

ATTRIBUTED, DISPUTED, EDITORIALIZED = "attributed", "disputed", "editorialized"

UNATTRIBUTED_QUOTE = "quotation (no speaker named nearby)"
# A quotation longer than this, or running over paragraphs, is offered sentence by sentence.
MAX_QUOTE_SPAN = 350
# Sources are noun phrases; a longer subject is cut to its last words.
MAX_SOURCE_WORDS = 8
# How far after a reporting verb its "that" may come ("said in a statement on Monday that").
THAT_WINDOW = 12
# Shorter spans are noise ("he said", a stray word).
MIN_SPAN = 8
MIN_CLAUSE_WORDS = 2

DETERMINERS = frozenset(
    "the a an this that these those its his her their our my your some many several few all both each every any "
    "no such another other".split()
)
NUMBER_WORDS = frozenset("one two three four five six seven eight nine ten dozens hundreds thousands".split())
SUBJECT_PRONOUNS = frozenset("he she they we i".split())
RELATIVES = frozenset("which who whom that".split())
AUXILIARIES = frozenset(
    "is are was were be been being am has have had having do does did will would can could may might must shall "
    "should 's".split()
)
# Common irregular past tenses: enough to see that a reported clause has a verb.
IRREGULAR_PAST = frozenset(
    "made took gave told stole hit won lost left came went saw knew thought got put ran began became brought "
    "bought caught fought sent spent built broke chose drove fell felt found held kept led meant met paid rose "
    "sold sat shot stood struck taught wore wrote understood set cut let quit shut spread cost hurt read".split()
)
BOUNDARY_WORDS = frozenset(
    "that which who whom whose where when while as because since after before if though although but and or than "
    "unless until whereas so yet despite however unlike like whether what".split()
)
PREPOSITIONS = frozenset(
    "of in on at to for from with by about over under into through during against between among via per without "
    "within across amid around near behind toward towards upon".split()
)
# Prepositions that may sit inside a source's noun phrase: "a spokesman for the Commission".
NP_PREPOSITIONS = frozenset("of for at from with by".split())
ADVERBS = frozenset(
    "also further again once still later earlier then previously long only already now often even just never not "
    "n't instead first twice too soon recently today yesterday".split()
)
TIME_WORDS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday yesterday today tonight earlier later last this next "
    "week weekend month year morning afternoon evening night january february march april may june july august "
    "september october november december".split()
)
# After a comma these words start a new clause, so a reported clause stops before them.
CLAUSE_CUTS = frozenset(
    "according per but though although while despite as thus hence adding noting saying whereas instead yet".split()
)
# Leading words of a name that are titles, dropped from a source's name.
TITLES = frozenset(
    "president presidents prime minister foreign deputy ministry ambassador secretary general chairman chairwoman "
    "mayor governor senator representative dr mr mrs ms gen col chief executive spokesman spokeswoman king queen "
    "prince pope director interim former supreme leader commander lieutenant colonel major captain judge justice "
    "sheikh ayatollah defense defence interior vice acting councilman councilwoman councillor councilor "
    "commissioner superintendent inspector sergeant officer professor".split()
)
DEMONYM_ENDINGS = ("ian", "ean", "ese", "ish", "eli", "aqi", "ani", "eni", "iti")
# Verbs that put the speaker after them: "…, said Maria Ortega."
INVERTING_VERBS = frozenset("say said says add added adds write wrote writes continue continued explain explained "
                            "note noted insist insisted argue argued warn warned ask asked reply replied".split())
# Verbs whose first word after them is an object, not a reported clause: "told reporters".
OBJECT_FIRST_VERBS = frozenset("cite quote post tweet".split())
NAMING_CONTEXT = frozenset("called named dubbed branded termed titled nicknamed known designated designate as".split())
NOUN_MODIFIERS = frozenset("former longtime veteran so-called".split())
PASSIVE = frozenset("is are was were be been being".split())
OBJECT_PRONOUNS = frozenset("it they them he him she her we us i me you".split())
REFLEXIVES = frozenset("itself himself herself themselves myself ourselves".split())
CLOSING_MARKS = frozenset('”"’»')
DOUBT_NOUNS = frozenset(
    "claim claims allegation allegations accusation accusations rumour rumours rumor rumors speculation narrative "
    "narratives charge charges".split()
)
REPORT_NOUNS = DOUBT_NOUNS | frozenset("report reports assertion assertions suggestion suggestions".split())
FALSE_WORDS = frozenset("false baseless unfounded unsubstantiated fake debunked bogus dubious groundless".split())
CONFIDENCE = {
    "quote": 0.9, "quote_continued": 0.75, "quote_unattributed": 0.45,
    "verb_that": 0.85, "verb_zero": 0.7, "verb_postposed": 0.8, "according": 0.9, "per": 0.75,
    "naming": 0.6, "belief": 0.55, "nominal": 0.6,
    "hedge_frame": 0.8, "distancing": 0.55, "denial": 0.7, "unverified": 0.75, "accusation": 0.7,
    "hedge": 0.65, "nominal_doubt": 0.55,
    "label_named": 0.8, "label": 0.6, "adjective": 0.55, "verb": 0.55, "intensifier": 0.45,
    "opener": 0.75, "phrase": 0.6, "scare": 0.4,
}


@dataclass(frozen=True)
class Suggestion:
    start: int
    end: int
    exact: str
    label: str
    source: str
    cue: str
    confidence: float

    def as_json(self):
        return asdict(self)


@dataclass
class _Found:
    start: int
    end: int
    label: str
    cue: str
    confidence: float
    source: str = ""
    source_kind: str = ""  # "name", "pronoun", "phrase" or ""
    anchor: int = 0  # where the cue is, for resolving pronouns in reading order


@dataclass
class _Source:
    text: str = ""
    kind: str = ""


@dataclass
class _Attribution:
    source: _Source
    cue: str
    verb: str  # the reporting word as written
    verb_kind: str  # the lexicon section: neutral, distancing, denial, …
    frame: list  # adverbs between subject and verb ("reportedly", "falsely")
    anchor: int


def suggest(body):
    """Suggestions for an article body, in text order (see the module docstring)."""
    doc = Document.parse(body)
    attributions = _Attributions(doc)
    found = attributions.run()
    found += _disputed(doc, attributions)
    found += _editorialized(doc, attributions)
    _resolve_pronouns(found, _named_subjects(doc))
    return _finish(doc, found)


# --- words ---------------------------------------------------------------------------


def _verb(token):
    entry = lexicon("reporting_verbs").normal_word(token.lower) if token.is_word else None
    return entry.section if entry else None


def _is_hedge_word(token):
    return bool(lexicon("hedges").normal_word(token.lower))


def _is_adverb(token):
    lower = token.lower
    return (lower in ADVERBS or lower == "falsely" or (lower.endswith("ly") and len(lower) > 4 and not token.capitalized)
            or _is_hedge_word(token))


def _is_verbish(token, headline=False):
    if not token.is_word or (token.capitalized and not headline and token.lower not in AUXILIARIES):
        return False
    lower = token.lower
    return (lower in AUXILIARIES or lower in IRREGULAR_PAST or (lower.endswith("ed") and len(lower) > 4)
            or _verb(token) is not None)


def _is_name(token, sentence):
    """A capitalized word that is a name, not a capital forced by position or by title case."""
    if sentence.headline or not token.is_word or not token.capitalized:
        return False
    lower = token.lower
    return not (lower in DETERMINERS or lower in SUBJECT_PRONOUNS or lower in BOUNDARY_WORDS or lower in PREPOSITIONS)


def _is_demonym(token):
    return token.capitalized and token.lower.endswith(DEMONYM_ENDINGS)


def _offsets(tokens):
    return tokens[0].start, tokens[-1].end


def _index_at(tokens, pos):
    return next((i for i, t in enumerate(tokens) if t.end > pos), len(tokens) - 1)


# --- attribution ---------------------------------------------------------------------


class _Attributions:
    """Attributed claims: quotations with their speakers, reported clauses, according to X."""

    def __init__(self, doc):
        self.doc = doc
        self.found = []
        self.spans = []  # (start, end) of every attributed span, for the other labels
        self.quote_spans = []
        self.used_cues = set()  # offsets of hedges already read as part of an attribution

    def run(self):
        self._quotations()
        for sentence in self.doc.sentences:
            if sentence.paragraph in self.doc.skipped:
                continue
            self._reporting_verbs(sentence)
            self._according_to(sentence)
            self._nominal(sentence)
        # A quotation with no speaker of its own that sits inside a reported clause is part of
        # that claim ('claimed that Putin called Iran “one of the main pillars …”').
        self.found = [f for f in self.found if not (f.cue == UNATTRIBUTED_QUOTE and any(
            s <= f.start and f.end <= e and (s, e) != (f.start, f.end) for s, e in self.spans))]
        return self.found

    def add(self, pieces, attribution, how):
        """Record an attributed claim (a long quotation as several pieces) and the doubts its
        reporting verb or adverbs carry."""
        confidence = round(CONFIDENCE[how] - (0 if attribution.source.text else 0.1), 2)
        self.used_cues.update(t.start for t in attribution.frame)
        for start, end in pieces:
            self.found.append(_Found(start, end, ATTRIBUTED, attribution.cue, confidence, attribution.source.text,
                                     attribution.source.kind, attribution.anchor))
            self.spans.append((start, end))
            for cue, how_doubt in _doubts(attribution):
                self.found.append(_Found(start, end, DISPUTED, cue, CONFIDENCE[how_doubt], anchor=attribution.anchor))

    # quotations

    def _quotations(self):
        doc = self.doc
        previous = None  # (paragraph, attribution) of the last attributed full quotation
        for quote in doc.quotes:
            if not quote.full or quote.paragraph in doc.skipped:
                continue
            attribution = self._speaker_after(quote) or self._speaker_before(quote)
            how = "quote"
            if attribution is None and previous and previous[0] in (quote.paragraph, quote.paragraph - 1) \
                    and _starts_sentence(doc, quote):
                earlier = previous[1]
                attribution = _Attribution(earlier.source, earlier.cue.replace("quotation;", "quotation continued;", 1),
                                           earlier.verb, earlier.verb_kind, [], earlier.anchor)
                how = "quote_continued"
            if attribution is None:
                attribution = _Attribution(_Source(), UNATTRIBUTED_QUOTE, "", "", [], quote.open)
                how = "quote_unattributed"
            else:
                previous = (quote.paragraph, attribution)
            pieces = _quote_pieces(doc, quote)
            if pieces:
                self.add(pieces, attribution, how)
                self.quote_spans.append(quote.inner)

    def _speaker_after(self, quote):
        """'“…,” Raisi reportedly said', '“…,” said Maria Ortega', '“…,” according to the Kremlin'."""
        doc = self.doc
        sentence = doc.sentence_at(quote.close) or doc.sentence_at(quote.close - 1)
        if sentence is None:
            return None
        tail = [t for t in sentence.tokens if t.start > quote.close]
        if not tail:
            following = doc.sentence_at(sentence.end + 1)
            if following is None or following.paragraph != sentence.paragraph:
                return None
            tail = following.tokens
        tail = _until(tail, lambda t: t.text in ".!?" or t.text in OPENING_DOUBLE or doc.quote_at(t.start))
        while tail and tail[0].text == ",":
            tail = tail[1:]
        if len(tail) >= 3 and tail[0].lower == "according" and tail[1].lower == "to":
            source = _source_from(doc, sentence, _np_forward(sentence, tail, 2))
            return _Attribution(source, "quotation; ‘according to’", "according to", "neutral", [], tail[0].start)
        for k, token in enumerate(tail[:30]):
            kind = _verb(token)
            if kind is None or kind in ("belief", "naming") or _noun_use(tail, k):
                continue
            cue = f"quotation; reporting verb ‘{token.text}’"
            if k == 0:
                source = _source_from(doc, sentence, _np_forward(sentence, tail, 1))
                return _Attribution(source, cue, token.text, kind, [], token.start)
            frame_start = _frame_start(tail, k)
            subject_at, source = _subject(doc, sentence, tail, k, frame_start)
            if subject_at is None or subject_at > 0:
                return None  # the verb belongs to a later clause, not to this quotation
            return _Attribution(source, cue, token.text, kind, tail[frame_start:k], token.start)
        return None

    def _speaker_before(self, quote):
        """'RT added that “…”', 'Raisi was quoted as saying, “…”', 'According to RT, “…”'."""
        doc = self.doc
        sentence = doc.sentence_at(quote.open)
        head = [t for t in sentence.tokens if t.end <= quote.open] if sentence else []
        if not head:
            return self._speaker_of_introduction(quote)
        k = len(head) - 1
        while k >= 0 and len(head) - k <= 6 and (head[k].text in ",:" or head[k].lower in ("that", "as", "saying")
                                                 or _is_adverb(head[k]) or head[k].lower in TIME_WORDS):
            k -= 1
        according = next((i for i in range(len(head) - 1) if head[i].lower == "according" and head[i + 1].lower == "to"),
                         None)
        if according is not None and k > according:
            source = _source_from(doc, sentence, _np_forward(sentence, head, according + 2))
            return _Attribution(source, "quotation; ‘according to’", "according to", "neutral", [], head[according].start)
        if k < 0 or _verb(head[k]) in (None, "belief") or _noun_use(head, k):
            return None
        frame_start = _frame_start(head, k)
        _, source = _subject(doc, sentence, head, k, frame_start)
        return _Attribution(source, f"quotation; reporting verb ‘{head[k].text}’", head[k].text, _verb(head[k]),
                            head[frame_start:k], head[k].start)

    def _speaker_of_introduction(self, quote):
        """A quotation opening a paragraph after one that ends 'he revealed that …:'."""
        doc = self.doc
        if quote.paragraph == 0 or doc.paragraphs[quote.paragraph][0] != quote.open:
            return None
        p_start, p_end = doc.paragraphs[quote.paragraph - 1]
        if not doc.body[p_start:p_end].rstrip().endswith(":"):
            return None
        sentence = doc.sentence_at(p_end - 1)
        tokens = sentence.tokens if sentence else []
        for k in range(len(tokens) - 1, -1, -1):
            kind = _verb(tokens[k])
            if kind and kind != "belief" and not doc.quote_at(tokens[k].start) and not _noun_use(tokens, k):
                _, source = _subject(doc, sentence, tokens, k, _frame_start(tokens, k))
                return _Attribution(source, f"quotation; introduced by ‘{tokens[k].text}’", tokens[k].text, kind, [],
                                    tokens[k].start)
        return None

    # reported clauses

    def _reporting_verbs(self, sentence):
        tokens = sentence.tokens
        forms = lexicon("reporting_verbs").forms
        for k, token in enumerate(tokens):
            if token.lower not in forms:
                continue
            kind = _verb(token)
            if kind == "tail" or "-" in token.text or self.doc.quote_at(token.start):
                continue
            if _noun_use(tokens, k) or (token.lower == "quoted" and k + 1 < len(tokens) and tokens[k + 1].lower == "as"):
                continue
            frame = tokens[_frame_start(tokens, k) : k]
            if any(t.lower in PASSIVE for t in frame):
                continue  # "residents were never warned": nobody is reported saying anything
            if kind == "belief" and any(t.lower == "to" for t in frame):
                continue  # "a conspiracy theory to believe that …": nobody holds this belief
            self._reported_clause(sentence, k, kind)

    def _reported_clause(self, sentence, k, kind):
        doc = self.doc
        tokens = sentence.tokens
        verb = tokens[k]
        frame_start = _frame_start(tokens, k)
        content = _content_after(sentence, k, kind)
        if content is not None:
            how = {"naming": "naming", "belief": "belief"}.get(kind, "verb_zero" if content[2] == "zero" else "verb_that")
            if content[2] == "object" and kind == "denial":
                how = "naming"
            _, source = _subject(doc, sentence, tokens, k, frame_start)
            span = content[:2]
        elif kind == "with_that":
            return
        else:
            span, source = _content_before(doc, sentence, k, frame_start)
            how = "verb_postposed"
        if span is None or self._covered_by_quote(*span):
            return
        start, end = _trim(doc.body, *span)
        if end - start < MIN_SPAN:
            return
        noun = "belief verb" if kind == "belief" else "reporting verb"
        cue = f"{noun} ‘{verb.text}’" + _unnamed(source.text)
        self.add([(start, end)], _Attribution(source, cue, verb.text, kind, tokens[frame_start:k], verb.start), how)

    def _covered_by_quote(self, start, end):
        """Whether a reported clause is just a quotation the quotation rule already attributed."""
        body = self.doc.body
        while start < end and body[start] in " ,":
            start += 1
        return any(q_start - 1 <= start <= q_start and end <= q_end + 2 for q_start, q_end in self.quote_spans)

    def _according_to(self, sentence):
        """'…, according to X.', 'According to X, …', '…, per Tasnim News Agency.', '…, as described by X.'"""
        doc = self.doc
        tokens = sentence.tokens
        for k, token in enumerate(tokens):
            if token.lower not in ("according", "per", "as") or doc.quote_at(token.start):
                continue
            if token.lower == "according" and k + 1 < len(tokens) and tokens[k + 1].lower == "to":
                cue, how, np_at = "‘according to’", "according", k + 2
            elif token.lower == "per" and k > 0 and tokens[k - 1].text == "," and _per_source(sentence, tokens, k + 1):
                cue, how, np_at = "‘per’", "per", k + 1
            elif (token.lower == "as" and k + 2 < len(tokens) and _verb(tokens[k + 1]) and tokens[k + 2].lower == "by"):
                cue, how, np_at = f"‘as {tokens[k + 1].text} by’", "verb_postposed", k + 3
            else:
                continue
            np = _np_forward(sentence, tokens, np_at)
            if not np:
                continue
            source = _source_from(doc, sentence, np)
            after = np_at + len(np)
            leading = k == _clause_start_index(tokens, k) and after < len(tokens) and tokens[after].text == ","
            if leading:
                end_index = _clause_end(tokens, after + 1)
                span = _offsets(tokens[after + 1 : end_index]) if end_index - after > 3 else None
            else:
                span = _clause_before(doc, sentence, k)
            if span is None or self._covered_by_quote(*span):
                continue
            start, end = _trim(doc.body, *span)
            if end - start >= MIN_SPAN:
                attribution = _Attribution(source, cue + _unnamed(source.text), token.text, "neutral", [], token.start)
                self.add([(start, end)], attribution, how)

    def _nominal(self, sentence):
        """'Russia’s accusations that …', 'the false narrative that …', 'claims by X that …'."""
        doc = self.doc
        tokens = sentence.tokens
        for k, token in enumerate(tokens):
            if token.lower not in REPORT_NOUNS or doc.quote_at(token.start) or not _noun_use(tokens, k):
                continue
            that = next((m for m in range(k + 1, min(len(tokens), k + 8)) if tokens[m].lower == "that"), None)
            if that is None or any(_is_verbish(t, sentence.headline) or t.text in ",;:" for t in tokens[k + 1 : that]):
                continue
            end_index = _clause_end(tokens, that + 1)
            if end_index - that < 3:
                continue
            start, end = _trim(doc.body, *_offsets(tokens[that + 1 : end_index]))
            owner = _owner(doc, sentence, tokens, k, that)
            if owner.text:
                self.add([(start, end)], _Attribution(owner, f"reported as ‘{token.text} that’", token.text, "neutral", [],
                                                      token.start), "nominal")
            if tokens[k - 1].lower in FALSE_WORDS:
                cue, how = f"accusation ‘{tokens[k - 1].text} {token.text}’", "accusation"
                self.used_cues.add(tokens[k - 1].start)
            elif token.lower in DOUBT_NOUNS:
                cue, how = f"distancing noun ‘{token.text}’", "nominal_doubt"
            else:
                continue
            self.found.append(_Found(start, end, DISPUTED, cue, CONFIDENCE[how], anchor=token.start))


def _starts_sentence(doc, quote):
    """Whether a quotation opens its sentence or paragraph (a comma before it makes it part of
    a longer sentence, which needs a speaker of its own)."""
    before = doc.body[doc.paragraphs[quote.paragraph][0] : quote.open].rstrip()
    return not before or before[-1] in ".!?:”\""


def _doubts(attribution):
    """(cue, confidence key) for the doubt an attribution carries: its verb or its adverbs."""
    doubts = []
    for token in attribution.frame:
        if token.lower == "falsely":
            doubts.append((f"accusation ‘{token.text}’", "accusation"))
        elif _is_hedge_word(token):
            doubts.append((f"hedge ‘{token.text}’", "hedge_frame"))
    if attribution.verb_kind == "distancing":
        doubts.append((f"distancing verb ‘{attribution.verb}’", "distancing"))
    elif attribution.verb_kind == "denial":
        doubts.append((f"denial ‘{attribution.verb}’", "denial"))
    return doubts


def _unnamed(source):
    """'; unnamed source' for 'three unnamed sources', 'people familiar with the talks'."""
    lowered = f" {source.lower()} "
    return "; unnamed source" if any(f" {p} " in lowered for p in lexicon("sources").in_section("unnamed")) else ""


def _noun_use(tokens, k):
    """Whether a reporting word is a noun here ("the claims", "his statement", "false claims")."""
    if k == 0:
        return False
    before = tokens[k - 1].lower
    return (before in DETERMINERS - {"that"} or before in FALSE_WORDS or before.endswith("'s")
            or before in NUMBER_WORDS or before.isdigit() or before in ("first", "second", "latest", "last")
            or (before in PREPOSITIONS and before != "to"))


def _frame_start(tokens, k):
    """Index of the first adverb or auxiliary right before the verb at k ("has reportedly said")."""
    i = k
    while i > 0 and (tokens[i - 1].lower in AUXILIARIES or _is_adverb(tokens[i - 1]) or tokens[i - 1].lower == "to"):
        i -= 1
    return i


def _until(tokens, stop):
    for i, token in enumerate(tokens):
        if stop(token):
            return tokens[:i]
    return tokens


def _content_after(sentence, k, kind):
    """(start, end, how) of the clause a verb reports, or None: 'said (that) …', 'called X a Y'."""
    tokens = sentence.tokens
    that = _find_that(sentence, k + 1) if kind != "naming" else None
    if that is not None:
        first, how = that + 1, "that"
        while first < len(tokens) and tokens[first].text == ",":
            first += 1
    elif kind == "with_that":
        return None
    elif kind == "naming" or (kind == "denial" and _as_index(tokens, k + 1) is not None):
        first, how = k + 1, "object"
        if first >= len(tokens) or not tokens[first].is_word or tokens[first].lower in PREPOSITIONS - {"of"} \
                or tokens[first].lower in REFLEXIVES or tokens[first].lower in BOUNDARY_WORDS:
            return None
    else:
        first, how = _zero_that(sentence, k + 1, k), "zero"
        if first is None:
            return None
    end_index = _clause_end(tokens, first)
    if how == "object":
        # "described the attack, which …, as necessary retaliation": the object and what it is
        # called; without "as", the object alone ("called the ban an attack, a charge …").
        as_at = _as_index(tokens, first)
        end_index = _clause_end(tokens, as_at + 1) if as_at is not None else \
            next((m for m in range(first, end_index) if tokens[m].text == ","), end_index)
    else:
        # "…had arrived in Iran, which was followed by claims …": an aside on the whole event.
        end_index = next((m for m in range(first, end_index - 1) if tokens[m].text == ","
                          and tokens[m + 1].lower == "which"), end_index)
    words = [t for t in tokens[first:end_index] if t.is_word]
    if len(words) < MIN_CLAUSE_WORDS or (len(words) <= 4 and _verb(words[-1]) and not (
            words[-2].lower in AUXILIARIES or _is_adverb(words[-2]))):
        return None  # "PressTV claimed that Putin said": nothing is reported here
    return tokens[first].start, tokens[end_index - 1].end, how


def _as_index(tokens, first):
    """Index of the 'as' of 'called X as Y' in the rest of the sentence, or None."""
    for m in range(first, len(tokens)):
        if tokens[m].text in ".!?;":
            return None
        if tokens[m].lower == "as":
            return m
    return None


def _find_that(sentence, j):
    """Index of the 'that' opening a reported clause soon after the verb, skipping adjuncts and
    a comma-enclosed aside ('claimed, through a media outlet …, that …')."""
    tokens = sentence.tokens
    m, read = j, 0
    while m < len(tokens) and read < THAT_WINDOW:
        token = tokens[m]
        if token.lower == "that":
            following = tokens[m + 1] if m + 1 < len(tokens) else None
            if following is not None and (following.lower in AUXILIARIES or _is_verbish(following, sentence.headline)):
                return None  # "in a readout that covered …": a relative clause, not a reported one
            return m
        if token.text == ",":
            closing = next((i for i in range(m + 1, min(len(tokens), m + 16)) if tokens[i].text == ","), None)
            if closing is None:
                return None
            m = closing + 1
            continue
        if not token.is_word or token.lower in BOUNDARY_WORDS or _is_verbish(token, sentence.headline):
            return None
        m += 1
        read += 1
    return None


def _object_relative(sentence, tokens, k):
    """Whether the verb at k follows 'that/which/who + subject': 'which they believe can be …'."""
    subject = _np_back(sentence, tokens, _frame_start(tokens, k) - 1)
    before = _frame_start(tokens, k) - len(subject) - 1
    return bool(subject) and before >= 0 and tokens[before].lower in ("that", "which", "who")


def _present_tense(token):
    lower = token.lower
    return token.is_word and not token.capitalized and lower.endswith("s") and not lower.endswith(("ss", "us", "is"))


def _zero_that(sentence, j, verb_index):
    """Where a clause reported without 'that' starts ('said the ban was …'), or None."""
    tokens = sentence.tokens
    verb = tokens[verb_index]
    lemma = lexicon("reporting_verbs").normal_word(verb.lower).pattern.split("|")[0]
    if lemma == "tell":
        listener = _np_forward(sentence, tokens, j)  # "told the Tribune they were …"
        if not listener or listener[-1].lower in SUBJECT_PRONOUNS:
            return None
        j += len(listener)
        if j < len(tokens) and tokens[j].lower not in SUBJECT_PRONOUNS | DETERMINERS | {"it", "there"}:
            return None
    elif lemma in OBJECT_FIRST_VERBS:
        return None  # these take an object first: "cited three sources", "quoted officials"
    while j < len(tokens) and (_is_adverb(tokens[j]) or tokens[j].lower in TIME_WORDS):
        j += 1
    if j + 1 >= len(tokens):
        return None
    first = tokens[j]
    if first.lower in SUBJECT_PRONOUNS or first.lower in ("it", "there"):
        return j if tokens[j + 1].is_word else None
    if first.lower in AUXILIARIES and _object_relative(sentence, tokens, verb_index):
        return j  # "an attack that officials claimed was targeting …": the clause's subject is "that"
    if first.lower in DETERMINERS and j + 2 < len(tokens) and _present_tense(tokens[j + 2]):
        return j  # "said the company faces …"
    if (first.is_word and not first.capitalized and first.lower not in PREPOSITIONS | BOUNDARY_WORDS | TIME_WORDS
            and _is_verbish(tokens[j + 1], sentence.headline) and not _verb(tokens[j + 1])):
        return j  # "said managers set …"
    if not (first.lower in DETERMINERS or first.lower in NUMBER_WORDS or first.text.isdigit()
            or (first.capitalized and first.is_word and first.lower not in PREPOSITIONS | BOUNDARY_WORDS)):
        return None
    for m in range(j + 1, _clause_end(tokens, j)):
        token = tokens[m]
        if (_verb(token) and not _noun_use(tokens, m)) or token.lower in BOUNDARY_WORDS:
            return None  # another reporting verb's clause, or an object with a relative clause
        if _is_verbish(token, sentence.headline):
            return j
    return None


def _clause_end(tokens, i):
    """Index just past the reported clause that starts at token i."""
    m = i
    while m < len(tokens):
        token = tokens[m]
        if token.text in ".!?" and m > i:
            # Closing quotation marks after the full stop belong to the clause.
            if m + 1 < len(tokens) and tokens[m + 1].text in CLOSING_MARKS and tokens[m + 1].start == token.end:
                return m + 2
            return m
        if token.text == ";" and m > i:
            return m
        if token.text in DASHES or (token.text == "-" and m > i and tokens[m - 1].end < token.start):
            return m
        if token.text == ":" and m - i >= 4:
            return m
        if token.text == "," and m + 1 < len(tokens) and tokens[m + 1].lower in CLAUSE_CUTS:
            return m
        if token.text == "," and m + 2 < len(tokens) and tokens[m + 1].text in CLOSING_MARKS \
                and tokens[m + 2].lower in CLAUSE_CUTS:
            return m + 2  # '…analogous to Iran’s,” as Raisi warned': the quotation ends the clause
        if token.text == "," and m + 2 < len(tokens) and tokens[m + 1].lower == "and" \
                and tokens[m + 2].lower in SUBJECT_PRONOUNS | {"it"}:
            return m  # ", and it hasn't changed …": a new clause of the writer's
        if m > i and (token.lower in ("while", "despite", "whereas") or
                      (token.lower == "but" and m + 1 < len(tokens) and _is_verbish(tokens[m + 1])) or
                      (token.lower == "and" and m + 1 < len(tokens) and _verb(tokens[m + 1]))):
            return m
        m += 1
    return m


def _clause_start_index(tokens, k):
    """Index of the first token of the clause holding token k (after ; : dashes, or 0)."""
    for i in range(k - 1, -1, -1):
        if tokens[i].text in ";:" or tokens[i].text in DASHES:
            return i + 1
    return 0


def _clause_before(doc, sentence, k):
    """The clause before the comma that precedes token k: '…, officials said' / '…, according to X'."""
    tokens = sentence.tokens
    comma = k - 1
    while comma >= 0 and tokens[comma].text != ",":
        comma -= 1
    if comma <= 0:
        first = _clause_start_index(tokens, k)
        return _offsets(tokens[first:k]) if k - first >= 3 else None
    quote = doc.quote_at(tokens[comma - 1].start)
    if quote is not None and quote.full:
        return None  # a quotation: the quotation rule attributes it
    first = _clause_start_index(tokens, comma)
    for i in range(comma - 1, first, -1):
        if tokens[i].text == ",":
            if i + 1 < comma and tokens[i + 1].lower in ("which", "who"):
                first = i + 1  # "…Hamas, which is using “human shields,” according to officials"
            break
    if comma - first < 3:
        return None
    return _offsets(tokens[first:comma])


def _content_before(doc, sentence, k, frame_start):
    """The clause a verb reports from behind: 'X happened, officials said.' -> (span, source)."""
    tokens = sentence.tokens
    rest = _until(tokens[k + 1 :], lambda t: t.text in ",.!?;")
    told = tokens[k].lower.startswith(("tell", "told"))
    if rest and not (rest[0].lower in PREPOSITIONS or rest[0].lower in TIME_WORDS or _is_adverb(rest[0]) or told):
        return None, _Source()  # something else follows the verb: it is not reporting from behind
    if frame_start > 0 and tokens[frame_start - 1].text == ",":
        if tokens[k].lower not in INVERTING_VERBS:
            return None, _Source()
        source = _source_from(doc, sentence, _np_forward(sentence, tokens, k + 1))  # "…, said Maria Ortega"
        subject_at = frame_start
    else:
        subject_at, source = _subject(doc, sentence, tokens, k, frame_start)
        if not subject_at or tokens[subject_at - 1].text != ",":
            return None, _Source()
    if _in_aside(tokens, subject_at - 1):
        return None, _Source()
    return _clause_before(doc, sentence, subject_at), source


def _in_aside(tokens, comma):
    """Whether the comma at `comma` closes an aside (', which calls itself X,'): then the verb
    after it is the sentence's own, not a speaker's."""
    for i in range(comma - 1, -1, -1):
        if tokens[i].text == ",":
            return i + 1 < comma and tokens[i + 1].lower in ("which", "who", "whom", "whose")
    return False


# --- sources -------------------------------------------------------------------------


def _subject(doc, sentence, tokens, k, frame_start):
    """(index where the subject starts, _Source) for the verb at tokens[k]."""
    verb = tokens[k]
    i = frame_start - 1
    infinitive = any(t.lower == "to" for t in tokens[frame_start:k])
    if verb.lower.endswith("ing") or infinitive:
        # "Reports started circulating … alleging that", "Reuters cited … to report that": the
        # subject of the clause the participle or infinitive hangs from.
        after_comma = i >= 0 and tokens[i].text == ","
        start = _clause_start_index(tokens, k) if after_comma else _subject_start(tokens, frame_start)
        np = _np_forward(sentence, tokens, start)
        if np:
            return start, _source_from(doc, sentence, np)
    if i < 0:
        return None, _Source()
    if tokens[i].lower in ("and", "but", "then", "or"):
        earlier = next((p for p in range(i - 1, -1, -1) if _verb(tokens[p]) and not _noun_use(tokens, p)), None)
        if earlier is not None:  # "she said … and accused …": the same speaker
            return _subject(doc, sentence, tokens, earlier, _frame_start(tokens, earlier))
        return None, _Source()
    if tokens[i].text == ",":
        return _subject_before_aside(doc, sentence, tokens, k, i)
    if tokens[i].lower in RELATIVES and i >= 1 and tokens[i - 1].text == ",":
        return i, _source_from(doc, sentence, _np_back(sentence, tokens, i - 2))  # "the service, which stated"
    region = _np_back(sentence, tokens, i)
    start = i - len(region) + 1
    if not region:
        return None, _Source()
    relative = _relative_before(sentence, tokens, start)
    if relative is not None:
        outer = _np_back(sentence, tokens, relative - 1)
        if outer:  # "Security researchers who examined the sample said"
            return relative - len(outer), _source_from(doc, sentence, outer)
    return start, _source_from(doc, sentence, region)


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
        start = _clause_start_index(tokens, k)
        np = _np_forward(sentence, tokens, start)
        return (start if np else None), _source_from(doc, sentence, np)
    inner = tokens[previous + 1 : comma]
    before = _np_back(sentence, tokens, previous - 1)
    if not before:
        return None, _Source()
    if inner and _is_name(inner[-1], sentence) and all(_is_name(t, sentence) or t.lower in ("of", "al", "bin", "de")
                                                       for t in inner):
        return previous - len(before), _source_from(doc, sentence, inner)
    return previous - len(before), _source_from(doc, sentence, before)


def _relative_before(sentence, tokens, start):
    """Index of 'who'/'that'/'which' when the words before `start` are a relative clause's verb."""
    i = start - 1
    steps = 0
    while i >= 0 and steps < 3 and (_is_verbish(tokens[i], sentence.headline) or _is_adverb(tokens[i])):
        i -= 1
        steps += 1
    if steps and i >= 1 and tokens[i].lower in ("who", "that", "which"):
        return i
    return None


def _np_back(sentence, tokens, i):
    """The noun phrase ending at tokens[i], walking left (at most a dozen words)."""
    collected = []
    while i >= 0 and len(collected) < 12:
        token = tokens[i]
        if not token.is_word or _is_adverb(token):
            break
        if _is_verbish(token, sentence.headline) and not _modifies(tokens, i, collected):
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
    if i > 0 and tokens[i - 1].lower in DETERMINERS and _verb(tokens[i]):
        return True
    if not following:
        return False
    lower = following[0].lower
    return not (lower in DETERMINERS or lower in AUXILIARIES or lower in PREPOSITIONS or lower in BOUNDARY_WORDS
                or lower in OBJECT_PRONOUNS or lower in NUMBER_WORDS or lower.isdigit())


def _np_forward(sentence, tokens, i):
    """The noun phrase starting at tokens[i], up to a comma, a verb, a clause word or a preposition
    that starts an adjunct ('the Kremlin in a statement')."""
    collected = []
    while i < len(tokens) and len(collected) < 12:
        token = tokens[i]
        lower = token.lower
        if not token.is_word or _is_adverb(token) or (lower in BOUNDARY_WORDS and lower != "and"):
            break
        if collected and (lower in PREPOSITIONS - NP_PREPOSITIONS or lower in SUBJECT_PRONOUNS
                          or (collected[-1].capitalized and _present_tense(token))):
            break  # "the Tribune | they were …", "the Institute | appears to …"
        if _is_verbish(token, sentence.headline) and not _noun_in_phrase(collected, token, tokens, i):
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
    if after_owner and (_verb(token) or (i + 1 < len(tokens) and tokens[i + 1].is_word)):
        return True
    return bool(_verb(token)) and not last.capitalized and not _is_verbish(last)


def _source_from(doc, sentence, tokens):
    """The source a noun phrase names: 'Sergei Ryabkov', 'the Kremlin', 'Iranian officials',
    'Assad’s office', 'a spokesman for the Data Protection Commission', or a pronoun to resolve."""
    tokens = [t for t in tokens if t.is_word]
    while tokens and (tokens[0].lower in PREPOSITIONS or tokens[0].lower in BOUNDARY_WORDS):
        tokens = tokens[1:]
    if not tokens:
        return _Source()
    if tokens[-1].lower in SUBJECT_PRONOUNS:
        return _Source(tokens[-1].lower, "pronoun")  # "during which time he revealed"

    if len(tokens) == 1 and (tokens[0].lower in DETERMINERS or tokens[0].lower in ("it", "which", "who")):
        return _Source()
    run_start, run = _final_name(tokens, sentence)
    article = run and run_start > 0 and tokens[run_start - 1].lower == "the"
    owner = run_start - 2 if article else run_start - 1
    if run and not (owner >= 0 and tokens[owner].lower in NP_PREPOSITIONS):
        name = doc.body[run[0].start : run[-1].end - (2 if run[-1].lower.endswith("'s") else 0)]
        return _Source("the " + name, "phrase") if article else _Source(name, "name")
    tokens = tokens[-MAX_SOURCE_WORDS:]
    text = doc.body[tokens[0].start : tokens[-1].end]
    if tokens[0].lower in DETERMINERS or tokens[0].lower in NUMBER_WORDS:
        text = text[0].lower() + text[1:]
    return _Source(text, "phrase")


def _final_name(tokens, sentence):
    """(index in `tokens` where the name's words start, the name) for the name ending a noun
    phrase, without its owner ('Iran’s Raisi'), titles or nationality ('Council President
    Marcus Webb' -> 'Marcus Webb')."""
    start = len(tokens)
    while start > 0 and (_is_name(tokens[start - 1], sentence) or (
            start < len(tokens) and tokens[start - 1].lower in ("of", "for", "and", "al", "bin", "de"))):
        start -= 1
    while start < len(tokens) and tokens[start].lower in ("of", "for", "and"):
        start += 1
    run = tokens[start:]
    if not run or _is_demonym(run[-1]):
        return start, []
    for i in range(len(run) - 2, -1, -1):
        if run[i].lower.endswith("'s"):
            run = run[i + 1 :]
            break
    titles = [i for i, t in enumerate(run[:-1]) if t.lower.rstrip(".") in TITLES]
    if titles:
        run = run[titles[-1] + 1 :]
    while len(run) > 1 and _is_demonym(run[0]):
        run = run[1:]
    return start, run


def _per_source(sentence, tokens, i):
    """'per Tasnim News Agency', 'per its latest budget' name a source; 'per cent' and 'per its
    sovereign right' do not."""
    if i >= len(tokens):
        return False
    first = tokens[i]
    if first.capitalized and first.is_word and first.lower not in TIME_WORDS:
        return True
    if first.lower in ("its", "their", "his", "her", "the"):
        np = _np_forward(sentence, tokens, i)
        return bool(np) and bool(lexicon("sources").normal_word(np[-1].lower))
    return False


def _owner(doc, sentence, tokens, k, that):
    """Who makes a claim named by a noun: 'Russia’s accusations', 'claims from X that'."""
    if tokens[k - 1].lower.endswith("'s"):
        first = k - 1
        while first > 0 and k - first < 4 and tokens[first - 1].is_word and (
                tokens[first - 1].capitalized or tokens[first - 1].lower in DETERMINERS):
            first -= 1
            if tokens[first].lower in DETERMINERS:
                break
        text = doc.body[tokens[first].start : tokens[k - 1].end - 2]
        return _Source(text[0].lower() + text[1:] if tokens[first].lower in DETERMINERS else text, "phrase")
    for m in range(k + 1, that):
        if tokens[m].lower in ("by", "from"):
            return _source_from(doc, sentence, tokens[m + 1 : that])
    if tokens[k - 1].capitalized and tokens[k - 1].is_word and not sentence.headline:
        return _Source(tokens[k - 1].text, "name")
    return _Source()


def _named_subjects(doc):
    """(offset, name) for sentences that start with a name: 'Lavrov earlier elaborated …'."""
    subjects = []
    for sentence in doc.sentences:
        if sentence.headline or sentence.paragraph in doc.skipped:
            continue
        source = _source_from(doc, sentence, _np_forward(sentence, sentence.tokens, 0))
        if source.kind == "name":
            subjects.append((sentence.start, source.text))
    return subjects


def _resolve_pronouns(found, subjects):
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


# --- disputed ------------------------------------------------------------------------


def _disputed(doc, attributions):
    """Hedges, doubts about verification and accusations of falsehood, outside quotations."""
    found = []
    for family in ("hedges", "accusations"):
        for match in lexicon(family).matches(doc.body, doc.words):
            if match.start in attributions.used_cues or _skip(doc, match.start):
                continue
            sentence = doc.sentence_at(match.start)
            if sentence is None:
                continue
            section = match.entry.section
            if section == "hedge" and match.text.lower() in ("alleged", "purported") and _verb_use(doc, match):
                continue
            if section == "unverified":
                span = _reported_in(attributions, sentence, match.start) or _trim(doc.body, sentence.start, sentence.end)
                cue, how = f"unverified ‘{match.text}’", "unverified"
            else:
                span = _reported_around(attributions, sentence, match.start) or _clause_around(doc, sentence, match.start)
                cue, how = (f"accusation ‘{match.text}’", "accusation") if section == "accusation" else \
                    (f"hedge ‘{match.text}’", "hedge")
            found.append(_Found(*span, DISPUTED, cue, CONFIDENCE[how], anchor=match.start))
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
    denials = [t for word, tokens in doc.words.items() if _verb(tokens[0]) == "denial" for t in tokens]
    for token in sorted(denials, key=lambda t: t.start):
        sentence = doc.sentence_at(token.start)
        if sentence is None or token.start in covered or _skip(doc, token.start):
            continue
        k = _index_at(sentence.tokens, token.start)
        if k == 0 or _noun_use(sentence.tokens, k):
            continue  # "the disputed border"
        span = _clause_around(doc, sentence, token.start)
        found.append(_Found(*span, DISPUTED, f"denial ‘{token.text}’", CONFIDENCE["denial"], anchor=token.start))
    return found


def _skip(doc, pos):
    """Cues inside quotations are the speaker's words, and crossheads are not prose."""
    return doc.quote_at(pos) is not None or doc.paragraph_of(pos) in doc.skipped


def _clause_around(doc, sentence, pos):
    """The comma-delimited clause holding `pos`; extended to its subject when it starts with a
    verb ('…, has reportedly hired a lawyer'), and to the sentence when only a few words long."""
    tokens = sentence.tokens
    k = _index_at(tokens, pos)
    first = k
    while first > 0 and not _breaks_clause(doc, tokens, first - 1):
        first -= 1
    last = k
    while last + 1 < len(tokens) and not _breaks_clause(doc, tokens, last + 1):
        last += 1
    if first > 0 and (tokens[first].lower in AUXILIARIES or _is_verbish(tokens[first], sentence.headline)):
        first = _clause_start_index(tokens, first)
    if sum(t.is_word for t in tokens[first : last + 1]) < 4:
        return _trim(doc.body, sentence.start, sentence.end)
    return _trim(doc.body, tokens[first].start, tokens[last].end)


def _clause_of_word(doc, sentence, pos):
    """The clause around `pos`, starting after the last clause word before it: 'their
    influencers peddle for clout' rather than the whole sentence that holds it."""
    start, end = _clause_around(doc, sentence, pos)
    tokens = sentence.tokens
    k = _index_at(tokens, pos)
    for i in range(k - 1, 0, -1):
        if tokens[i].start < start:
            break
        if tokens[i].lower in BOUNDARY_WORDS and tokens[i].lower != "and" and k - i > 1:
            return _trim(doc.body, tokens[i + 1].start, end)
    return start, end


def _breaks_clause(doc, tokens, i):
    token = tokens[i]
    if token.text in ",;:.!?" or token.text in DASHES:
        return token.text in ".!?" or not doc.quote_at(token.start)
    return token.lower in ("but", "though", "although", "whereas", "yet")


# --- editorialized -------------------------------------------------------------------


def _editorialized(doc, attributions):
    """Loaded terms with what they are pinned on, the writer's verdicts, intensifiers, scare quotes."""
    found = []
    for match in lexicon("loaded_terms").matches(doc.body, doc.words):
        sentence = doc.sentence_at(match.start)
        if sentence is None or _skip(doc, match.start):
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
            span = _modified_phrase(doc, sentence, match)
            cue = f"loaded term ‘{match.text}’"
        else:
            span = _clause_of_word(doc, sentence, match.start)
            cue = f"{'loaded verb' if section == 'verb' else 'intensifier'} ‘{match.text}’"
        found.append(_Found(*span, EDITORIALIZED, cue, CONFIDENCE[how], anchor=match.start))
    for match in lexicon("verdicts").matches(doc.body, doc.words):
        sentence = doc.sentence_at(match.start)
        if sentence is None or _skip(doc, match.start):
            continue
        section = match.entry.section
        span = _verdict_span(doc, sentence, match.start) if section == "opener" else \
            _clause_around(doc, sentence, match.start)
        found.append(_Found(*span, EDITORIALIZED, f"writer’s verdict ‘{match.text}’", CONFIDENCE[section],
                            anchor=match.start))
    found += _scare_quotes(doc, attributions)
    return found


def _without_possessive(text):
    return text[:-2] if text.endswith(("'s", "’s")) else text


def _labelled_phrase(doc, sentence, match):
    """'Russian strongman Vladimir Putin', 'propaganda outlet PressTV', 'the brutal dictatorship of
    Bashar Assad': the term, its modifiers and the name it labels. (span, whether a name follows)."""
    tokens = sentence.tokens
    k = _index_at(tokens, match.start)
    last = _index_at(tokens, match.end - 1)
    if k > 0 and tokens[k - 1].lower == "designated":
        return None, False  # "a U.S.-designated terrorist organization": a designation, not a label
    first = _left_modifiers(sentence, tokens, k)
    if tokens[last].lower.endswith("'s"):
        return _trim(doc.body, tokens[first].start, tokens[last].end - 2), False  # "the Syrian regime’s claim"
    end, named = _named_after(sentence, tokens, last)
    if not named:
        end = _nouns_after(sentence, tokens, last, 2)
    return _trim(doc.body, tokens[first].start, tokens[end].end), named


def _named_after(sentence, tokens, last):
    """(index of the last word, True) when a name follows the term at `last`: directly
    ('strongman Vladimir Putin'), after 'of' ('dictatorship of Bashar Assad') or as an
    appositive ('president, Radu Fenn,')."""
    after = last + 1
    if after + 1 < len(tokens) and tokens[after].lower == "of":
        after += 2 if tokens[after + 1].lower == "the" else 1
    run = after
    while run < len(tokens) and _is_name(tokens[run], sentence):
        run += 1
    if run > after:
        return run - 1, True
    if last + 2 < len(tokens) and tokens[last + 1].text == "," and _is_name(tokens[last + 2], sentence):
        run = last + 2
        while run < len(tokens) and _is_name(tokens[run], sentence):
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
                or token.lower in DETERMINERS or token.lower in AUXILIARIES or _is_adverb(token)
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
        modifier = _is_name(token, sentence) and not token.lower.endswith("'s")
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
    k = _index_at(tokens, match.start)
    end = _nouns_after(sentence, tokens, k, 4)
    if end == k:
        return _clause_around(doc, sentence, match.start)
    named_end, named = _named_after(sentence, tokens, end)
    if named:
        end = named_end
    elif end + 2 < len(tokens) and tokens[end + 1].lower == "of":
        end = _nouns_after(sentence, tokens, end + 2 if tokens[end + 2].lower not in DETERMINERS else end + 2, 3)
    return _trim(doc.body, tokens[_left_modifiers(sentence, tokens, k)].start, tokens[end].end)


def _verdict_span(doc, sentence, pos):
    """From the start of the verdict's clause to the end of its sentence, stopping before a
    trailing aside (', which …', ', especially …')."""
    tokens = sentence.tokens
    k = _index_at(tokens, pos)
    first = k
    while first > 0 and tokens[first - 1].text not in ",;:" and tokens[first - 1].text not in DASHES:
        first -= 1
    last = len(tokens)
    for i in range(k + 1, len(tokens) - 1):
        if tokens[i].text == "," and tokens[i + 1].lower in ("which", "especially", "however", "since", "though"):
            last = i
            break
    return _trim(doc.body, tokens[first].start, tokens[last - 1].end)


def _scare_quotes(doc, attributions):
    """A word or three in quotation marks that nobody in the sentence is said to have said:
    the writer keeping a distance ('the “politically inconvenient” truth')."""
    found = []
    for quote in doc.quotes:
        if quote.full or not 1 <= quote.words <= 3 or quote.paragraph in doc.skipped:
            continue
        if any(s <= quote.open + 1 and quote.close <= e + 1 for s, e in attributions.spans):
            continue
        start, end = quote.inner
        if all(word[0].isupper() for word in doc.body[start:end].split() if word[0].isalpha()):
            continue  # a name in quotation marks: "Operation True Promise"
        sentence = doc.sentence_at(quote.open)
        if sentence is None:
            continue
        before = [t for t in sentence.tokens if t.end <= quote.open][-3:]
        after = [t for t in sentence.tokens if t.start > quote.close][:1]
        modifies_noun = bool(after) and after[0].is_word and not after[0].capitalized
        if any(t.lower in NAMING_CONTEXT for t in before) or (any(_verb(t) for t in before) and not modifies_noun):
            continue  # a name or someone's words: 'called it “x”', 'said “x”'
        close = min(quote.close + 1, len(doc.body))
        found.append(_Found(quote.open, close, EDITORIALIZED, f"scare quotes {doc.body[quote.open:close]}",
                            CONFIDENCE["scare"], anchor=quote.open))
    return found


# --- finishing -----------------------------------------------------------------------


def _trim(body, start, end):
    """A span without surrounding spaces, commas or colons, nor a closing full stop (kept before
    a closing quotation mark, which belongs to the quoted words and is taken in when the span
    holds its opening mark)."""
    while start < end and body[start] in " \t,;:":
        start += 1
    while end > start and body[end - 1] in " \t,;:":
        end -= 1
    if body.count("“", start, end) > body.count("”", start, end):
        closing = re.match(r"[.,!?]?”", body[end : end + 2])
        if closing:
            return start, end + closing.end()
    if end > start and body[end - 1] == ".":
        end -= 1
    return start, end


def _quote_pieces(doc, quote):
    """A quotation's words: whole when short, else sentence by sentence within the quotation."""
    start, end = _trim(doc.body, *quote.inner)
    if end - start < MIN_SPAN:
        return []
    if end - start <= MAX_QUOTE_SPAN and "\n" not in doc.body[start:end]:
        return [(start, end)]
    pieces = []
    for sentence in doc.sentences:
        s, e = max(sentence.start, start), min(sentence.end, end)
        if e - s >= MIN_SPAN:
            s, e = _trim(doc.body, s, e)
            if doc.body[s] in OPENING_DOUBLE or doc.body[s] == '"':
                s += 1
            pieces.append((s, e))
    return pieces


def _finish(doc, found):
    """Merge near-duplicates, keep every span inside one paragraph and shorter than it, sort."""
    merged = []
    open_items = []  # merged items of the current label that may still overlap what follows
    for item in sorted(found, key=lambda f: (f.label, f.start, -f.end)):
        open_items = [m for m in open_items if m.label == item.label and m.end > item.start]
        same = open_items[-1] if open_items else None
        if same is None:
            merged.append(item)
            open_items.append(item)
        elif item.label != DISPUTED:
            if _overlap(same, item) < 0.8 * max(same.end - same.start, item.end - item.start):
                merged.append(item)
                open_items.append(item)
            elif item.confidence > same.confidence:
                merged[merged.index(same)] = item
                open_items[-1] = item
        else:
            _absorb(doc, same, item)
    suggestions = []
    for item in merged:
        p_start, p_end = doc.paragraphs[doc.paragraph_of(item.start)]
        start, end = item.start, min(item.end, p_end)
        if end - start < 3 or doc.body[start:end].strip() == doc.body[p_start:p_end].strip():
            continue
        suggestions.append(Suggestion(start, end, doc.body[start:end], item.label, item.source[:200], item.cue,
                                      min(item.confidence, 0.99)))
    suggestions.sort(key=lambda s: (s.start, s.end, s.label))
    return suggestions


def _overlap(a, b):
    return max(0, min(a.end, b.end) - max(a.start, b.start))


def _absorb(doc, kept, item):
    """Join two overlapping doubts about one sentence into one span with both cues."""
    if doc.sentence_at(kept.start) is not doc.sentence_at(item.start):
        if item.confidence > kept.confidence:
            kept.start, kept.end, kept.cue, kept.confidence = item.start, item.end, item.cue, item.confidence
        return
    kept.start, kept.end = min(kept.start, item.start), max(kept.end, item.end)
    if item.cue not in kept.cue:
        kept.cue = f"{kept.cue}; {item.cue}"
    kept.confidence = max(kept.confidence, item.confidence)
