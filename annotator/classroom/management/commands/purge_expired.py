from django.core.management.base import BaseCommand, CommandError

from annotator.classroom import retention
from annotator.classroom.models import Classroom
from annotator.errors import ServiceError


class Command(BaseCommand):
    help = ("Delete the student work of archived classes whose retention (settings.RETENTION_DAYS) has run out. "
            "Run it with --dry-run first: it prints what would go and deletes nothing.")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Say what would be deleted; delete nothing.")
        parser.add_argument("--class", dest="classroom", type=int, metavar="ID",
                            help="Only this class; it must be archived, and is purged even before its time.")

    def handle(self, *args, dry_run=False, classroom=None, **options):
        if classroom is not None:
            found = Classroom.objects.filter(pk=classroom).first()
            if found is None:
                raise CommandError(f"No class has id {classroom}; nothing was deleted.")
            if found.archived is None:
                raise CommandError(f"Class {found.pk} ({found.name}) is not archived; nothing was deleted. "
                                   "Its teacher archives it at the end of term.")
            if found.purged is not None:
                raise CommandError(f"Class {found.pk} ({found.name}) was already purged on {found.purged:%Y-%m-%d}.")
            classes = [found]
        else:
            classes = list(retention.expired_classes())
        verb = "Would delete" if dry_run else "Deleted"
        totals = {}
        for each in classes:
            counts = retention.count_work(each)
            if not dry_run:
                try:
                    retention.purge(each)
                except ServiceError as exc:  # unarchived between the listing and now
                    self.stderr.write(f"Skipped class {each.pk} ({each.name}): {exc.message}")
                    continue
            for kind, count in counts.items():
                totals[kind] = totals.get(kind, 0) + count
            self.stdout.write(f"{verb} from class {each.pk} ({each.name}, archived {each.archived:%Y-%m-%d}): "
                              + ", ".join(f"{count} {kind}" for kind, count in counts.items()))
        summary = ", ".join(f"{count} {kind}" for kind, count in totals.items()) or "nothing"
        self.stdout.write(f"{verb} {summary} in {len(classes)} class(es)."
                          + (" Nothing was deleted (dry run)." if dry_run else ""))
