"""The seed articles in the repository are the shared ones, byte for byte."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPO_SEEDS = ROOT / "seeds"
# The project's checkout always has the shared folder beside it (CI clones it that way too).
SHARED_SEEDS = ROOT.parent / "shared" / "seeds"


def test_repository_seeds_are_byte_identical_to_the_shared_seeds():
    repo = {p.name: p.read_bytes() for p in REPO_SEEDS.iterdir() if p.is_file()}
    shared = {p.name: p.read_bytes() for p in SHARED_SEEDS.iterdir() if p.is_file()}
    assert sorted(repo) == sorted(shared)
    assert [name for name in repo if repo[name] != shared[name]] == []


def test_there_are_five_seed_articles():
    assert len([p for p in REPO_SEEDS.iterdir() if p.suffix == ".txt"]) == 5
