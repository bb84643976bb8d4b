"""The word lists the rules share, what the rules find, and small tests of single tokens."""

from dataclasses import asdict, dataclass

from ..lexicon import lexicon
from ..text import DASHES

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
QUANTIFIERS = frozenset("many some few several both all most others".split())
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
    "naming": 0.6, "belief": 0.55, "nominal": 0.6, "intention": 0.6, "agentless": 0.6,
    "hedge_frame": 0.8, "distancing": 0.55, "denial": 0.7, "unverified": 0.75, "accusation": 0.7,
    "hedge": 0.65, "nominal_doubt": 0.55, "weasel": 0.6,
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
class Found:
    start: int
    end: int
    label: str
    cue: str
    confidence: float
    source: str = ""
    source_kind: str = ""  # "name", "pronoun", "phrase" or ""
    anchor: int = 0  # where the cue is, for resolving pronouns in reading order


@dataclass
class Source:
    text: str = ""
    kind: str = ""


@dataclass
class Attribution:
    source: Source
    cue: str
    verb: str  # the reporting word as written
    verb_kind: str  # the lexicon section: neutral, distancing, denial, …
    frame: list  # adverbs between subject and verb ("reportedly", "falsely")
    anchor: int


def lexicon_matches(doc, name):
    """Every match of lexicon `name` in the article, found once however many rules read them."""
    if name not in doc.found:
        doc.found[name] = list(lexicon(name).matches(doc.body, doc.words))
    return doc.found[name]


def verb_of(token):
    entry = lexicon("reporting_verbs").normal_word(token.lower) if token.is_word else None
    return entry.section if entry else None


def is_hedge_word(token):
    return bool(lexicon("hedges").normal_word(token.lower))


def is_adverb(token):
    lower = token.lower
    return (lower in ADVERBS or lower == "falsely" or (lower.endswith("ly") and len(lower) > 4 and not token.capitalized)
            or is_hedge_word(token))


def is_verbish(token, headline=False):
    if not token.is_word or (token.capitalized and not headline and token.lower not in AUXILIARIES):
        return False
    lower = token.lower
    return (lower in AUXILIARIES or lower in IRREGULAR_PAST or (lower.endswith("ed") and len(lower) > 4)
            or verb_of(token) is not None)


def is_name(token, sentence):
    """A capitalized word that is a name, not a capital forced by position or by title case."""
    if sentence.headline or not token.is_word or not token.capitalized:
        return False
    lower = token.lower
    return not (lower in DETERMINERS or lower in SUBJECT_PRONOUNS or lower in BOUNDARY_WORDS or lower in PREPOSITIONS)


def is_demonym(token):
    return token.capitalized and token.lower.endswith(DEMONYM_ENDINGS)


def offsets(tokens):
    return tokens[0].start, tokens[-1].end


def index_at(tokens, pos):
    return next((i for i, t in enumerate(tokens) if t.end > pos), len(tokens) - 1)


def noun_use(tokens, k):
    """Whether a reporting word is a noun here ("the claims", "his statement", "false claims")."""
    if k == 0:
        return False
    before = tokens[k - 1].lower
    if before in QUANTIFIERS and (k == 1 or not tokens[k - 2].is_word) and not tokens[k].lower.endswith("s"):
        return False  # "Many argue that …", "Some warned …": the quantifier is the subject
    return (before in DETERMINERS - {"that"} or before in FALSE_WORDS or before.endswith("'s")
            or before in NUMBER_WORDS or before.isdigit() or before in ("first", "second", "latest", "last")
            or (before in PREPOSITIONS and before != "to"))


def find_frame_start(tokens, k):
    """Index of the first adverb or auxiliary right before the verb at k ("has reportedly said")."""
    i = k
    while i > 0 and (tokens[i - 1].lower in AUXILIARIES or is_adverb(tokens[i - 1]) or tokens[i - 1].lower == "to"):
        i -= 1
    return i


def present_tense(token):
    lower = token.lower
    return token.is_word and not token.capitalized and lower.endswith("s") and not lower.endswith(("ss", "us", "is"))


def clause_start_index(tokens, k):
    """Index of the first token of the clause holding token k (after ; : dashes, or 0)."""
    for i in range(k - 1, -1, -1):
        if tokens[i].text in ";:" or tokens[i].text in DASHES:
            return i + 1
    return 0
