"""The seed articles in the repository are the shared ones, byte for byte."""

import hashlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REPO_SEEDS = ROOT / "seeds"
# The shared folder sits beside the project's checkout (CI clones it that way); a clone on its
# own has only the digests of the shared seeds, recorded in tests/data when they were copied.
SHARED_SEEDS = ROOT.parent / "shared" / "seeds"
SHARED_DIGESTS = Path(__file__).resolve().parent / "data" / "shared_seeds.sha256"


def repo_seeds():
    return {p.name: p.read_bytes() for p in REPO_SEEDS.iterdir() if p.is_file()}


def test_repository_seeds_have_the_digests_recorded_from_the_shared_seeds():
    recorded = dict(reversed(line.split("  ", 1)) for line in SHARED_DIGESTS.read_text().splitlines())
    assert {name: hashlib.sha256(data).hexdigest() for name, data in repo_seeds().items()} == recorded


@pytest.mark.skipif(not SHARED_SEEDS.is_dir(), reason="no shared folder beside this checkout to compare with")
def test_repository_seeds_are_byte_identical_to_the_shared_seeds():
    shared = {p.name: p.read_bytes() for p in SHARED_SEEDS.iterdir() if p.is_file()}
    repo = repo_seeds()
    assert sorted(repo) == sorted(shared)
    assert [name for name in repo if repo[name] != shared[name]] == []


def test_there_are_five_seed_articles():
    assert len([p for p in REPO_SEEDS.iterdir() if p.suffix == ".txt"]) == 5
