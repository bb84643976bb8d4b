from django.core.management.base import BaseCommand, CommandError

from annotator.privacy import backups


class Command(BaseCommand):
    help = ("Bring a backup made by `manage.py backup` into this database, which must be empty (new, no tables); "
            "then check the result's integrity.")

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, path, **options):
        try:
            backups.restore(path)
        except backups.BackupError as exc:
            raise CommandError(exc.message) from None
        problems = backups.integrity_problems()
        if problems:
            raise CommandError("Restored, but the database has problems:\n" + "\n".join(problems))
        self.stdout.write(f"Restored {path}: {len(backups.table_names())} tables, integrity check passed.")
