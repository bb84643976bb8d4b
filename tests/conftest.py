import os

# Before Django loads settings: tests run with DEBUG off, as production does, but on
# plain HTTP and with plain static storage (the manifest storage needs collectstatic).
os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production-0123456789")
os.environ.setdefault("HTTPS", "0")
os.environ.setdefault("PLAIN_STATIC", "1")
# Playwright's sync API keeps an event loop running in the test thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Playwright cannot download its own browser here; Debian's chromium is used instead.
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"],
    }


@pytest.fixture
def seeded(db):
    """The five seed articles, imported by the real importer."""
    from django.core.management import call_command

    call_command("import_articles", str(SEEDS), verbosity=0)
    from annotator.corpus.models import Article

    return {a.source_file: a for a in Article.objects.all()}
