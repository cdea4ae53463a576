"""Server time and queries of the busiest pages on the ten-year dataset, next to a floor.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sakura_bench \\
    DJANGO_SETTINGS_MODULE=sakura.settings .venv/bin/python bench/pages.py --create --drop

--create makes the database named in DATABASE_URL (it must be called sakura_bench), migrates
it, fills it with `seed_demo` and counts each page's queries on that small dataset, then adds
the ten years of `seed_scale`; without --create the data must already be there (and the
queries are counted on it alone).
--drop drops that database at the end. Each page is requested through django.test.Client
(signed in with force_login) twice to warm up, then --requests times; the floor is a bare
view doing one indexed query, called directly with a RequestFactory request.
"""

import argparse
import math
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
# bench/letters.py would shadow the `letters` app: keep this folder off the path.
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != HERE]

BENCH_DATABASE = "sakura_bench"
GOAL_MS = 100.0


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--create", action="store_true", help="create and seed the database")
    parser.add_argument("--drop", action="store_true", help="drop the database at the end")
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page")
    return parser.parse_args()


def server_connection():
    """An autocommit connection to the "postgres" database of the DATABASE_URL's server."""
    import psycopg

    url = urlsplit(os.environ["DATABASE_URL"])
    return psycopg.connect(
        host=url.hostname,
        port=url.port or 5432,
        user=url.username,
        password=url.password,
        dbname="postgres",
        autocommit=True,
    )


def database_name():
    return urlsplit(os.environ.get("DATABASE_URL", "")).path.lstrip("/")


def create_database():
    with server_connection() as connection:
        connection.execute(f'CREATE DATABASE "{BENCH_DATABASE}"')


def drop_database():
    from django.db import connections

    connections.close_all()
    with server_connection() as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{BENCH_DATABASE}" WITH (FORCE)')


def percentile(values, fraction):
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def measure(fetch, requests):
    """Two warm-up calls, then `requests` timed ones: (queries per request, p50, p95) in ms."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(2):
        fetch()
    timings, queries = [], []
    for _ in range(requests):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            fetch()
            timings.append((time.perf_counter() - started) * 1000)
        queries.append(len(captured))
    return statistics.median(queries), statistics.median(timings), percentile(timings, 0.95)


def page(client, url, method="get", status=200):
    def fetch():
        response = getattr(client, method)(url)
        if response.status_code != status:
            raise SystemExit(
                f"{method.upper()} {url} answered {response.status_code}, not {status}"
            )

    return fetch


def floor_view(request, pk):
    """The floor: one indexed query, rendered into a response."""
    from django.http import HttpResponse

    from applications.models import InvitationPlan

    reference = InvitationPlan.objects.filter(pk=pk).values_list("reference").first()
    return HttpResponse(f"<p>{reference}</p>")


def signed_in(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def busy_pages():
    """The pages to measure, on the largest objects of whatever data is in the database."""
    from django.db.models import Count
    from django.urls import reverse

    from accounts.models import User
    from institutions.models import Membership
    from programs.models import Call

    largest = Call.objects.annotate(plan_count=Count("plans")).order_by("-plan_count", "pk").first()
    reviewed = (
        Call.objects.annotate(review_count=Count("plans__assignments__review"))
        .filter(review_count__gt=0)
        .order_by("-review_count", "pk")
        .first()
    ) or largest
    coordinator = (
        Membership.objects.annotate(plan_count=Count("institution__plans"))
        .order_by("-plan_count", "pk")
        .first()
        .user
    )
    staff = signed_in(User.objects.get(email="officer@example.org"))
    participant = signed_in(User.objects.get(email="participant@example.org"))
    dashboard = reverse("insights_dashboard")
    return [
        ("staff plan list", page(staff, reverse("staff_call_plans", args=[largest.pk]))),
        ("call ranking", page(staff, reverse("review_ranking", args=[reviewed.pk]))),
        ("staff dashboard (cached)", page(staff, dashboard)),
        ("dashboard recompute (POST)", page(staff, dashboard, method="post", status=302)),
        ("coordinator dashboard", page(signed_in(coordinator), reverse("coordinator_dashboard"))),
        ("participant portal", page(participant, reverse("participant_home"))),
    ], (largest, reviewed)


def query_counts(pages):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for name, fetch in pages:
        fetch()
        with CaptureQueriesContext(connection) as captured:
            fetch()
        counts[name] = len(captured)
    return counts


def main():
    arguments = parse_arguments()
    if (arguments.create or arguments.drop) and database_name() != BENCH_DATABASE:
        raise SystemExit(f"--create and --drop only work on a database named {BENCH_DATABASE}.")
    if arguments.create:
        create_database()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import RequestFactory

    from applications.models import InvitationPlan
    from participants.models import Participant
    from programs.models import Call

    settings.DEBUG = False
    settings.SECURE_SSL_REDIRECT = False
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]

    small = {}
    try:
        if arguments.create:
            started = time.perf_counter()
            call_command("migrate", verbosity=0)
            call_command("seed_demo", verbosity=0)
            small = query_counts(busy_pages()[0])
            call_command("seed_scale")
            print(f"Created and seeded {BENCH_DATABASE} in {time.perf_counter() - started:.0f}s.")

        plans = InvitationPlan.objects.count()
        participants = Participant.objects.count()
        calls = Call.objects.count()
        print(f"Dataset: {plans:,} plans, {participants:,} participants, {calls:,} calls.")
        pages, (largest, reviewed) = busy_pages()
        print(f"Largest call: {largest} ({largest.plan_count:,} plans).")
        if reviewed == largest:
            print("No call has reviews (seed_scale makes none): ranking of the largest call.")

        plan_pk = InvitationPlan.objects.order_by("-pk").values_list("pk", flat=True).first()
        request = RequestFactory().get("/floor/")
        floor = measure(lambda: floor_view(request, plan_pk), arguments.requests)
        results = [(name, measure(fetch, arguments.requests)) for name, fetch in pages]
        results.append(("floor (one indexed query)", floor))

        print(f"\n{arguments.requests} requests per page after 2 warm-up requests.")
        if small:
            print("Queries are counted on the demo data alone, then on the ten-year data.")
        print()
        header = (
            f"{'page':<28}{'queries':>8}{'demo':>6}{'p50 ms':>10}{'p95 ms':>10}{'p95/floor':>11}"
        )
        print(header)
        print("-" * len(header))
        for name, (queries, p50, p95) in results:
            ratio = p95 / floor[2]
            before = small.get(name, "–")
            print(f"{name:<28}{queries:>8g}{before:>6}{p50:>10.1f}{p95:>10.1f}{ratio:>10.0f}×")
        slow = [name for name, (_q, _p50, p95) in results if p95 >= GOAL_MS]
        if slow:
            print(f"\nNot every page's p95 is under {GOAL_MS:.0f} ms: {', '.join(slow)}.")
        else:
            print(f"\nEvery page's p95 is under {GOAL_MS:.0f} ms.")
        growing = [name for name, (queries, *_) in results if small.get(name, queries) != queries]
        if growing:
            print(f"Queries grow with the data on: {', '.join(growing)}.")
        elif small:
            print("No page's query count grows with the data.")
    finally:
        if arguments.drop:
            drop_database()
            print(f"Dropped {BENCH_DATABASE}.")


if __name__ == "__main__":
    main()
