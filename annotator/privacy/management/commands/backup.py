from django.core.management.base import BaseCommand, CommandError

from annotator.privacy import backups


class Command(BaseCommand):
    help = ("Write a consistent copy of the whole database to PATH while the site runs: SQLite's online backup, "
            "or pg_dump on PostgreSQL (it must be installed). `restore PATH` brings it back into an empty database.")

    def add_arguments(self, parser):
        parser.add_argument("path", help="A new file; an existing one is never overwritten.")

    def handle(self, *args, path, **options):
        try:
            size = backups.backup(path)
        except backups.BackupError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(f"Backed up the database to {path} ({size:,} bytes).")
