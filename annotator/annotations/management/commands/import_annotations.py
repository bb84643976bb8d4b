from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, transaction

from annotator.annotations.imports import plan_import


class Command(BaseCommand):
    help = (
        "Import a file written by export_annotations: an annotations CSV, a links CSV (import the "
        "annotations first) or JSON-LD. Every row is checked first, by the rules the site writes claims by; "
        "one problem and nothing is written. "
        "Rows already imported are left as they are."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE")
        parser.add_argument("--dry-run", action="store_true",
                            help="check, and show what would be created, without writing anything")

    def handle(self, *args, file, dry_run, verbosity, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: no such file")
        data = path.read_bytes()
        if dry_run:
            plan = plan_import(data)
            self._refuse(plan, path)
            self._summary(plan, path, verbosity, dry_run=True)
            return
        try:
            # One transaction around checking and writing, so what was checked is what is written.
            with transaction.atomic():
                plan = plan_import(data)
                self._refuse(plan, path)
                plan.apply()
        except DatabaseError as exc:
            raise CommandError(f"{path.name}: the database refused the import ({exc}); nothing was imported") from None
        self._summary(plan, path, verbosity, dry_run=False)

    def _refuse(self, plan, path):
        """Show every problem and stop, if there are any."""
        for problem in plan.problems:
            self.stderr.write(self.style.ERROR(f"error {path.name} {problem}"))
        if plan.problems:
            count = len(plan.problems)
            raise CommandError(f"{path.name}: {count} problem{'s' if count > 1 else ''}; nothing was imported")

    def _summary(self, plan, path, verbosity, dry_run):
        if not verbosity:
            return
        verb = "would create" if dry_run else "created"
        for note in plan.notes:
            self.stdout.write(f"note {path.name} {note}")
        if verbosity > 1:
            for pk, fields in plan.claims:
                self.stdout.write(f"{verb} annotation {pk}: {fields['label']} by {fields['author__username']}")
            for pk, fields in plan.links:
                self.stdout.write(f"{verb} link {pk}: {fields['source_annotation_id']} {fields['relation']}")
        if plan.accounts:
            self.stdout.write(f"{verb} {len(plan.accounts)} inactive account(s): {', '.join(plan.accounts)}")
        self.stdout.write(
            f"{path.name} ({plan.kind}): {plan.created} {'to create' if dry_run else 'created'}, "
            f"{plan.unchanged} unchanged (annotations: {len(plan.claims)} new, {plan.unchanged_claims} unchanged; "
            f"links: {len(plan.links)} new, {plan.unchanged_links} unchanged)"
            + ("; dry run, nothing written" if dry_run else "")
        )
