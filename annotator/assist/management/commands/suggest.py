"""manage.py suggest SLUG [--format text|json]: the assist's suggestions for one article."""

import json

from django.core.management.base import BaseCommand, CommandError

from annotator.assist import services
from annotator.corpus.models import Article


class Command(BaseCommand):
    help = "Print the cue-based suggestions (attributed, disputed, editorialized claims) for an article."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="the article's slug")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, slug, format, **options):
        article = Article.objects.filter(slug=slug).first()
        if article is None:
            raise CommandError(f"No article with slug {slug!r}. `manage.py import_articles` adds articles.")
        suggestions = services.article_suggestions(article.body)
        if format == "json":
            results = [services.suggestion_json(s) for s in suggestions]
            self.stdout.write(json.dumps({"results": results}, ensure_ascii=False, indent=2))
            return
        for s in suggestions:
            source = f" — source: {s.source}" if s.source else ""
            self.stdout.write(f"[{s.start}–{s.end}] {s.label} ({s.confidence:.2f}) {s.cue}{source}\n    “{s.exact}”")
        counts = {label: sum(s.label == label for s in suggestions) for label in ("attributed", "disputed", "editorialized")}
        summary = ", ".join(f"{n} {label}" for label, n in counts.items())
        self.stdout.write(f"{len(suggestions)} suggestions for {article.slug}: {summary}.")
