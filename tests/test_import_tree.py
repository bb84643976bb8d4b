"""A real corpus in one command: thousands of files in folders whose base names repeat.

The tree is bench/tree.py's (also what `make bench` times): 3,000 articles in 5 folders,
each folder numbering its files 001.txt to 600.txt. Imported whole twice; the second run
finds every file unchanged. Runs on PostgreSQL too when DATABASE_URL points at it.
"""

import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from annotator.corpus.models import Article, Passage

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

from tree import SECTIONS, write_tree  # noqa: E402

ARTICLES = 3000


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    root = tmp_path_factory.mktemp("corpus")
    write_tree(root, ARTICLES)
    return root


def run(root):
    out, err = StringIO(), StringIO()
    call_command("import_articles", str(root), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_a_tree_of_3000_articles_with_repeating_names_imports_whole_twice(tree):
    assert len({p.name for p in tree.rglob("*.txt")}) == ARTICLES // len(SECTIONS)
    out, err = run(tree)
    assert err == ""
    assert out.rstrip().endswith(f"{ARTICLES} files: {ARTICLES} imported, 0 updated, 0 unchanged, 0 failed")
    assert f"[{ARTICLES}/{ARTICLES}] imported world/600.txt →" in out
    names = set(Article.objects.values_list("source_file", flat=True))
    assert names == {p.relative_to(tree).as_posix() for p in tree.rglob("*.txt")}
    assert Article.objects.filter(source_file="world/001.txt").get().body.endswith("Reference 601.")
    # Every article is searchable as soon as the command ends.
    assert Passage.objects.values("article").distinct().count() == ARTICLES
    assert Article.objects.filter(language="ru").count() == ARTICLES // 40

    again, err = run(tree)
    assert err == ""
    assert again.rstrip().endswith(f"{ARTICLES} files: 0 imported, 0 updated, {ARTICLES} unchanged, 0 failed")
    assert Article.objects.count() == ARTICLES
