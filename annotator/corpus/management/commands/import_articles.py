from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from annotator.corpus import cleaning
from annotator.corpus.importer import IMPORTABLE_SUFFIXES, ImportFailure, import_file

# Above this many files each line gets a [k/n] prefix, so a long run shows how far it is.
COUNT_FROM = 20


class Command(BaseCommand):
    help = (
        "Import article files (.txt, .html, .htm) or folders of them. Re-importing a file with the "
        "same name updates its article in place; identical bytes change nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="files, or folders searched for article files")
        parser.add_argument(
            "--force",
            action="store_true",
            help="clean files again even when their bytes are unchanged (after the cleaning rules improved)",
        )

    def handle(self, *args, paths, force, verbosity, **options):
        files, failures, notes = collect_files(paths)
        if verbosity:
            for note in notes:
                self.stdout.write(note)
        total = len(files) + len(failures)
        counts = {"imported": 0, "updated": 0, "unchanged": 0}
        for label, message in failures:
            self._error(label, message)
        for k, path in enumerate(files, start=1):
            prefix = f"[{k}/{len(files)}] " if len(files) > COUNT_FROM else ""
            try:
                result = import_file(path, force=force)
            except ImportFailure as error:
                failures.append((path.name, str(error)))
                self._error(path.name, str(error), prefix)
                continue
            counts[result.status] += 1
            if verbosity:
                self.stdout.write(prefix + describe(path.name, result))
                for notice in result.notices:
                    self.stdout.write(f"{prefix}note {path.name}: {notice}")
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
    """(files to import, [(path, problem)], [notes]) for the command's PATH arguments.

    A file named on the command line is imported whatever its extension; folders are
    searched (with their subfolders) for article files only.
    """
    files, failures, notes = [], [], []
    for argument in paths:
        path = Path(argument)
        if path.is_dir():
            found = _article_files(path, notes)
            if not found:
                failures.append((argument, "no .txt, .html or .htm files in this folder"))
            files += found
        elif path.exists():
            files.append(path)
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
    # An article is identified by its file's base name: a second file with the same name
    # would silently overwrite the first one's article.
    first_of, unique = {}, []
    for path in files:
        if path.name in first_of:
            if path.resolve() != first_of[path.name].resolve():
                failures.append((str(path), f"another file in this run has the same name ({first_of[path.name]})"))
            continue
        first_of[path.name] = path
        unique.append(path)
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
