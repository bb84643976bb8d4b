from django.core.management.base import BaseCommand

from annotator.lti import grades


class Command(BaseCommand):
    help = "Send every LTI grade the LMS has not accepted yet (run it from cron, e.g. every 10 minutes)."

    def handle(self, *args, **options):
        sent, left = grades.retry()
        self.stdout.write(f"{sent} grade{'s' if sent != 1 else ''} sent, {left} still waiting.")
        if left:
            # A non-zero exit lets cron's mail or a monitor notice a platform that keeps refusing.
            raise SystemExit(1)
