from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from annotator.lti import tool
from annotator.lti.models import ToolKey


class Command(BaseCommand):
    help = ("Make a new LTI signing key. Keys older than --retire-after days leave the JWKS; younger ones "
            "stay published so platforms that cached them can still check what they signed.")

    def add_arguments(self, parser):
        parser.add_argument("--retire-after", type=int, default=7, metavar="DAYS")

    def handle(self, *args, retire_after, **options):
        key = tool.new_key()
        retired = (ToolKey.objects.filter(retired__isnull=True, created__lt=timezone.now() - timedelta(days=retire_after))
                   .exclude(pk=key.pk).update(retired=timezone.now()))
        self.stdout.write(f"New signing key {key.kid}; {retired} older key{'s' if retired != 1 else ''} retired.")
