"""A large, realistic multi-year dataset for load and report testing (issue 8, "Scale").

Everything it creates hangs off two programs whose codes start with "scale" (`scale`, with
courses A–D, and `scalenx`, with course N), institutions named "Scale University NNN" and
users with addresses at scale.invalid, so `--reset` can delete exactly what it made.
Rows are written with bulk_create in batches, so the number of queries does not grow with
the number of rows. Deterministic for a given --seed.
"""

import random
import time as clock

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from demo.scale.generate import delete_scale_data, generate
from demo.scale.tables import PROGRAM_CODES
from programs.models import Program


class Command(BaseCommand):
    help = (
        "Generate a large multi-year dataset (programs 'scale'/'scalenx'). "
        "Refuses to run twice unless --reset."
    )

    def add_arguments(self, parser):
        parser.add_argument("--years", type=int, default=10)
        parser.add_argument("--plans-per-year", type=int, default=1500)
        parser.add_argument("--participants-per-plan", type=float, default=2.7)
        parser.add_argument("--seed", type=int, default=42)
        parser.add_argument(
            "--reset", action="store_true", help="Delete what an earlier run created, first."
        )
        parser.add_argument(
            "--reset-only", action="store_true", help="Delete what an earlier run created, only."
        )

    def handle(self, *args, **options):
        started = clock.monotonic()
        if options["years"] < 1 or options["plans_per_year"] < 0:
            raise CommandError("--years must be at least 1 and --plans-per-year not negative.")
        if options["participants_per_plan"] < 0:
            raise CommandError("--participants-per-plan must not be negative.")
        if options["reset"] or options["reset_only"]:
            delete_scale_data()
            if options["reset_only"]:
                self.stdout.write(f"Deleted the scale data in {clock.monotonic() - started:.1f}s.")
                return
        elif Program.objects.filter(code__in=PROGRAM_CODES).exists():
            raise CommandError("Scale data already exists: run again with --reset.")
        rng = random.Random(options["seed"])
        with transaction.atomic():
            counts = generate(
                rng, options["years"], options["plans_per_year"], options["participants_per_plan"]
            )
        if connection.vendor == "postgresql":
            # Give the planner statistics now rather than whenever autovacuum comes round.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        elapsed = clock.monotonic() - started
        for name, count in counts.items():
            self.stdout.write(f"{name}: {count}")
        self.stdout.write(self.style.SUCCESS(f"Scale data created in {elapsed:.1f}s."))
