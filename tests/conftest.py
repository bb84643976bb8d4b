from pathlib import Path

import pytest

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


@pytest.fixture
def page(page):
    """Playwright's page, failing the test if the page's own script throws or is refused."""
    problems = []
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on("console", lambda msg: msg.type == "error" and problems.append(f"console: {msg.text}"))
    yield page
    assert not problems, problems


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Tests make hundreds of accounts; the real hasher is slow by design.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
