from django.core.management.base import BaseCommand, CommandError

from annotator import csvstream
from annotator.annotations import exports
from annotator.errors import NotFound, ServiceError


class Command(BaseCommand):
    help = (
        "Export every annotation (or its links) as CSV or W3C Web Annotation JSON-LD, streamed to "
        "stdout or a file. Column order and the JSON-LD mapping: docs/export.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=("csv", "jsonld"), default="csv")
        parser.add_argument("--what", choices=("annotations", "links"), default="annotations",
                            help="CSV only: the claims, or the links between them (JSON-LD always has both)")
        parser.add_argument("--article", metavar="SLUG", help="only the claims on this article")
        parser.add_argument("--exercise", metavar="ID", type=int, help="only the claims made in this exercise")
        parser.add_argument("--output", metavar="FILE", help="write here instead of stdout")
        parser.add_argument("--bom", action="store_true", help="CSV only: start with a byte order mark, for Excel")

    def handle(self, *args, format, what, article, exercise, output, bom, **options):
        if format == "jsonld" and what == "links":
            raise CommandError("JSON-LD puts the links beside their claims in one file: leave out --what links.")
        try:
            annotations = exports.export_queryset(None, article=article, everything=True, exercise=exercise)
        except NotFound as exc:
            raise CommandError(f"no exercise with id {exercise}" if exc.field == "exercise" else exc.message) from None
        except ServiceError as exc:
            raise CommandError(exc.message) from None
        chunks = exports.export(annotations, format, what, bom)
        if output is None:
            for chunk in chunks:
                self.stdout.write(chunk, ending="")
            return
        csvstream.save(chunks, output)

