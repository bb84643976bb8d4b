from django.core.management.base import BaseCommand, CommandError

from annotator import csvstream
from annotator.annotations import exports
from annotator.corpus import outlets
from annotator.errors import NotFound, ServiceError


class Command(BaseCommand):
    help = (
        "Export every annotation (or its links) as CSV or W3C Web Annotation JSON-LD, streamed to "
        "stdout or a file. Column order and the JSON-LD mapping: docs/export.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=("csv", "jsonld"), default="csv")
        parser.add_argument("--what", choices=("annotations", "links", "sources", "outlets"), default="annotations",
                            help="CSV only: the claims, the links between them (JSON-LD always has both), the "
                                 "sources with counts of their claims, or the outlet profiles")
        parser.add_argument("--article", metavar="SLUG", help="only the claims on this article")
        parser.add_argument("--exercise", metavar="ID", type=int, help="only the claims made in this exercise")
        parser.add_argument("--output", metavar="FILE", help="write here instead of stdout")
        parser.add_argument("--bom", action="store_true", help="CSV only: start with a byte order mark, for Excel")

    def handle(self, *args, format, what, article, exercise, output, bom, **options):
        if format == "jsonld" and what == "links":
            raise CommandError("JSON-LD puts the links beside their claims in one file: leave out --what links.")
        if format == "jsonld" and what in ("sources", "outlets"):
            raise CommandError(f"{what} are exported as CSV; in JSON-LD they describe the claims (docs/export.md).")
        if what == "outlets":
            self.write(outlets.outlets_csv(bom), output)
            return
        try:
            annotations = exports.export_queryset(None, article=article, everything=True, exercise=exercise)
        except NotFound as exc:
            raise CommandError(f"no exercise with id {exercise}" if exc.field == "exercise" else exc.message) from None
        except ServiceError as exc:
            raise CommandError(exc.message) from None
        if what == "sources":
            self.write(exports.sources_csv(annotations, bom), output)
        else:
            self.write(exports.export(annotations, format, what, bom), output)

    def write(self, chunks, output):
        if output is None:
            for chunk in chunks:
                self.stdout.write(chunk, ending="")
            return
        csvstream.save(chunks, output)

