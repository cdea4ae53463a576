"""The deadline-rush load test in small, so that it cannot rot: `make loadtest` runs it big.

bench/rush.py makes its own database (sakura_rush_<pid>, never the suite's test_sakura_<pid>),
starts gunicorn and locust and drops the database again; it gets an environment of its own
rather than the suite's (pytest-env sets eager Celery and the test database's settings).
"""

import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from bench.rush import print_cpu

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.load


def rush_environment():
    server = urlsplit(os.environ["DATABASE_URL"])
    environment = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/tmp"),
        "DATABASE_URL": server._replace(path=f"/sakura_rush_{os.getpid()}").geturl(),
        "REDIS_URL": os.environ["REDIS_URL"],
    }
    if os.environ.get("CACHE_URL"):
        environment["CACHE_URL"] = os.environ["CACHE_URL"]
    if os.environ.get("SAKURA_TEST_TEMPLATE"):  # under xdist: a copy, not a migration
        environment["RUSH_TEMPLATE_DATABASE"] = os.environ["SAKURA_TEST_TEMPLATE"]
    return environment


def run_bench(script, *arguments):
    """Run bench/`script` with the rush's environment: its report, asserting it exited 0."""
    finished = subprocess.run(
        [sys.executable, f"bench/{script}", *arguments],
        cwd=ROOT,
        env=rush_environment(),
        capture_output=True,
        text=True,
        timeout=150,
    )
    report = finished.stdout + finished.stderr
    assert finished.returncode == 0, report
    return report


def test_deadline_rush_fails_no_request_and_loses_no_draft():
    report = run_bench(
        "rush.py",
        "--users",
        "5",
        "--spawn-rate",
        "5",
        "--duration",
        "10s",
        "--wait",
        "0.2-0.8",
        "--workers",
        "2",
    )
    assert re.search(r"^Requests: \d+ .*, failures: 0\.$", report, re.M), report
    assert "(This pacing asks for at most 10 actions/s, however fast the server.)" in report
    assert "Drafts checked: 5, lost: 0 " in report, report
    assert re.search(r"^CPU per request: gunicorn \d+\.\d ms, ", report, re.M), report
    assert re.search(r"^At that cost \d+ cores serve at most \d+ actions/s \(\d+/s ", report, re.M)
    # The database server's work is counted too, the backends that ended during the run with
    # it: every request makes queries, so it cannot be nothing.
    database = re.search(r"PostgreSQL \(the server's processes\) (\d+\.\d) ms", report)
    assert database and float(database[1]) > 0, report
    submitted = re.search(r"^Plans submitted \(confirmed to the user\): (\d+)\.$", report, re.M)
    assert submitted and int(submitted[1]) >= 1, report


def test_an_error_in_the_simulated_users_code_is_read(tmp_path):
    """locust counts what a user's code raised apart from failed requests; the rush reads it
    (and fails on it) instead of reporting a run whose users stopped working as passed."""
    from bench.rush import locust_errors

    assert locust_errors(tmp_path) == []
    (tmp_path / "locust_exceptions.csv").write_text(
        "Count,Message,Traceback,Nodes\n"
        '3,NameError("name \'form_body\' is not defined"),"File ...",local\n'
    )
    assert locust_errors(tmp_path) == ["3 × NameError(\"name 'form_body' is not defined\")"]


def test_the_report_says_how_many_actions_the_pacing_can_ask_for():
    from bench.rush import pacing_cap

    assert pacing_cap(200, "1-4") == 80  # 200 users, 2.5 s apart on average
    assert pacing_cap(200, "0.5-1.5") == 200
    assert pacing_cap(5, "0-0") == float("inf")


def test_the_report_turns_cpu_per_request_into_the_most_actions_the_cores_give(capsys):
    """Two cores give 2,000 ms of CPU a second: at 20 ms a request, 100 actions/s; without the
    load generator's 4 ms, 2,000 / 16 = 125."""
    print_cpu([("gunicorn", 15.0), ("PostgreSQL", 1.0), ("locust", 4.0)], 1000, cores=2)
    assert capsys.readouterr().out.splitlines() == [
        "CPU per request: gunicorn 15.0 ms, PostgreSQL 1.0 ms, locust 4.0 ms.",
        "At that cost 2 cores serve at most 100 actions/s (125/s for the server alone, were "
        "locust on another machine).",
    ]
