"""Remove personal data past its retention period now (celery beat does it every night)."""

from django.core.management.base import BaseCommand

from participants.domain.retention import apply_retention


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be removed; change nothing."
        )

    def handle(self, *args, **options):
        removed = apply_retention(dry_run=options["dry_run"])
        prefix = "Would remove" if options["dry_run"] else "Removed"
        self.stdout.write(f"{prefix}: {removed}.")
