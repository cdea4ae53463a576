"""`make run` as a newcomer types it: the embedded defaults (SQLite, eager Celery, mail to the
console, DEBUG on), migrate, the demo data twice, and the home page and the busiest pages
served (the dashboard once gave a 500 there: SQLite has no GROUPING SETS). The rest of the
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
        [*manage, "shell", "-c", PAGES_ON_SQLITE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    codes = page.stdout.strip().splitlines()[-1] if page.stdout.strip() else ""
    assert codes == "200 200 200 302 200 200 200", page.stderr[-3000:]


# The home page, then the pages whose queries SQLite might not understand (the dashboard's
# figures are counted with GROUPING SETS on PostgreSQL): a coordinator's plan editor, and the
# officer's dashboard, its recomputation, a call's ranking and the assignment preview.
PAGES_ON_SQLITE = """
from django.test import Client
from django.urls import reverse
from accounts.models import User
from applications.models import InvitationPlan
from programs.models import Call
client = Client(HTTP_HOST="127.0.0.1")
client.raise_request_exception = False
codes = [client.get("/").status_code]
coordinator = User.objects.get(email="coordinator@example.org")
client.force_login(coordinator)
plan = InvitationPlan.objects.filter(lead=coordinator, state="draft").first()
codes.append(client.get(reverse("plan_edit_basics", args=[plan.pk])).status_code)
client.force_login(User.objects.get(email="officer@example.org"))
call = Call.objects.filter(plans__isnull=False).first()
for method, url in [
    ("get", reverse("insights_dashboard")),
    ("post", reverse("insights_dashboard")),
    ("get", reverse("insights_dashboard")),
    ("get", reverse("review_ranking", args=[call.pk])),
    ("get", reverse("review_assignments", args=[call.pk]) + "?preview=1"),
]:
    codes.append(getattr(client, method)(url).status_code)
print(" ".join(map(str, codes)))
"""


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
