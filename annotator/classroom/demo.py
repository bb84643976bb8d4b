"""The demo lesson: a teacher, a class, three students and an exercise on the five seeds.

Claims are named by their exact quote in a seed, never by offsets, so the demo survives
better cleaning rules.
"""

SEEDS = {
    "000": "000_f75c1bf812ec66b2.txt",
    "001": "001_37fc0e4533d6664d.txt",
    "002": "002_8b1818b777817aec.txt",
    "003": "003_f888a4dcb2dea73e.txt",
    "004": "004_405ef5057e510925.txt",
}

PASSWORD = "demo-pass-2026"
TEACHER = "teacher"
STUDENTS = ("amira", "ben", "chen")
CLASS_NAME = "Media Literacy — Period 3"
JOIN_CODE = "maple-otter-42"

EXERCISE = {
    "title": "Who says so? One phone call, five articles",
    "instructions": (
        "Read at least two of the articles. Tag every claim you can: is it someone else's words "
        "(attributed — name the source), the writer's own loaded judgement (editorialized), or "
        "contested and hedged (disputed)?\n\n"
        "PressTV and Tass both reported the same Putin–Raisi phone call. Find what each said, and link "
        "at least one claim to a passage in another article that contradicts it.\n\n"
        "Then read laterally. A claim's source is a link to everything attributed to that source across "
        "the articles: the Kremlin's page shows what the same office said about two different crises. "
        "Only one of the five articles names its outlet, the Washington Examiner: the profile beside "
        "that article says what the outlet is and who owns it, and its byline is a link to every article "
        "by the same author."
    ),
    "min_contradicting_links": 1,
}

# (seed, quote, label, source, explanation)
KEY = [
    ("000", "Russian strongman Vladimir Putin", "editorialized", "",
     "“Strongman” is the writer's verdict on Putin, placed where a neutral title would go."),
    ("000", "PressTV claimed that Putin effusively supported the missile attack", "attributed", "PressTV",
     "The claim belongs to PressTV, Iranian state media; the writer only reports it (“claimed”)."),
    ("000", "The Iranian government propaganda outlet PressTV", "editorialized", "",
     "Calling PressTV a “propaganda outlet” is a judgement; it tells you how to read the source."),
    ("000", "Israel is widely believed to have conducted the strike", "disputed", "",
     "Hedged: “widely believed”, and Israel has not taken responsibility. Who believes it?"),
    ("000", "Putin “said all parties would hopefully show a reasonable degree of restraint", "attributed",
     "Tass (Kremlin press service)",
     "Tass's version of the same call, quoting the Kremlin: restraint, not praise. Compare it with PressTV's."),
    ("000", "the positive comments Putin allegedly made to Raisi", "disputed", "",
     "“Allegedly”: the writer marks the praise as unconfirmed — only PressTV reported it."),
    ("001", "it’s likely fake news", "disputed", "",
     "The writer dismisses the NBC report as “likely fake news” without showing it is false."),
    ("002", "this revelation shatters their lies about Russia’s policy towards this conflict", "editorialized", "",
     "“Shatters their lies” is the writer's own verdict, presented as fact."),
    ("003", "Iran had allegedly tipped Russia off about a then-impending major terrorist attack", "attributed",
     "Reuters (three unnamed sources)", "Attributed to Reuters, which cites unnamed sources — hedged with “allegedly”."),
    ("004", "Israel is conducting “indiscriminate” attacks in Gaza that could lead to a sprawling war",
     "attributed", "Russian officials",
     "The accusation is Russian officials' (“according to Russian officials”); the scare quotes keep distance."),
    ("004", "Syrian dictator Bashar Assad", "editorialized", "",
     "“Dictator” is a loaded term — accurate to many readers, but the writer's judgement all the same."),
]

# (from seed, from quote, relation, to seed, to quote)
KEY_LINKS = [
    ("000", "PressTV claimed that Putin effusively supported the missile attack", "contradicts",
     "002", "President Putin has been a lifelong supporter of “ironclad security” for Israel"),
]

# Each student: submitted?, claims (seed, quote, label, source), links (from quote, relation, to seed, to quote)
STUDENT_WORK = {
    "amira": (True, [
        ("000", "Russian strongman Vladimir Putin", "editorialized", ""),
        ("000", "PressTV claimed that Putin effusively supported the missile attack", "attributed", "PressTV"),
        ("000", "Israel is widely believed to have conducted the strike", "disputed", ""),
        ("001", "it’s likely fake news", "editorialized", ""),
        ("004", "Syrian dictator Bashar Assad", "editorialized", ""),
        ("000", "Raisi reportedly said", "attributed", "Raisi"),
    ], [
        ("PressTV claimed that Putin effusively supported the missile attack", "contradicts",
         "002", "President Putin has been a lifelong supporter of “ironclad security” for Israel"),
    ]),
    "ben": (True, [
        ("000", "Russian strongman Vladimir Putin", "disputed", ""),
        ("000", "The Iranian government propaganda outlet PressTV", "editorialized", ""),
        ("003", "Iran had allegedly tipped Russia off", "attributed", "Reuters"),
        ("002", "this revelation shatters their lies", "editorialized", ""),
        ("004", "Israel is conducting “indiscriminate” attacks in Gaza", "attributed", "Russian officials"),
    ], [
        ("this revelation shatters their lies", "contradicts",
         "000", "PressTV claimed that Putin effusively supported the missile attack"),
    ]),
    "chen": (False, [
        ("000", "Putin “said all parties would hopefully show a reasonable degree of restraint", "attributed", "Tass"),
        ("001", "Russia doesn’t want a larger war to break out in West Asia", "editorialized", ""),
    ], []),
}

# Who the seeds' claims are attributed to: (name, kind, other ways claims write it).
SOURCES = [
    ("Kremlin", "office", ["Russian presidential press service", "Tass (Kremlin press service)",
                           "Kremlin press service"]),
    ("PressTV", "outlet", ["Press TV"]),
    ("Tass", "outlet", ["Russian news agency Tass"]),
    ("Reuters", "outlet", ["Reuters (three unnamed sources)"]),
    ("Ebrahim Raisi", "person", ["Raisi", "Iranian President Ebrahim Raisi"]),
    ("Russian government", "government", ["Russian officials", "Russian Foreign Ministry"]),
]

# Profiles of the seeds' outlets (only those the seeds name): (name, kind, owner, country, notes).
OUTLETS = [
    ("Washington Examiner", "newspaper", "Clarity Media Group, owned by Philip Anschutz", "United States",
     ("A Washington, D.C. news and opinion website and magazine.\n"
      "The demo's copy of its article was taken from a page headed “THE AMERICA ONE NEWS” that ends "
      "“CLICK HERE TO READ MORE FROM THE WASHINGTON EXAMINER”.")),
]

# Public claims outside the exercise, so the open reader and the claim map have something to show.
PUBLIC = [
    ("001", "Russia doesn’t want a larger war to break out in West Asia", "editorialized", "",
     "The writer's own reading of Russian policy, stated as fact."),
    ("000", "According to PressTV, Putin praised the failed attack on Israel as “tactful and wise,”", "attributed",
     "PressTV", "Only Iranian state media reported this; Tass did not."),
    ("000", "said all parties would hopefully show a reasonable degree of restraint", "attributed",
     "Russian presidential press service", "The Kremlin's own account of the April call, as Tass relayed it."),
    ("004", "Serious concerns were voiced about the possibility of the conflict evolving into a regional war.",
     "attributed", "the Kremlin", "The Kremlin's readout of the October calls: the same office, another crisis."),
]
PUBLIC_LINKS = [
    ("said all parties would hopefully show a reasonable degree of restraint", "corroborates",
     "004", "to prevent the further escalation of violence and to avert a humanitarian catastrophe"),
    ("Serious concerns were voiced about the possibility of the conflict evolving into a regional war.",
     "corroborates", "000", "said all parties would hopefully show a reasonable degree of restraint"),
    ("Russia doesn’t want a larger war to break out in West Asia", "corroborates",
     "004", "Russia launched a diplomatic intervention to halt Israeli attacks on Hamas"),
    ("According to PressTV, Putin praised the failed attack on Israel as “tactful and wise,”", "contradicts",
     "002", "President Putin has been a lifelong supporter of “ironclad security” for Israel"),
]
