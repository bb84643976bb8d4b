"""A corpus laid out as real ones are: one folder per section, files numbered 001.txt, 002.txt…
in each, so every base name repeats in every folder. Used by bench/import_tree.py and by
tests/test_import_tree.py.

Articles are made from sentence patterns and a random choice of names, places and figures,
so every file's text differs; one in ten is written in Russian, Arabic, Persian or Hebrew.
"""

import random

SECTIONS = ("business", "world", "politics", "science", "culture")
PEOPLE = ("Amal Haddad", "Boris Lenkov", "Chen Wei", "Dana Levi", "Elif Kaya", "Farid Rahimi", "Grace Obi",
          "Hanna Berg", "Ivan Petrov", "Jamal Nasser")
PLACES = ("Tehran", "Moscow", "Haifa", "Vienna", "Doha", "Ankara", "Baku", "Geneva", "Cairo", "Oslo")
THINGS = ("ferry service", "grain deal", "pipeline", "election law", "drone program", "port lease",
          "vaccine plant", "railway link", "trade office", "water treaty")
SENTENCES = (
    "{person} said on {day} that the {thing} in {place} would cost {n} million dollars more than planned.",
    "Officials in {place} denied that the {thing} had been delayed, citing {n} pages of new documents.",
    "According to {person}, at least {n} workers were affected by the decision about the {thing}.",
    "Critics in {place} called the {thing} a reckless gamble, while supporters pointed to {n} new jobs.",
    "The ministry's statement on the {thing} did not mention {person}, who had warned of the risks.",
    "Analysts expect the {thing} to be debated again in {place} before the end of the year.",
)
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
# One paragraph per language, each naming the figure so no two articles are the same text.
OTHER_SCRIPTS = (
    "Министр заявил, что переговоры о поставках зерна продолжатся, и назвал сумму {n} миллионов.",
    "قال المتحدث باسم الوزارة إن المفاوضات ستستمر، وإن الكلفة بلغت {n} مليون دولار.",
    "سخنگوی وزارت خارجه گفت که مذاکرات ادامه خواهد یافت و هزینه به {n} میلیون دلار رسید.",
    "דובר המשרד אמר כי המשא ומתן יימשך וכי העלות הגיעה ל־{n} מיליון דולר.",
)


def article_text(rng, number):
    fill = {"person": rng.choice(PEOPLE), "place": rng.choice(PLACES), "thing": rng.choice(THINGS),
            "day": rng.choice(DAYS), "n": number}
    if number % 10 == 0:
        lines = [OTHER_SCRIPTS[number // 10 % len(OTHER_SCRIPTS)].format(**fill) for _ in range(3)]
        return "\n\n".join(lines) + "\n"
    title = f"{fill['thing'].title()} In {fill['place']}: Story {number}"
    paragraphs = []
    for _ in range(3):
        fill.update(person=rng.choice(PEOPLE), n=rng.randint(2, 9000))
        paragraphs.append(" ".join(rng.choice(SENTENCES).format(**fill) for _ in range(2)))
    return title + "\n\n" + "\n\n".join(paragraphs) + f"\n\nReference {number}.\n"


def write_tree(root, articles, sections=SECTIONS, seed=16):
    """Write `articles` files spread evenly over `sections` folders under `root`; return their count."""
    rng = random.Random(seed)
    per_folder = -(-articles // len(sections))
    written = 0
    for folder in sections:
        (root / folder).mkdir(parents=True, exist_ok=True)
        for k in range(1, per_folder + 1):
            if written == articles:
                return written
            written += 1
            (root / folder / f"{k:03}.txt").write_text(article_text(rng, written), encoding="utf-8")
    return written
