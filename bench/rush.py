"""The deadline rush: coordinators saving and submitting plans as a call closes (issue 8).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sakura_rush \\
    REDIS_URL=redis://127.0.0.1:6379/0 .venv/bin/python bench/rush.py --users 200 --duration 3m

Makes the database named in DATABASE_URL (the name must start with sakura_rush: it is created
here and dropped WITH (FORCE) at the end unless --keep), migrates it and creates one open call
that closes a few minutes after the run ends, with --users coordinators at host institutions of
one to three coordinators each. Every coordinator leads a draft that is complete except for its
objectives, and gets a signed-in session (force_login; no password form). gunicorn then serves
the portal on a free port of 127.0.0.1 and locust (bench/locustfile.py) plays the coordinators
for --duration: they open their sections, save them again and again with new values, review and
submit, then browse their plan until the time is up.

Afterwards the database must hold, for every plan, the last value its coordinator was told was
saved (objectives, a budget note, itinerary items), the invitees and partners untouched by the
saves, and every plan whose submission was confirmed exactly once in the submitted state. The
exit status is 1 when locust counted a failure or a draft was lost.
"""

import argparse
import base64
import csv
import json
import os
import re
import resource
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
# bench/letters.py would shadow the `letters` app: keep this folder off the path.
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != HERE]

DATABASE_PREFIX = "sakura_rush"
STOP_TIMEOUT = 10  # seconds locust lets users finish what they are doing at the end


def parse_duration(text):
    """Seconds in "3m", "90s", "1m30s" or "90"."""
    match = re.fullmatch(r"(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s?)?", text.strip())
    if not text.strip() or not match:
        raise argparse.ArgumentTypeError(f"not a duration: {text!r} (e.g. 3m, 90s, 1m30s)")
    hours, minutes, seconds = (int(part or 0) for part in match.groups())
    return hours * 3600 + minutes * 60 + seconds


def parse_wait(text):
    """Seconds between a user's actions, "1-4" (uniformly drawn)."""
    try:
        low, high = (float(part) for part in text.split("-"))
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not a range of seconds: {text!r} (e.g. 1-4)") from error
    if not 0 <= low <= high:
        raise argparse.ArgumentTypeError(f"not a range of seconds: {text!r} (e.g. 1-4)")
    return text


def pacing_cap(users, wait):
    """The most actions a second `users` can ask for with `wait` ("1-4") seconds between a
    user's actions, if the server answered at once: a run near it measured the pacing, not
    the server (200 users at 1-4 s: 80/s)."""
    low, high = (float(part) for part in wait.split("-"))
    return users / ((low + high) / 2) if high else float("inf")


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=200, help="simulated coordinators")
    parser.add_argument("--spawn-rate", type=float, default=20, help="users started per second")
    parser.add_argument("--duration", type=parse_duration, default="3m", help="e.g. 3m, 90s")
    parser.add_argument(
        "--wait",
        type=parse_wait,
        default="5-15",
        help="seconds between actions: a person reading and typing (default 5-15; 1-4 stresses)",
    )
    # As docker-compose.yml runs gunicorn: on 2 cores, 4 sync workers beside PostgreSQL and
    # locust cost ~10 % more CPU a request than 3 (26.2 against 24.2 ms, 62.7 against 66.8/s).
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    parser.add_argument(
        "--threads", type=int, default=1, help="threads per worker (gthread; default: sync workers)"
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the database and the run's files at the end"
    )
    arguments = parser.parse_args()
    if arguments.users < 1 or arguments.spawn_rate <= 0 or arguments.duration < 1:
        parser.error("--users, --spawn-rate and --duration must be positive.")
    return arguments


def server_connection(url):
    """An autocommit connection to the "postgres" database of `url`'s server."""
    import psycopg

    parts = urlsplit(url)
    return psycopg.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username,
        password=parts.password,
        dbname="postgres",
        autocommit=True,
    )


def create_database(url, name):
    """An empty database, or a copy of RUSH_TEMPLATE_DATABASE when that names a migrated
    database nobody is using (the test suite passes its own: migrating costs ~13 s of CPU)."""
    import psycopg

    template = os.environ.get("RUSH_TEMPLATE_DATABASE")
    with server_connection(url) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if template:
            try:
                connection.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
                return
            except psycopg.Error:  # not there, or still being migrated: start empty
                pass
        connection.execute(f'CREATE DATABASE "{name}"')


def drop_database(url, name):
    from django.db import connections

    connections.close_all()
    with server_connection(url) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def server_environment(database_url, name, media_root):
    """What gunicorn and this script share: production settings, but plain http on 127.0.0.1.

    Celery publishes to a queue of this run's own that no worker reads: the web processes do
    exactly what they do in production (write the outbox row, hand the task to Redis after the
    commit), the sending itself stays out of the measurement (a worker elsewhere does it), and
    the queue's length tells afterwards that every notification was handed over. Eager Celery
    would render and "send" each mail inside the submit request instead.
    """
    return {
        "DJANGO_SETTINGS_MODULE": "sakura.settings",
        "DATABASE_URL": database_url,
        "DATABASE_CONN_MAX_AGE": "60",  # as docker-compose.yml runs gunicorn
        "DJANGO_DEBUG": "false",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_SECURE_COOKIES": "false",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        # Plain static storage, so no collectstatic is needed (as `make bench`); locust asks
        # for no static file.
        "DJANGO_TESTING": "true",
        # The sessions made here must be valid in gunicorn: one key for both.
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(50),
        # DEBUG off needs a personal-data key of its own (a Fernet key: 32 random bytes).
        "PERSONAL_DATA_KEY": os.environ.get("PERSONAL_DATA_KEY")
        or base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "CELERY_TASK_DEFAULT_QUEUE": name,
        "CACHE_KEY_PREFIX": name,
        "MEDIA_ROOT": str(media_root),
        "LOG_LEVEL": "WARNING",
        # whitenoise warns once per worker that collectstatic never ran (as in the tests).
        "PYTHONWARNINGS": "ignore:No directory at:UserWarning",
    }


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(port, arguments, log):
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "sakura.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(arguments.workers),
        "--timeout",
        "30",
        "--graceful-timeout",
        "10",
        # Load the app once before forking: every worker is ready when the first one answers.
        "--preload",
        "--log-level",
        "warning",
        "--error-logfile",
        str(log),
    ]
    if arguments.threads > 1:
        command += ["--worker-class", "gthread", "--threads", str(arguments.threads)]
    server = subprocess.Popen(command, cwd=ROOT, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited at start:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as answer:
                if answer.status == 200:
                    return server
        except OSError:
            time.sleep(0.3)
    stop_gunicorn(server)
    raise SystemExit(f"gunicorn did not answer within 60 s:\n{log.read_text()}")


def warm_up(port, sessions, workers):
    """Every page of the rush read a few times by as many at once as there are workers, before
    the clock starts: each worker has compiled its templates and loaded its translations, as
    one that has served for a while has (a cold worker spends a second or more on its first
    pages). Reading only: no draft changes."""
    from concurrent.futures import ThreadPoolExecutor

    def read(account_and_page):
        account, page = account_and_page
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}{account['urls'][page]}",
            headers={"Cookie": f"{account['cookie']}={account['session']}"},
        )
        with urllib.request.urlopen(request, timeout=60) as answer:
            answer.read()

    pages = ["list", "basics", "partners", "itinerary", "budget", "submit", "detail"]
    reads = [(account, page) for account in sessions[:workers] for page in pages] * 2
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(read, reads))


def stop_gunicorn(server):
    """SIGTERM to the master (it stops its workers gracefully); SIGKILL to its group if stuck."""
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, 9)
            server.wait()


def run_locust(port, arguments, work):
    """locust, headless, bounded by -t and by a hard timeout; returns its exit status."""
    command = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(HERE / "locustfile.py"),
        "--headless",
        "--users",
        str(arguments.users),
        "--spawn-rate",
        str(arguments.spawn_rate),
        "--run-time",
        f"{arguments.duration}s",
        "--stop-timeout",
        str(STOP_TIMEOUT),
        "--host",
        f"http://127.0.0.1:{port}",
        "--csv",
        str(work / "locust"),
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    environment = {
        **os.environ,
        "RUSH_SESSIONS": str(work / "sessions.json"),
        "RUSH_RESULTS": str(work / "results.json"),
        "RUSH_WAIT": arguments.wait,
    }
    with open(work / "locust.log", "w") as log:
        try:
            finished = subprocess.run(
                command,
                cwd=ROOT,
                env=environment,
                stdout=log,
                stderr=subprocess.STDOUT,
                timeout=arguments.duration + STOP_TIMEOUT + 90,
            )
        except subprocess.TimeoutExpired:
            return None
    return finished.returncode


def locust_stats(work):
    """Rows of locust's stats CSV: (kind, requests, failures, p50, p95, p99, max) in ms."""
    path = work / "locust_stats.csv"
    if not path.exists():
        return []
    rows = []
    with open(path, newline="") as stats:
        for row in csv.DictReader(stats):
            kind = "all requests" if row["Name"] == "Aggregated" else row["Name"]
            rows.append(
                (
                    kind,
                    int(row["Request Count"]),
                    int(row["Failure Count"]),
                    *(float(row[p]) if row[p] != "N/A" else 0.0 for p in ("50%", "95%", "99%")),
                    float(row["Max Response Time"]),
                )
            )
    return rows


def locust_failures(work):
    path = work / "locust_failures.csv"
    if not path.exists():
        return []
    with open(path, newline="") as failures:
        return [
            f"{row['Occurrences']} × {row['Name']}: {row['Error']}"
            for row in csv.DictReader(failures)
        ]


def locust_errors(work):
    """What the simulated users' own code raised (locust counts it apart from failed
    requests): a coordinator whose code broke stops saving and submitting, and the run
    must not pass for that."""
    path = work / "locust_exceptions.csv"
    if not path.exists():
        return []
    with open(path, newline="") as errors:
        return [f"{row['Count']} × {row['Message']}" for row in csv.DictReader(errors)]


def clean_redis(queue, cache_prefix):
    """Drop this run's Celery queue (nobody reads it) and its cache keys."""
    import redis
    from django.conf import settings

    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    broker.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
    for key in broker.scan_iter(match=f"{queue}\x06\x16*"):  # priority queues, if any
        broker.delete(key)
    cache_url = getattr(settings, "CACHE_URL", "")
    if cache_url:
        cache = redis.Redis.from_url(cache_url)
        for key in cache.scan_iter(match=f"{cache_prefix}:*"):
            cache.delete(key)


def children_cpu():
    """CPU seconds of this process's children that have ended (and theirs: gunicorn's workers)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def postgres_cpu():
    """CPU seconds the PostgreSQL server on this machine has used so far: the postmaster and
    its processes now, and its processes that have ended (the postmaster's children's times:
    a backend closed and opened again during the run, as DATABASE_CONN_MAX_AGE makes them,
    still counts). The difference over a run is the server's work for it (and any other
    database's on the same server)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (backend,) = cursor.fetchone()
    postmaster = process_stat(backend)[1]  # the backend's parent
    children = [
        pid for pid in all_pids() if pid != postmaster and process_stat(pid)[1] == postmaster
    ]
    return sum(process_cpu(pid, with_ended_children=True) for pid in [postmaster, *children])


def all_pids():
    return [int(entry.name) for entry in Path("/proc").iterdir() if entry.name.isdigit()]


def process_stat(pid):
    """(state, parent pid, [the fields after them]) of process `pid`, or ("", 0, []) when
    it has ended or is not on this machine."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return "", 0, []
    return fields[0], int(fields[1]), fields


def process_cpu(pid, *, with_ended_children=False):
    """CPU seconds of process `pid` so far (0 when it is not on this machine or has ended);
    `with_ended_children`: with those of its children it has waited for."""
    fields = process_stat(pid)[2]
    if not fields:
        return 0.0
    ticks = int(fields[11]) + int(fields[12])  # utime, stime
    if with_ended_children:
        ticks += int(fields[13]) + int(fields[14])  # cutime, cstime
    return ticks / os.sysconf("SC_CLK_TCK")


def print_cpu(cpu, requests, *, load_generator="locust", cores=None):
    """CPU per request of the server, the load generator and the database, as measured, and
    the most actions a second this machine's cores give at that cost: with the load generator
    on them (as here), and without it (were the users' requests made elsewhere)."""
    if not requests:
        return
    per_request = {who: seconds / requests * 1000 for who, seconds in cpu}
    parts = ", ".join(f"{who} {ms:.1f} ms" for who, ms in per_request.items())
    print(f"CPU per request: {parts}.")
    cores = cores or os.cpu_count() or 1
    everything = sum(per_request.values())
    server = everything - per_request.get(load_generator, 0)
    if everything and server:
        print(
            f"At that cost {cores} cores serve at most {cores * 1000 / everything:.0f} "
            f"actions/s ({cores * 1000 / server:.0f}/s for the server alone, were "
            f"{load_generator} on another machine)."
        )


def print_report(arguments, port, stats, failures, counts, problems, outbox, gunicorn_errors):
    threads = f" × {arguments.threads} threads (gthread)" if arguments.threads > 1 else " (sync)"
    print(
        f"\nDeadline rush: {arguments.users} coordinators for {arguments.duration} s, "
        f"started at {arguments.spawn_rate:g}/s, {arguments.wait} s between actions; "
        f"gunicorn {arguments.workers} workers{threads} on 127.0.0.1:{port}.\n"
    )
    header = f"{'request':<28}{'count':>8}{'failed':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
    header += f"{'max ms':>9}"
    print(header)
    print("-" * len(header))
    for kind, requests, failed, p50, p95, p99, longest in stats:
        if kind == "all requests":
            print("-" * len(header))
        print(f"{kind:<28}{requests:>8}{failed:>8}{p50:>9.0f}{p95:>9.0f}{p99:>9.0f}{longest:>9.0f}")
    total = next((row for row in stats if row[0] == "all requests"), None)
    requests, failed = (total[1], total[2]) if total else (0, 0)
    print(f"\nRequests: {requests:,} ({requests / arguments.duration:.1f}/s), failures: {failed}.")
    cap = pacing_cap(arguments.users, arguments.wait)
    if cap != float("inf"):
        print(f"(This pacing asks for at most {cap:.0f} actions/s, however fast the server.)")
    for line in failures[:10]:
        print(f"  {line}")
    print(
        f"Drafts checked: {counts['checked']}, lost: {counts['lost']}"
        f" (saved without the user being told: {counts['unconfirmed']})."
    )
    print(f"Plans submitted (confirmed to the user): {counts['submitted']}.")
    print(f"Outbox: {outbox[0]} notifications queued, {outbox[1]} tasks handed to Redis.")
    for line in problems[:20]:
        print(f"  {line}")
    if gunicorn_errors:
        print(f"gunicorn logged {len(gunicorn_errors)} error lines, e.g.:")
        for line in gunicorn_errors[:5]:
            print(f"  {line}")


def main():
    arguments = parse_arguments()
    database_url = os.environ.get("DATABASE_URL", "")
    name = urlsplit(database_url).path.lstrip("/")
    if not name.startswith(DATABASE_PREFIX) or not re.fullmatch(r"[a-z0-9_]+", name):
        raise SystemExit(f"DATABASE_URL must name a database called {DATABASE_PREFIX}…")
    if not os.environ.get("REDIS_URL"):
        raise SystemExit("REDIS_URL must be set: gunicorn publishes Celery tasks to Redis.")

    work = Path(tempfile.mkdtemp(prefix=f"{name}-"))
    os.environ.update(server_environment(database_url, name, work / "media"))
    create_database(database_url, name)

    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from bench.rush_plans import (
        check_drafts,
        create_rush_data,
        outbox_figures,
        signed_in_sessions,
    )

    server, succeeded = None, False
    try:
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        ramp = arguments.users / arguments.spawn_rate
        closes_at = timezone.now() + timedelta(seconds=ramp + arguments.duration + 180)
        plans = create_rush_data(arguments.users, closes_at)
        sessions = signed_in_sessions(plans)
        (work / "sessions.json").write_text(json.dumps(sessions))
        print(
            f"{name}: migrated, {len(plans)} coordinators and drafts in "
            f"{time.perf_counter() - started:.0f} s; the call closes at "
            f"{timezone.localtime(closes_at):%H:%M:%S} JST."
        )

        port = free_port()
        server = start_gunicorn(port, arguments, work / "gunicorn.log")
        warm_up(port, sessions, arguments.workers)
        print(f"gunicorn on 127.0.0.1:{port}; locust for {arguments.duration} s …", flush=True)
        cpu_at_start = children_cpu()
        gunicorn_start_cpu = process_cpu(server.pid)  # loading the portal (--preload)
        postgres_at_start = postgres_cpu()
        status = run_locust(port, arguments, work)
        locust_cpu = children_cpu() - cpu_at_start
        database_cpu = postgres_cpu() - postgres_at_start
        stop_gunicorn(server)
        gunicorn_cpu = children_cpu() - cpu_at_start - locust_cpu - gunicorn_start_cpu

        results_path = work / "results.json"
        results = (
            json.loads(results_path.read_text(encoding="utf-8")) if results_path.exists() else {}
        )
        stats = locust_stats(work)
        counts, problems = check_drafts(plans, results)
        outbox = outbox_figures(plans, name)
        gunicorn_errors = [
            line
            for line in (work / "gunicorn.log").read_text().splitlines()
            if "error" in line.lower() or "timeout" in line.lower()
        ]
        failures = locust_failures(work)
        errors = locust_errors(work)
        print_report(arguments, port, stats, failures, counts, problems, outbox, gunicorn_errors)
        print_cpu(
            [
                ("gunicorn", gunicorn_cpu),
                ("PostgreSQL (the server's processes)", database_cpu),
                ("locust", locust_cpu),
            ],
            next((row[1] for row in stats if row[0] == "all requests"), 0),
        )

        failed = next((row[2] for row in stats if row[0] == "all requests"), None)
        reasons = []
        if status is None:
            reasons.append("locust did not finish in time")
        if not stats or not results:
            reasons.append("locust wrote no statistics or results")
        if failed:
            reasons.append(f"{failed} failed requests")
        if errors:
            reasons.append(f"errors in the simulated users' code: {'; '.join(errors[:3])}")
        if counts["lost"]:
            reasons.append(f"{counts['lost']} drafts lost")
        if problems and not reasons:
            reasons.append("the database does not match what the users were told")
        if outbox[0] != outbox[1]:
            reasons.append("not every notification was handed to Redis")
        if reasons:
            print(f"\nFAILED: {'; '.join(reasons)}.")
        else:
            succeeded = True
            print("\nOK: no failed request, no lost draft.")
    finally:
        if server is not None:
            stop_gunicorn(server)
        clean_redis(name, name)
        if arguments.keep:
            print(f"Kept the database {name}.")
        else:
            drop_database(database_url, name)
            print(f"Dropped {name}.")
        if arguments.keep or not succeeded:
            print(f"The run's files (locust and gunicorn logs, CSV, JSON) are in {work}.")
        else:
            shutil.rmtree(work, ignore_errors=True)
    sys.exit(0 if succeeded else 1)


if __name__ == "__main__":
    main()
