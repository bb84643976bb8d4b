from django.core.management.base import BaseCommand, CommandError

from annotator.privacy import backups


class Command(BaseCommand):
    help = "Check the database: SQLite's integrity check, and every foreign key of every table (after a crash, say)."

    def handle(self, *args, **options):
        problems = backups.integrity_problems()
        if problems:
            raise CommandError("\n".join(problems))
        self.stdout.write("Integrity check passed.")
