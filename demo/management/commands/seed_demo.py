"""Demo data for local use: programs, courses, calls, institutions, partners and one user per role.

Idempotent: running it again updates the same rows. The open call is kept open around today.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from demo.approved_plan import seed_approved_plan
from demo.calls import seed_calls, seed_programs
from demo.course_d import seed_course_d
from demo.course_d_reports import seed_course_d_reports
from demo.direct import NOMINATOR_EMAIL, seed_direct
from demo.dispatch import seed_dispatched_participants
from demo.people import DEMO_PASSWORD, DEMO_TOTP_SECRET, USERS, seed_institutions, seed_users
from demo.plans import seed_plans
from demo.ranking import seed_ranking
from demo.reviews import seed_review
from demo.rules import seed_rules
from demo.screening import seed_screening
from demo.stays import seed_stays


class Command(BaseCommand):
    help = "Create or update the demo data (idempotent). Passwords are printed: local use only."

    @transaction.atomic
    def handle(self, *args, **options):
        programs = seed_programs()
        seed_calls(programs)
        institutions = seed_institutions()
        seed_users(institutions)
        seed_rules()
        seed_plans(institutions)
        seed_screening(institutions)
        seed_review()
        seed_ranking(institutions)
        warn = lambda text: self.stdout.write(self.style.WARNING(text))  # noqa: E731
        seed_approved_plan(institutions, warn=warn)
        seed_stays(institutions)
        seed_course_d(warn=warn)
        # After every plan is seeded (the course-D plan too): its dispatched people.
        seed_dispatched_participants()
        seed_course_d_reports()
        seed_direct()
        self.stdout.write(self.style.SUCCESS("Demo data ready. Sign in with any of:"))
        for email, name, *_rest in USERS:
            self.stdout.write(f"  {email:28} {DEMO_PASSWORD}   {name}")
        self.stdout.write(
            f"  {'participant@example.org':28} {DEMO_PASSWORD}   SRISUK Malee (participant)"
        )
        self.stdout.write(
            f"  {NOMINATOR_EMAIL:28} {DEMO_PASSWORD}   Pham Quoc Dung (nominator, Viet Nam)"
        )
        self.stdout.write(
            f"Staff and reviewers use two-factor: TOTP secret {DEMO_TOTP_SECRET} "
            "(or run: python manage.py demo_totp_code)."
        )
