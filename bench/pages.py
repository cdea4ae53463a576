"""Server time and queries of the busiest pages on the ten-year dataset, next to a floor.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sakura_bench \\
    DJANGO_SETTINGS_MODULE=sakura.settings .venv/bin/python bench/pages.py --create --drop

--create makes the database named in DATABASE_URL (it must be called sakura_bench), migrates
it, fills it with `seed_demo` and counts each page's queries on that small dataset, then adds
the ten years of `seed_scale`; without --create the data must already be there (and the
queries are counted on it alone).
--drop drops that database at the end. Each page is requested through django.test.Client
(signed in with force_login) twice to warm up, then --requests times; the floor is a bare
view doing one indexed query, routed beside the pages (bench/floor_urls.py) and requested
through the same middleware by the same client, so p95/floor compares like with like. Then
every export of the fiscal year with the most participants is read to its end: time, size and
peak memory (tracemalloc), next to the same export on the demo data.

The page list, the query counting and the measuring are importable: tests/bench/test_pages.py
runs them in small, so that the bench cannot rot and no page gains a query per row unseen.
"""

import argparse
import math
import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
# bench/letters.py would shadow the `letters` app: keep this folder off the path.
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != HERE]

BENCH_DATABASE = "sakura_bench"
GOAL_MS = 50  # every busy page's p95 at ten-year scale
RECOMPUTE_GOAL_MS = 100  # computing the dashboard's figures afresh
RECOMPUTE = "dashboard recompute (POST)"
FLOOR = "floor (one indexed query)"
MIB = 1024 * 1024
TABLES = ("plans", "participants", "reviews", "reports")


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--create", action="store_true", help="create and seed the database")
    parser.add_argument("--drop", action="store_true", help="drop the database at the end")
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page")
    parser.add_argument(
        "--no-exports",
        action="store_true",
        help="measure the pages only (the exports take minutes)",
    )
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
    """Two warm-up calls, then `requests` timed ones: (queries per request, p50, p95, CPU p50)
    in ms. CPU is this process's time (Python: views, templates, middleware), which the other
    users of a shared machine disturb far less than the wall clock."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(2):
        fetch()
    timings, cpu, queries = [], [], []
    for _ in range(requests):
        with CaptureQueriesContext(connection) as captured:
            started, started_cpu = time.perf_counter(), time.process_time()
            fetch()
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        queries.append(len(captured))
    return (
        statistics.median(queries),
        statistics.median(timings),
        percentile(timings, 0.95),
        statistics.median(cpu),
    )


def page(client, url, method="get", status=200):
    """A fetch that requests `url` and reads the whole response (streamed or not)."""

    def fetch():
        response = getattr(client, method)(url)
        if response.status_code != status:
            raise SystemExit(
                f"{method.upper()} {url} answered {response.status_code}, not {status}"
            )
        size = 0
        if response.streaming:
            # One piece at a time, never joined; the client closes the response at the end.
            for piece in response.streaming_content:
                size += len(piece)
        else:
            size = len(response.content)
        return size

    return fetch


def signed_in(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def demo_users():
    from accounts.models import User

    return (
        User.objects.get(email="officer@example.org"),
        User.objects.get(email="participant@example.org"),
    )


def busy_pages(officer, participant):
    """The pages to measure, on the largest objects of whatever data is in the database,
    and the floor (see bench/floor_urls.py, which must be the ROOT_URLCONF): [(name, fetch)]
    and {what: the object chosen}."""
    from django.db.models import Count, Q
    from django.urls import reverse

    from applications.models import InvitationPlan, PlanState
    from institutions.models import Membership
    from programs.models import Call

    largest = Call.objects.annotate(plan_count=Count("plans")).order_by("-plan_count", "pk").first()
    reviewed = (
        Call.objects.annotate(review_count=Count("plans__assignments__review"))
        .order_by("-review_count", "pk")
        .first()
    )
    in_review = (
        Call.objects.annotate(
            waiting=Count("plans", filter=Q(plans__state__in=PlanState.in_review()))
        )
        .order_by("-waiting", "pk")
        .first()
    )
    coordinator = (
        Membership.objects.annotate(plan_count=Count("institution__plans"))
        .order_by("-plan_count", "pk")
        .first()
        .user
    )
    staff = signed_in(officer)
    dashboard = reverse("insights_dashboard")
    newest = InvitationPlan.objects.order_by("-pk").values_list("pk", flat=True).first()
    pages = [
        ("staff plan list", page(staff, reverse("staff_call_plans", args=[largest.pk]))),
        ("call ranking", page(staff, reverse("review_ranking", args=[reviewed.pk]))),
        (
            "assignment preview",
            page(staff, reverse("review_assignments", args=[in_review.pk]) + "?preview=1"),
        ),
        ("staff dashboard (cached)", page(staff, dashboard)),
        ("dashboard recompute (POST)", page(staff, dashboard, method="post", status=302)),
        ("coordinator dashboard", page(signed_in(coordinator), reverse("coordinator_dashboard"))),
        ("participant portal", page(signed_in(participant), reverse("participant_home"))),
        (FLOOR, page(staff, reverse("bench_floor", args=[newest]))),
    ]
    return pages, {"largest": largest, "reviewed": reviewed, "in review": in_review}


def export_year():
    """The fiscal year with the most participants."""
    from django.db.models import Count

    from programs.models import Call

    return (
        Call.objects.values("fiscal_year")
        .annotate(people=Count("plans__participants"))
        .order_by("-people", "-fiscal_year")
        .values_list("fiscal_year", flat=True)
        .first()
    )


def exports(officer, year=None, tables=TABLES):
    """Every export of one whole fiscal year (of all years when `year` is None), CSV and
    XLSX: [(name, fetch)]."""
    from django.urls import reverse

    staff = signed_in(officer)
    query = f"?fiscal_year={year}" if year else ""
    when = "" if year else " (all years)"
    return [
        (
            f"{table} .{file_format}{when}",
            page(staff, f"{reverse(f'export_{table}_{file_format}')}{query}"),
        )
        for table in tables
        for file_format in ("csv", "xlsx")
    ]


def all_exports(officer):
    """The fiscal year's exports, and the largest export (participants) of every year."""
    return exports(officer, export_year()) + exports(officer, tables=["participants"])


def measure_export(fetch):
    """(queries, seconds, bytes sent, peak bytes) of one export read to its end. The time is
    taken without tracemalloc (which slows Python down), the peak with it: Python's own
    allocations, from the request to the last piece read (not libpq's buffers)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    fetch()
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        size = fetch()
        seconds = time.perf_counter() - started
    queries = len(captured)  # now: the next request empties the connection's query log
    tracemalloc.start()
    try:
        fetch()
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return queries, seconds, size, peak


def query_counts(pages):
    """{name: queries of one request}, after one request to warm up."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for name, fetch in pages:
        fetch()
        with CaptureQueriesContext(connection) as captured:
            fetch()
        counts[name] = len(captured)
    return counts


def use_floor_urls():
    """Route the floor beside the portal's pages (see bench/floor_urls.py)."""
    from django.conf import settings
    from django.urls import clear_url_caches, set_urlconf

    settings.ROOT_URLCONF = "bench.floor_urls"
    clear_url_caches()
    set_urlconf(None)


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

    from applications.models import InvitationPlan
    from participants.models import Participant
    from programs.models import Call
    from reviews.models import Review

    settings.DEBUG = False
    settings.SECURE_SSL_REDIRECT = False
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    use_floor_urls()

    small, small_exports = {}, {}
    try:
        if arguments.create:
            started = time.perf_counter()
            call_command("migrate", verbosity=0)
            call_command("seed_demo", verbosity=0)
            small = query_counts(busy_pages(*demo_users())[0])
            small_exports = {
                name: measure_export(fetch) for name, fetch in all_exports(demo_users()[0])
            }
            call_command("seed_scale")
            print(f"Created and seeded {BENCH_DATABASE} in {time.perf_counter() - started:.0f}s.")

        print(
            f"Dataset: {InvitationPlan.objects.count():,} plans, "
            f"{Participant.objects.count():,} participants, {Call.objects.count():,} calls, "
            f"{Review.objects.count():,} reviews."
        )
        officer, participant = demo_users()
        pages, chosen = busy_pages(officer, participant)
        for what, call in chosen.items():
            print(f"Call {what}: {call}.")
        results = [(name, measure(fetch, arguments.requests)) for name, fetch in pages]
        floor = dict(results)[FLOOR]

        print(f"\n{arguments.requests} requests per page after 2 warm-up requests, every one")
        print("through the portal's middleware with the same signed-in django.test.Client.")
        if small:
            print("Queries are counted on the demo data alone, then on the ten-year data.")
        print()
        header = (
            f"{'page':<28}{'queries':>8}{'demo':>6}{'p50 ms':>9}{'p95 ms':>9}"
            f"{'CPU ms':>9}{'p95/floor':>11}{'goal ms':>9}"
        )
        print(header)
        print("-" * len(header))
        for name, (queries, p50, p95, cpu) in results:
            before = small.get(name, "–")
            print(
                f"{name:<28}{queries:>8g}{before:>6}{p50:>9.1f}{p95:>9.1f}{cpu:>9.1f}"
                f"{p95 / floor[2]:>10.0f}×{goal_of(name) or '–':>9}"
            )
        slow = [
            name
            for name, (_q, _p50, p95, _cpu) in results
            if goal_of(name) and p95 >= goal_of(name)
        ]
        if slow:
            print(f"\nOver its goal (p95): {', '.join(slow)}.")
        else:
            print("\nEvery page's p95 is within its goal.")
        growing = [name for name, (queries, *_) in results if small.get(name, queries) != queries]
        if growing:
            print(f"Queries grow with the data on: {', '.join(growing)}.")
        elif small:
            print("No page's query count grows with the data.")

        if arguments.no_exports:
            return
        print(
            f"\nExports of fiscal year {export_year()} (the demo data's: its own year), then"
            " of all years, each read to its last byte:\n"
        )
        header = (
            f"{'export':<32}{'queries':>8}{'seconds':>9}{'MiB':>8}"
            f"{'peak MiB':>10}{'demo MiB':>10}{'demo peak':>11}"
        )
        print(header)
        print("-" * len(header))
        for name, fetch in all_exports(officer):
            queries, seconds, size, peak = measure_export(fetch)
            _q, _s, small_size, small_peak = small_exports.get(name, (0, 0, None, None))
            print(
                f"{name:<32}{queries:>8}{seconds:>9.2f}{size / MIB:>8.2f}{peak / MIB:>10.2f}"
                f"{mib(small_size):>10}{mib(small_peak):>11}"
            )
        print("\nPeak: Python's allocations (tracemalloc) while the response is read to its end.")
    finally:
        if arguments.drop:
            drop_database()
            print(f"Dropped {BENCH_DATABASE}.")


def goal_of(name):
    """The p95 goal of a page in ms (None for the floor)."""
    if name == FLOOR:
        return None
    return RECOMPUTE_GOAL_MS if name == RECOMPUTE else GOAL_MS


def mib(value):
    return "–" if value is None else f"{value / MIB:.2f}"


if __name__ == "__main__":
    main()
