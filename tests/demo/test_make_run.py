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
