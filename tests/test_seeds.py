"""The seed articles in the repository are the shared ones, byte for byte."""

import hashlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPO_SEEDS = ROOT / "seeds"
# The shared folder sits beside the project's checkout (CI clones it that way); a clone on its
# own has only the digests of the shared seeds, recorded in tests/data when they were copied.
SHARED_SEEDS = ROOT.parent / "shared" / "seeds"
SHARED_DIGESTS = Path(__file__).resolve().parent / "data" / "shared_seeds.sha256"


def digests(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir() if p.is_file()}


def test_repository_seeds_are_the_shared_seeds_byte_for_byte():
    recorded = dict(reversed(line.split("  ", 1)) for line in SHARED_DIGESTS.read_text().splitlines())
    assert digests(REPO_SEEDS) == recorded
    # Beside the shared folder, the record itself is held to the shared files.
    if SHARED_SEEDS.is_dir():
        assert digests(SHARED_SEEDS) == recorded


def test_there_are_five_seed_articles():
    assert len([p for p in REPO_SEEDS.iterdir() if p.suffix == ".txt"]) == 5
