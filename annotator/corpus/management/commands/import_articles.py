from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from annotator.corpus import cleaning
from annotator.corpus.importer import (
    IMPORTABLE_SUFFIXES,
    ImportFailure,
    check_language,
    import_file,
    source_name,
)
from annotator.corpus.languages import LANGUAGES

# Above this many files each line gets a [k/n] prefix, so a long run shows how far it is.
COUNT_FROM = 20


class Command(BaseCommand):
    help = (
        "Import article files (.txt, .html, .htm) or folders of them. An article is known by its file's "
        "path inside the folder named (business/001.txt), or by its name when the file itself is named; "
        "re-importing it updates the article in place, and identical bytes change nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="files, or folders searched for article files")
        parser.add_argument(
            "--force",
            action="store_true",
            help="clean files again even when their bytes are unchanged (after the cleaning rules improved)",
        )
        parser.add_argument(
            "--language",
            metavar="TAG",
            help=f"the language of every file imported, as a BCP 47 tag ({', '.join(LANGUAGES)}); "
            "without it each article's language is told from its letters",
        )

    def handle(self, *args, paths, force, language, verbosity, **options):
        overrides = None
        if language is not None:
            try:
                overrides = {"language": check_language(language)}
            except ImportFailure as error:
                raise CommandError(str(error)) from None
        files, failures, notes = collect_files(paths)
        if verbosity:
            for note in notes:
                self.stdout.write(note)
        total = len(files) + len(failures)
        counts = {"imported": 0, "updated": 0, "unchanged": 0}
        for label, message in failures:
            self._error(label, message)
        for k, (path, root) in enumerate(files, start=1):
            prefix = f"[{k}/{len(files)}] " if len(files) > COUNT_FROM else ""
            name = source_name(path, root)
            try:
                result = import_file(path, force=force, root=root, overrides=overrides)
            except ImportFailure as error:
                failures.append((name, str(error)))
                self._error(name, str(error), prefix)
                continue
            counts[result.status] += 1
            if verbosity:
                self.stdout.write(prefix + describe(name, result))
                for notice in result.notices:
                    self.stdout.write(f"{prefix}note {name}: {notice}")
        if verbosity:
            self.stdout.write(
                f"{total} file{'s' if total != 1 else ''}: {counts['imported']} imported, "
                f"{counts['updated']} updated, {counts['unchanged']} unchanged, {len(failures)} failed"
            )
        if failures:
            raise CommandError(f"{len(failures)} of {total} could not be imported; see the errors above")

    def _error(self, label, message, prefix=""):
        self.stderr.write(self.style.ERROR(f"{prefix}error {label}: {message}"))


def collect_files(paths):
    """([(file, folder it was found in or None)], [(path, problem)], [notes]) for the PATH arguments.

    A file named on the command line is imported whatever its extension, under its base
    name; folders are searched (with their subfolders) for article files only, each known
    by its path inside the folder. The same source name twice in one run is refused: the
    second file would overwrite the first one's article.
    """
    files, failures, notes = [], [], []
    for argument in paths:
        path = Path(argument)
        if path.is_dir():
            found = _article_files(path, notes)
            if not found:
                failures.append((argument, "no .txt, .html or .htm files in this folder"))
            files += [(file, path) for file in found]
        elif path.exists():
            files.append((path, None))
        else:
            failures.append((argument, "no such file or folder"))
    return _without_duplicate_names(files, failures), failures, notes


def _article_files(folder, notes):
    found = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if path.suffix.lower() in IMPORTABLE_SUFFIXES:
            found.append(path)
        else:
            notes.append(f"skipped {path} (not a .txt, .html or .htm file)")
    return found


def _without_duplicate_names(files, failures):
    first_of, unique = {}, []
    for path, root in files:
        name = source_name(path, root)
        if name in first_of:
            if path.resolve() != first_of[name].resolve():
                failures.append((str(path), f"another file in this run is also known as {name} ({first_of[name]})"))
            continue
        first_of[name] = path
        unique.append((path, root))
    return unique


def describe(name, result):
    """The progress line for one imported file."""
    if result.status == "unchanged":
        return f"unchanged {name}"
    article = result.article
    title = cleaning.shorten(article.title, cleaning.TITLE_LIMIT)
    if result.status == "imported":
        when = article.published.isoformat() if article.published else "no date"
        return f'imported {name} → "{title}" ({when}, {article.word_count} words)'
    if not result.body_changed:
        return f'updated {name} → "{title}" (details only; the text is the same)'
    moved = ", ".join(f"{n} {state}" for state, n in (result.anchor_counts or {}).items() if n)
    return f'updated {name} → "{title}" ({article.word_count} words; re-anchored: {moved or "no annotations"})'
