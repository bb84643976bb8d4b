"""Language detection on short texts: the script rule against a statistical detector.

    .venv/bin/python bench/eval_languages.py

Reads bench/gold_languages.tsv (held-out headlines, written before measuring) and the
development examples of tests/test_languages.py's first test, and prints the accuracy of
annotator.corpus.languages.detect_language on each. When py3langid is importable (it is
not a dependency; run this with a Python that has it), its accuracy is printed beside.
A blank answer counts as right only where the gold tag is one the rule leaves blank
(Latin-script languages other than English).
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annotator.corpus.languages import detect_language  # noqa: E402

BLANK_BY_DESIGN = {"fr", "de", "es"}


def gold(path):
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            tag, text = line.split("\t", 1)
            rows.append((tag, text))
    return rows


def accuracy(rows, detect, blank_ok):
    right = sum(detect(text) == tag or (blank_ok and tag in BLANK_BY_DESIGN and detect(text) == "")
                for tag, text in rows)
    return right, len(rows)


def main():
    heldout = gold(ROOT / "bench" / "gold_languages.tsv")
    detectors = {"script rule": (detect_language, True)}
    try:
        import py3langid

        detectors["py3langid"] = (lambda text: py3langid.classify(text)[0], False)
    except ImportError:
        print("py3langid not importable here: only the script rule is measured.")
    for name, (detect, blank_ok) in detectors.items():
        right, total = accuracy(heldout, detect, blank_ok)
        print(f"{name}: held-out {right}/{total} ({right / total:.0%})")
        for tag, text in heldout:
            found = detect(text)
            if found != tag and not (blank_ok and tag in BLANK_BY_DESIGN and found == ""):
                print(f"   {tag} → {found or 'blank'}: {text}")


if __name__ == "__main__":
    main()
