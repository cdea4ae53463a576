"""Letters per second: bare WeasyPrint rendering the letter template in a loop, against the
path staff use (a batch: one task per letter, each hashing, rendering, storing and counting).

    DJANGO_SETTINGS_MODULE=sakura.settings .venv/bin/python bench/letters.py --count 200

By default the letters go into a temporary SQLite database and a temporary MEDIA_ROOT, both
removed at the end. --database postgres://… creates (and drops) a temporary PostgreSQL
database there instead. When REDIS_URL is set the batch runs on real Celery workers started
by this script (--concurrency, default: one per core on PostgreSQL, one on SQLite);
--eager runs the tasks in this process instead.
"""

import argparse
import base64
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
# This file is called letters.py: drop its folder from the path so that `letters` is the app.
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != HERE]

NATIVE_NAMES = [
    ("TH", "SAETANG", "Somchai", "สมชาย แซ่ตั้ง"),
    ("IN", "SHARMA", "Priya", "प्रिया शर्मा"),
    ("VN", "NGUYEN", "Van An", "Nguyễn Văn An"),
    ("CN", "WANG", "Fang", "王芳"),
    ("BD", "RAHMAN", "Ayesha", "আয়েশা রহমান"),
    ("KH", "SOK", "Dara", "សុខ ដារា"),
    ("MM", "AUNG", "Thiri", "သီရိ အောင်"),
    ("LK", "PERERA", "Nimal", "නිමල් පෙරේරා"),
]


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200, help="letters per path (default 200)")
    parser.add_argument(
        "--database",
        default=os.environ.get("BENCH_DATABASE_URL", ""),
        help="postgres://… to bench on a temporary PostgreSQL database (default: SQLite)",
    )
    parser.add_argument("--eager", action="store_true", help="run the tasks in this process")
    parser.add_argument("--concurrency", type=int, default=0, help="worker processes")
    parser.add_argument("--keep", action="store_true", help="keep the temporary files")
    return parser.parse_args()


def main():
    arguments = parse_arguments()
    scratch = Path(tempfile.mkdtemp(prefix="sakura-bench-letters-"))
    on_postgres = arguments.database.startswith("postgres")
    use_worker = bool(os.environ.get("REDIS_URL")) and not arguments.eager
    queue = f"bench-{uuid.uuid4().hex[:8]}"
    os.environ["DATABASE_URL"] = (
        arguments.database if on_postgres else f"sqlite:///{scratch / 'bench.sqlite3'}"
    )
    os.environ["MEDIA_ROOT"] = str(scratch / "media")
    os.environ["DJANGO_DEBUG"] = "false"  # no query log growing with every letter
    # DEBUG off needs real keys: throwaway ones for this run, shared with its worker.
    os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.setdefault(
        "PERSONAL_DATA_KEY", base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
    )
    os.environ.setdefault("SITE_URL", "http://127.0.0.1:8000")  # required with DEBUG off
    os.environ["DJANGO_SECURE_SSL_REDIRECT"] = "false"
    os.environ["LOG_LEVEL"] = "WARNING"
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "false" if use_worker else "true"
    os.environ["CELERY_TASK_DEFAULT_QUEUE"] = queue
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sakura.settings")

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    old_name = None
    if on_postgres:
        settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = f"bench_sakura_{os.getpid()}"
        old_name = connection.settings_dict["NAME"]
        connection.creation.create_test_db(verbosity=0, autoclobber=True)
    else:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)

    worker = None
    try:
        call, warm_up = make_data(arguments.count)
        bare_seconds = bench_bare_weasyprint(call)
        if use_worker:
            concurrency = arguments.concurrency or (os.cpu_count() if on_postgres else 1)
            worker = start_worker(queue, concurrency, connection.settings_dict)
            warm_up_worker(warm_up, concurrency)
            label = f"batch on {concurrency} Celery worker process(es) via Redis"
        else:
            concurrency = 1
            label = "batch, tasks eager in this process"
        path_seconds, batch = bench_batch(call)
        report(arguments.count, bare_seconds, path_seconds, label, concurrency, batch, on_postgres)
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=30)
        if old_name is not None:
            connection.creation.destroy_test_db(old_name, verbosity=0)
        if not arguments.keep:
            shutil.rmtree(scratch, ignore_errors=True)


def make_data(count):
    """A call with approved plans of eight participants each (native names in eight scripts),
    and a second call whose letters warm up the worker processes."""
    from datetime import date, timedelta

    from django.utils import timezone

    from accounts.models import User
    from applications.models import BudgetLine, InvitationPlan, PlanState
    from institutions.models import Institution
    from participants.models import Participant
    from programs.models import Call, Course, Program

    program = Program.objects.create(
        code="ssp", name_en="Sakura Science Exchange Program", name_ja="さくらサイエンスプログラム"
    )
    course = Course.objects.create(
        program=program,
        code="A",
        name_en="Science and Technology Experience",
        name_ja="科学技術体験コース",
        max_days=7,
        max_invitees=8,
    )
    host = Institution.objects.create(
        kind=Institution.Kind.UNIVERSITY,
        name_en="Sakura University of Science",
        name_ja="さくら科学大学",
        prefecture="13",
        address="東京都千代田区1-1",
    )
    lead = User.objects.create(email="lead@example.org", full_name="田中 一郎")
    now = timezone.now()

    def make_call(round_number):
        return Call.objects.create(
            program=program,
            fiscal_year=2026,
            round=round_number,
            opens_at=now - timedelta(days=60),
            closes_at=now - timedelta(days=30),
            exchange_starts_on=date(2027, 1, 10),
            exchange_ends_on=date(2027, 3, 15),
            budget_jpy=100_000_000,
            status=Call.Status.DECIDED,
        )

    def make_participants(call, how_many):
        participants = []
        for number in range(1, (how_many + 7) // 8 + 1):
            plan = InvitationPlan.objects.create(
                call=call,
                course=course,
                host=host,
                lead=lead,
                number=number,
                reference=f"{call.reference_prefix}-{number:04d}",
                title_ja="再生可能エネルギー材料の体験研修",
                title_en="Hands-on training in materials for renewable energy",
                field_of_science="materials",
                objectives="Introduce young researchers to perovskite solar cell fabrication.",
                arrival_on=date(2027, 1, 10),
                departure_on=date(2027, 1, 16),
                state=PlanState.APPROVED,
            )
            BudgetLine.objects.create(
                plan=plan, category="airfare", unit_cost_jpy=150_000, quantity=8
            )
            BudgetLine.objects.create(
                plan=plan, category="accommodation", unit_cost_jpy=12_000, quantity=48
            )
            for seat in range(8):
                if len(participants) == how_many:
                    break
                country, family, given, native = NATIVE_NAMES[len(participants) % 8]
                participants.append(
                    Participant(
                        plan=plan,
                        family_name=f"{family}{len(participants)}",
                        given_name=given,
                        native_name=native,
                        date_of_birth=date(2001, 1 + seat, 10),
                        gender=Participant.Gender.OTHER,
                        nationality=country,
                        category="graduate",
                        email=f"p{len(participants)}-{call.round}@example.org",
                    )
                )
        Participant.objects.bulk_create(participants)

    call, warm_up = make_call(1), make_call(2)
    make_participants(call, count)
    make_participants(warm_up, 8)
    return call, warm_up


def bench_bare_weasyprint(call):
    """The same template and data, rendered to PDF by bare WeasyPrint in a loop (the HTML is
    prepared beforehand: only WeasyPrint is timed)."""
    from django.utils import timezone
    from weasyprint import CSS, HTML

    from letters.domain.letters import TEMPLATES, letter_data
    from letters.domain.rendering import STYLESHEET, letter_html
    from letters.models import Letter
    from participants.models import Participant

    participants = Participant.objects.filter(plan__call=call).select_related(
        "plan__host", "plan__course__program", "home_institution"
    )
    pages = [
        letter_html(
            TEMPLATES[Letter.Kind.ACCEPTANCE],
            letter_data(participant),
            reference=f"{participant.plan.reference}-P{participant.pk:04d}-v1-BENCH0",
            issued_at=timezone.now(),
        )
        for participant in participants
    ]
    stylesheet = CSS(filename=str(STYLESHEET))
    HTML(string=pages[0], base_url=str(STYLESHEET.parent)).write_pdf(stylesheets=[stylesheet])
    started = time.perf_counter()
    for page in pages:
        HTML(string=page, base_url=str(STYLESHEET.parent)).write_pdf(stylesheets=[stylesheet])
    return time.perf_counter() - started


def start_worker(queue, concurrency, database):
    from sakura.celery import app

    user = database["USER"] or "postgres"
    url = os.environ["DATABASE_URL"]
    if database["ENGINE"].endswith("postgresql"):
        host, port = database["HOST"] or "127.0.0.1", database["PORT"] or "5432"
        url = f"postgres://{user}@{host}:{port}/{database['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "PYTHONPATH": str(ROOT)}
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "sakura",
            "worker",
            f"--concurrency={concurrency}",
            "--without-gossip",
            "--without-mingle",
            f"--queues={queue}",
            f"--hostname={queue}@%h",
            "--loglevel=WARNING",
        ],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if app.control.ping(destination=[f"{queue}@{os.uname().nodename}"], timeout=0.5):
            return worker
        if worker.poll() is not None:
            raise SystemExit("The Celery worker exited at start.")
    worker.terminate()
    raise SystemExit("The Celery worker did not answer within 60 s.")


def warm_up_worker(call, concurrency):
    """Each worker process loads the fonts once; do it before the clock starts."""
    from letters.tasks import issue_participant_letter
    from participants.models import Participant

    ids = list(Participant.objects.filter(plan__call=call).values_list("pk", flat=True))
    results = [issue_participant_letter.delay(pk) for pk in ids[: max(concurrency, 1) * 2]]
    for result in results:
        result.get(timeout=120)


def bench_batch(call):
    """Start a batch as the staff page does and wait until every letter is counted."""
    from accounts.models import User
    from letters.domain.batches import start_batch
    from letters.models import LetterBatch

    staff = User.objects.create(email="officer@example.org", is_staff=True)
    started = time.perf_counter()
    batch = start_batch(call, by=staff)
    while not LetterBatch.objects.filter(pk=batch.pk, finished_at__isnull=False).exists():
        time.sleep(0.05)
    seconds = time.perf_counter() - started
    batch.refresh_from_db()
    return seconds, batch


def report(count, bare_seconds, path_seconds, label, concurrency, batch, on_postgres):
    bare_rate, path_rate = count / bare_seconds, count / path_seconds
    print(
        f"Letters: {count}  ({'PostgreSQL' if on_postgres else 'SQLite'}, {os.cpu_count()} cores)"
    )
    print(f"  bare WeasyPrint, 1 process:    {bare_seconds:7.1f} s  {bare_rate:6.2f} letters/s")
    print(f"  {label}: {path_seconds:7.1f} s  {path_rate:6.2f} letters/s")
    print(f"  issued {batch.done}, failed {batch.failed}")
    print(f"  ratio task path / bare: {path_rate / bare_rate:.0%}")
    if concurrency > 1:
        print(f"  per worker process / bare: {path_rate / concurrency / bare_rate:.0%}")
    print(f"  1,000 letters would take about {1000 / path_rate / 60:.1f} min on this path")


if __name__ == "__main__":
    main()
