"""`make run` as a newcomer types it: the embedded defaults (SQLite, eager Celery, mail to the
console, DEBUG on), migrate, the demo data twice, and the home page served. The rest of the
suite runs on PostgreSQL, so only this test meets SQLite: a query only PostgreSQL understands
(a row lock of its own kind, say) fails here first."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# What the suite's own environment adds; `make run` has none of it.
NOT_IN_MAKE_RUN = ("DJANGO_", "DATABASE_URL", "REDIS_URL", "CACHE_", "CELERY_", "PERSONAL_DATA_KEY")


def test_make_run_sets_up_the_demo_on_sqlite_and_serves_it(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(NOT_IN_MAKE_RUN)}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    env["MEDIA_ROOT"] = str(tmp_path / "media")
    manage = [sys.executable, "manage.py"]
    for command in (["migrate", "--no-input"], ["seed_demo"], ["seed_demo"]):
        done = subprocess.run(
            manage + command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, done.stderr[-3000:]
    page = subprocess.run(
        [
            *manage,
            "shell",
            "-c",
            "from django.test import Client; r = Client(HTTP_HOST='127.0.0.1').get('/'); "
            "print(r.status_code)",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert page.stdout.strip().splitlines()[-1] == "200", page.stderr[-3000:]


def make_run_commands(*arguments, env=None):
    """What `make run` would do, without doing it (`make -n`)."""
    done = subprocess.run(
        ["make", "-n", "run", *arguments],
        cwd=ROOT,
        env=env or os.environ,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return [line for line in done.stdout.splitlines() if "manage.py" in line]


def test_make_run_on_another_port_sets_the_site_address_to_match():
    env = {k: v for k, v in os.environ.items() if k != "SITE_URL"}
    commands = make_run_commands("PORT=8123", env=env)
    serve = next(line for line in commands if "runserver" in line)
    assert serve.endswith("runserver 127.0.0.1:8123")
    seed = next(line for line in commands if "seed_demo" in line)
    # The shell expands this to the port's address unless SITE_URL is set already.
    assert "SITE_URL=${SITE_URL:-http://127.0.0.1:8123}" in seed
    assert "SITE_URL=${SITE_URL:-http://127.0.0.1:8123}" in serve


def test_make_run_serves_on_port_8000_by_default():
    serve = next(line for line in make_run_commands() if "runserver" in line)
    assert serve.endswith("runserver 127.0.0.1:8000")
