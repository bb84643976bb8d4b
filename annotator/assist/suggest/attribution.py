"""Attribution: reporting verbs and quotations, and the reported content they frame."""

from ..lexicon import lexicon
from ..text import DASHES, OPENING_DOUBLE
from .disputed import claim_object, clause_around, infinitive_after, skip
from .finishing import quote_pieces, trim
from .sources import can_speak, np_back, np_forward, owner_of, per_source, source_from, subject_of
from .words import (
    ATTRIBUTED,
    AUXILIARIES,
    BOUNDARY_WORDS,
    CLAUSE_CUTS,
    CLOSING_MARKS,
    CONFIDENCE,
    DETERMINERS,
    DISPUTED,
    DOUBT_NOUNS,
    FALSE_WORDS,
    INVERTING_VERBS,
    MIN_CLAUSE_WORDS,
    MAX_QUOTE_SPAN,
    MIN_SPAN,
    NUMBER_WORDS,
    OBJECT_FIRST_VERBS,
    PASSIVE,
    PREPOSITIONS,
    REFLEXIVES,
    REPORT_NOUNS,
    SUBJECT_PRONOUNS,
    THAT_WINDOW,
    TIME_WORDS,
    UNATTRIBUTED_QUOTE,
    Attribution,
    Found,
    Source,
    clause_start_index,
    find_frame_start,
    index_at,
    is_adverb,
    is_hedge_word,
    is_verbish,
    lexicon_matches,
    noun_use,
    offsets,
    present_tense,
    verb_of,
)


class Attributions:
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
        self._agentless()
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
            self.found.append(Found(start, end, ATTRIBUTED, attribution.cue, confidence, attribution.source.text,
                                     attribution.source.kind, attribution.anchor))
            self.spans.append((start, end))
            for cue, how_doubt in _doubts(attribution):
                self.found.append(Found(start, end, DISPUTED, cue, CONFIDENCE[how_doubt], anchor=attribution.anchor))

    # quotations

    def _quotations(self):
        doc = self.doc
        previous = None  # (paragraph, attribution) of the last attributed full quotation
        split = None  # (quote, its one attributed Found) when a speaker tag follows it mid-sentence
        for quote in doc.quotes:
            if not quote.full or quote.paragraph in doc.skipped:
                continue
            if split and self._join(split, quote):
                split = None
                continue
            attribution = self._speaker_after(quote) or self._speaker_before(quote)
            how = "quote"
            if attribution is None and previous and previous[0] in (quote.paragraph, quote.paragraph - 1) \
                    and _starts_sentence(doc, quote):
                earlier = previous[1]
                attribution = Attribution(earlier.source, earlier.cue.replace("quotation;", "quotation continued;", 1),
                                           earlier.verb, earlier.verb_kind, [], earlier.anchor)
                how = "quote_continued"
            if attribution is None:
                attribution = Attribution(Source(), UNATTRIBUTED_QUOTE, "", "", [], quote.open)
                how = "quote_unattributed"
            else:
                previous = (quote.paragraph, attribution)
            pieces = quote_pieces(doc, quote)
            split = None
            if pieces:
                self.add(pieces, attribution, how)
                self.quote_spans.append(quote.inner)
                if len(pieces) == 1 and how == "quote" and attribution.anchor > quote.close:
                    split = (quote, self.found[-1 - len(_doubts(attribution))])

    def _join(self, split, quote):
        """'“First part,” Voss told the delegation, “and the rest.”': one claim, read whole.
        Joins when the second part follows the first one's speaker tag in the same sentence
        and has no speaker of its own."""
        doc = self.doc
        first, found = split
        tag = doc.body[first.close + 1 : quote.open]
        sentence = doc.sentence_at(first.open)
        if sentence is None or sentence is not doc.sentence_at(quote.open) or not tag.rstrip().endswith(",") \
                or "\n" in tag or not found.anchor < quote.open or self._speaker_before(quote) is not None:
            return False
        tag_words = tag.split()
        if len(tag_words) > 8 or any(word.strip(",").lower() in BOUNDARY_WORDS for word in tag_words):
            return False  # more than a speaker tag stands between: another sentence part, maybe another speaker
        pieces = quote_pieces(doc, quote)
        if len(pieces) != 1 or pieces[0][1] - found.start > MAX_QUOTE_SPAN or not doc.body[pieces[0][0]].islower():
            return False
        self.spans.remove((found.start, found.end))
        for item in self.found:
            if (item.start, item.end) == (found.start, found.end) and item.anchor == found.anchor:
                item.end = pieces[0][1]
        found.cue = found.cue.replace("quotation;", "quotation in two parts;", 1)
        self.spans.append((found.start, found.end))
        self.quote_spans.append(quote.inner)
        return True

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
            source = source_from(doc, sentence, np_forward(sentence, tail, 2))
            return Attribution(source, "quotation; ‘according to’", "according to", "neutral", [], tail[0].start)
        for k, token in enumerate(tail[:30]):
            kind = verb_of(token)
            if kind is None or kind in NOT_QUOTE_TAGS or noun_use(tail, k):
                continue
            cue = f"quotation; reporting verb ‘{token.text}’"
            if k == 0:
                source = source_from(doc, sentence, np_forward(sentence, tail, 1))
                return Attribution(source, cue, token.text, kind, [], token.start)
            frame_start = find_frame_start(tail, k)
            subject_at, source = subject_of(doc, sentence, tail, k, frame_start)
            if subject_at is None or subject_at > 0:
                return None  # the verb belongs to a later clause, not to this quotation
            return Attribution(source, cue, token.text, kind, tail[frame_start:k], token.start)
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
                                                 or is_adverb(head[k]) or head[k].lower in TIME_WORDS):
            k -= 1
        according = next((i for i in range(len(head) - 1) if head[i].lower == "according" and head[i + 1].lower == "to"),
                         None)
        if according is not None and k > according:
            source = source_from(doc, sentence, np_forward(sentence, head, according + 2))
            return Attribution(source, "quotation; ‘according to’", "according to", "neutral", [], head[according].start)
        if k < 0 or verb_of(head[k]) in (None, "belief", "belief_state", "directive") or noun_use(head, k):
            return None
        frame_start = find_frame_start(head, k)
        _, source = subject_of(doc, sentence, head, k, frame_start)
        return Attribution(source, f"quotation; reporting verb ‘{head[k].text}’", head[k].text, verb_of(head[k]),
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
            kind = verb_of(tokens[k])
            if kind and kind not in ("belief", "belief_state", "directive") and not doc.quote_at(tokens[k].start) and not noun_use(tokens, k):
                _, source = subject_of(doc, sentence, tokens, k, find_frame_start(tokens, k))
                return Attribution(source, f"quotation; introduced by ‘{tokens[k].text}’", tokens[k].text, kind, [],
                                    tokens[k].start)
        return None

    # reported clauses

    def _reporting_verbs(self, sentence):
        tokens = sentence.tokens
        forms = lexicon("reporting_verbs").forms
        for k, token in enumerate(tokens):
            if token.lower not in forms:
                continue
            kind = verb_of(token)
            if kind == "tail" or "-" in token.text or self.doc.quote_at(token.start):
                continue
            if noun_use(tokens, k) or (token.lower == "quoted" and k + 1 < len(tokens) and tokens[k + 1].lower == "as"):
                continue
            frame = tokens[find_frame_start(tokens, k) : k]
            if kind == "belief_state":
                if not (frame and frame[-1].lower in PASSIVE and k + 1 < len(tokens) and tokens[k + 1].lower == "that"):
                    continue  # "convinced" reports a belief only as "are convinced that …"
            elif any(t.lower in PASSIVE for t in frame):
                continue  # "residents were never warned": nobody is reported saying anything
            if kind == "belief" and any(t.lower == "to" for t in frame):
                continue  # "a conspiracy theory to believe that …": nobody holds this belief
            self._reported_clause(sentence, k, kind)

    def _reported_clause(self, sentence, k, kind):
        doc = self.doc
        tokens = sentence.tokens
        verb = tokens[k]
        frame_start = find_frame_start(tokens, k)
        content = _content_after(sentence, k, kind)
        if content is not None:
            how = KIND_CONFIDENCE.get(kind, "verb_zero" if content[2] == "zero" else "verb_that")
            if content[2] == "object" and kind == "denial":
                if not claim_object(sentence, k):
                    return  # "reject jihad as a path to power": a thing refused, not a claim denied
                how = "naming"
            subject_at, source = subject_of(doc, sentence, tokens, k, frame_start)
            if not can_speak(sentence, tokens, subject_at, source, verb):
                return  # "helping the economy add 156,000 jobs", "a swing state that could …"
            span = content[:2]
        elif kind in CLAUSE_ONLY:
            return
        else:
            span, source = _content_before(doc, sentence, k, frame_start)
            how = "verb_postposed"
        if span is None or self._covered_by_quote(*span):
            return
        start, end = trim(doc.body, *span)
        if end - start < MIN_SPAN:
            return
        noun = CUE_NOUNS.get(kind, "reporting verb")
        cue = f"{noun} ‘{verb.text}’" + _unnamed(source.text)
        self.add([(start, end)], Attribution(source, cue, verb.text, kind, tokens[frame_start:k], verb.start), how)

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
            elif token.lower == "per" and k > 0 and tokens[k - 1].text == "," and per_source(sentence, tokens, k + 1):
                cue, how, np_at = "‘per’", "per", k + 1
            elif (token.lower == "as" and k + 2 < len(tokens) and verb_of(tokens[k + 1]) and tokens[k + 2].lower == "by"):
                cue, how, np_at = f"‘as {tokens[k + 1].text} by’", "verb_postposed", k + 3
            else:
                continue
            np = np_forward(sentence, tokens, np_at)
            if not np:
                continue
            source = source_from(doc, sentence, np)
            after = np_at + len(np)
            opens_clause = k == clause_start_index(tokens, k) or (
                k >= 2 and tokens[k - 1].lower in ("and", "but", "yet") and tokens[k - 2].text == ",")
            leading = opens_clause and after < len(tokens) and tokens[after].text == ","
            if leading:
                end_index = _clause_end(tokens, after + 1)
                span = offsets(tokens[after + 1 : end_index]) if end_index - after > 3 else None
            else:
                span = _clause_before(doc, sentence, k)
            if span is None or self._covered_by_quote(*span):
                continue
            start, end = trim(doc.body, *span)
            if end - start >= MIN_SPAN:
                attribution = Attribution(source, cue + _unnamed(source.text), token.text, "neutral", [], token.start)
                self.add([(start, end)], attribution, how)

    def _agentless(self):
        """Claims reported with nobody to check them: 'It is understood that …', 'X is reported
        to be …', 'X reportedly did …' (with no reporting verb of its own; 'allegedly' doubts
        a claim without saying that anyone reported it)."""
        doc = self.doc
        for match in lexicon_matches(doc, "hedges"):
            words = match.text.lower().split()
            if match.start in self.used_cues or skip(doc, match.start):
                continue
            sentence = doc.sentence_at(match.start)
            if sentence is None:
                continue
            tokens = sentence.tokens
            if match.entry.section == "weasel" and words[-1] == "that":
                first = index_at(tokens, match.end)
                end_index = _clause_end(tokens, first)
                if end_index - first < 3:
                    continue
                span = offsets(tokens[first:end_index])
            elif (match.entry.section == "hedge" and words[-1] == "to" and words[0] in PASSIVE
                  and words[-2] in ("reported", "said") and infinitive_after(doc, match)) \
                    or words == ["reportedly"]:
                span = clause_around(doc, sentence, match.start)
            else:
                continue
            if any(s <= span[0] < e or span[0] <= s < span[1] for s, e in self.spans):
                continue  # already someone's claim
            start, end = trim(doc.body, *span)
            if end - start >= MIN_SPAN:
                cue = f"‘{match.text}’; no named source"
                self.found.append(Found(start, end, ATTRIBUTED, cue, CONFIDENCE["agentless"], anchor=match.start))
                self.spans.append((start, end))

    def _nominal(self, sentence):
        """'Russia’s accusations that …', 'the false narrative that …', 'claims by X that …'."""
        doc = self.doc
        tokens = sentence.tokens
        for k, token in enumerate(tokens):
            if token.lower not in REPORT_NOUNS or doc.quote_at(token.start) or not noun_use(tokens, k):
                continue
            that = next((m for m in range(k + 1, min(len(tokens), k + 8)) if tokens[m].lower == "that"), None)
            if that is None or any(is_verbish(t, sentence.headline) or t.text in ",;:" for t in tokens[k + 1 : that]):
                continue
            end_index = _clause_end(tokens, that + 1)
            if end_index - that < 3:
                continue
            start, end = trim(doc.body, *offsets(tokens[that + 1 : end_index]))
            owner = owner_of(doc, sentence, tokens, k, that)
            if owner.text:
                self.add([(start, end)], Attribution(owner, f"reported as ‘{token.text} that’", token.text, "neutral", [],
                                                      token.start), "nominal")
            if tokens[k - 1].lower in FALSE_WORDS:
                cue, how = f"accusation ‘{tokens[k - 1].text} {token.text}’", "accusation"
                self.used_cues.add(tokens[k - 1].start)
            elif token.lower in DOUBT_NOUNS:
                cue, how = f"distancing noun ‘{token.text}’", "nominal_doubt"
            else:
                continue
            self.found.append(Found(start, end, DISPUTED, cue, CONFIDENCE[how], anchor=token.start))


# How sure a reported clause is, by the kind of its verb (other kinds: by "that" or not).
KIND_CONFIDENCE = {"naming": "naming", "belief": "belief", "belief_state": "belief", "intention": "intention",
                   "directive": "intention"}
# Kinds that report only a clause after them, never one before ("…, officials said").
CLAUSE_ONLY = frozenset("with_that belief_state intention directive".split())
# Verbs of praise and stance: their object is the claim only when it is a phrase of its own.
STANCE_VERBS = frozenset("reaffirm praise hail express".split())
# Kinds of verb that never introduce a quotation as its speaker's words.
NOT_QUOTE_TAGS = frozenset("belief naming belief_state directive".split())
CUE_NOUNS = {"belief": "belief verb", "belief_state": "belief", "intention": "promise or intention",
             "directive": "directive verb"}


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
        elif is_hedge_word(token):
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
    elif kind in ("with_that", "belief_state"):
        return None
    elif kind in ("intention", "directive"):
        first, how = _action_start(sentence, k, kind), "zero"
        if first is None:
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
    if how == "object" and kind == "naming" and verb_of(tokens[k]) and lexicon("reporting_verbs").normal_word(
            tokens[k].lower).pattern.split("|")[0] in STANCE_VERBS and len(words) < 3:
        return None  # "praised Iran’s unprecedented, …": too little of the object to read as a claim
    if len(words) < MIN_CLAUSE_WORDS or (len(words) <= 4 and verb_of(words[-1]) and not (
            words[-2].lower in AUXILIARIES or is_adverb(words[-2]))):
        return None  # "PressTV claimed that Putin said": nothing is reported here
    return tokens[first].start, tokens[end_index - 1].end, how


def _action_start(sentence, k, kind):
    """Where the reported action of a promise or a directive starts: after 'to' ('pledged to
    publish …'), at the object of 'urged parliament to …' or 'want the dam decommissioned'."""
    tokens = sentence.tokens
    j = k + 1
    while j < len(tokens) and is_adverb(tokens[j]):
        j += 1
    if j + 1 >= len(tokens):
        return None
    if kind == "intention" and tokens[j].lower == "to":
        return j + 1 if tokens[j + 1].is_word and tokens[j + 1].lower not in DETERMINERS else None
    if kind == "intention" and not tokens[k].lower.startswith("want"):
        return None  # "plans a visit", "promised reforms": an object, not a reported action
    first = tokens[j]
    if not first.is_word or first.lower in PREPOSITIONS | BOUNDARY_WORDS | REFLEXIVES:
        return None
    if kind == "directive":
        to = next((m for m in range(j + 1, min(len(tokens), j + 7)) if tokens[m].lower == "to"), None)
        if to is None or not all(t.is_word for t in tokens[j:to]) or to + 1 >= len(tokens) \
                or not tokens[to + 1].is_word or tokens[to + 1].lower in DETERMINERS:
            return None
    return j


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
            if following is not None and (following.lower in AUXILIARIES or is_verbish(following, sentence.headline)):
                return None  # "in a readout that covered …": a relative clause, not a reported one
            return m
        if token.text == ",":
            closing = next((i for i in range(m + 1, min(len(tokens), m + 16)) if tokens[i].text == ","), None)
            if closing is None:
                return None
            m = closing + 1
            continue
        if not token.is_word or token.lower in BOUNDARY_WORDS or is_verbish(token, sentence.headline):
            return None
        m += 1
        read += 1
    return None


def _object_relative(sentence, tokens, k):
    """Whether the verb at k follows 'that/which/who + subject': 'which they believe can be …'."""
    subject = np_back(sentence, tokens, find_frame_start(tokens, k) - 1)
    before = find_frame_start(tokens, k) - len(subject) - 1
    return bool(subject) and before >= 0 and tokens[before].lower in ("that", "which", "who")


def _zero_that(sentence, j, verb_index):
    """Where a clause reported without 'that' starts ('said the ban was …'), or None."""
    tokens = sentence.tokens
    verb = tokens[verb_index]
    lemma = lexicon("reporting_verbs").normal_word(verb.lower).pattern.split("|")[0]
    if lemma == "tell":
        listener = np_forward(sentence, tokens, j)  # "told the Tribune they were …"
        if not listener or listener[-1].lower in SUBJECT_PRONOUNS:
            return None
        j += len(listener)
        if j < len(tokens) and tokens[j].lower not in SUBJECT_PRONOUNS | DETERMINERS | {"it", "there"}:
            return None
    elif lemma in OBJECT_FIRST_VERBS:
        return None  # these take an object first: "cited three sources", "quoted officials"
    while j < len(tokens) and (is_adverb(tokens[j]) or tokens[j].lower in TIME_WORDS):
        j += 1
    if j + 1 >= len(tokens):
        return None
    first = tokens[j]
    if first.lower in SUBJECT_PRONOUNS or first.lower in ("it", "there"):
        return j if tokens[j + 1].is_word else None
    if first.lower in AUXILIARIES and _object_relative(sentence, tokens, verb_index):
        return j  # "an attack that officials claimed was targeting …": the clause's subject is "that"
    if first.lower in DETERMINERS and j + 2 < len(tokens) and present_tense(tokens[j + 2]):
        return j  # "said the company faces …"
    if (first.is_word and not first.capitalized and first.lower not in PREPOSITIONS | BOUNDARY_WORDS | TIME_WORDS
            and is_verbish(tokens[j + 1], sentence.headline) and not verb_of(tokens[j + 1])):
        return j  # "said managers set …"
    if not (first.lower in DETERMINERS or first.lower in NUMBER_WORDS or first.text.isdigit()
            or (first.capitalized and first.is_word and first.lower not in PREPOSITIONS | BOUNDARY_WORDS)):
        return None
    for m in range(j + 1, _clause_end(tokens, j)):
        token = tokens[m]
        if (verb_of(token) and not noun_use(tokens, m)) or token.lower in BOUNDARY_WORDS:
            return None  # another reporting verb's clause, or an object with a relative clause
        if is_verbish(token, sentence.headline):
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
                      (token.lower == "but" and m + 1 < len(tokens) and is_verbish(tokens[m + 1])) or
                      (token.lower == "and" and m + 1 < len(tokens) and verb_of(tokens[m + 1]))):
            return m
        m += 1
    return m


def _clause_before(doc, sentence, k):
    """The clause before the comma that precedes token k: '…, officials said' / '…, according to X'."""
    tokens = sentence.tokens
    comma = k - 1
    while comma >= 0 and tokens[comma].text != ",":
        comma -= 1
    if comma <= 0:
        first = clause_start_index(tokens, k)
        return offsets(tokens[first:k]) if k - first >= 3 else None
    quote = doc.quote_at(tokens[comma - 1].start)
    if quote is not None and quote.full:
        return None  # a quotation: the quotation rule attributes it
    first = clause_start_index(tokens, comma)
    for i in range(comma - 1, first, -1):
        if tokens[i].text == ",":
            if i + 1 < comma and tokens[i + 1].lower in ("which", "who"):
                first = i + 1  # "…Hamas, which is using “human shields,” according to officials"
            break
    if comma - first < 3:
        return None
    return offsets(tokens[first:comma])


def _content_before(doc, sentence, k, frame_start):
    """The clause a verb reports from behind: 'X happened, officials said.' -> (span, source)."""
    tokens = sentence.tokens
    if k + 2 < len(tokens) and tokens[k + 1].text in ",:" and doc.quote_at(tokens[k + 2].start):
        return None, Source()  # "Despite the ruling, the minister said, “…”": the quotation is the claim
    rest = _until(tokens[k + 1 :], lambda t: t.text in ",.!?;")
    told = tokens[k].lower.startswith(("tell", "told"))
    if rest and not (rest[0].lower in PREPOSITIONS or rest[0].lower in TIME_WORDS or is_adverb(rest[0]) or told):
        return None, Source()  # something else follows the verb: it is not reporting from behind
    if frame_start > 0 and tokens[frame_start - 1].text == ",":
        if tokens[k].lower not in INVERTING_VERBS:
            return None, Source()
        source = source_from(doc, sentence, np_forward(sentence, tokens, k + 1))  # "…, said Maria Ortega"
        subject_at = frame_start
    else:
        subject_at, source = subject_of(doc, sentence, tokens, k, frame_start)
        if not subject_at or tokens[subject_at - 1].text != ",":
            return None, Source()
    if _in_aside(tokens, subject_at - 1):
        return None, Source()
    return _clause_before(doc, sentence, subject_at), source


def _in_aside(tokens, comma):
    """Whether the comma at `comma` closes an aside (', which calls itself X,'): then the verb
    after it is the sentence's own, not a speaker's."""
    for i in range(comma - 1, -1, -1):
        if tokens[i].text == ",":
            return i + 1 < comma and tokens[i + 1].lower in ("which", "who", "whom", "whose")
    return False
