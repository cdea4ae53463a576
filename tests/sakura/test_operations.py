"""Production settings: the portal refuses to start on the published development key or
without a separate key for personal data, and Django's deployment check passes only with
real keys."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
REAL_SECRET_KEY = "x7#kq9!vT2mZ@pL4wR8sN1bF6hJ3dG5cY0eA-uQ_oI2tK9zXnM"
REAL_PERSONAL_DATA_KEY = "8bWQh3nqkQ7c4Y0Zr8v9Yl2mSx8Tq0pJ1u6cY3dX4Fs="  # a Fernet key
KEYS = ("DJANGO_SECRET_KEY", "PERSONAL_DATA_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE")


def manage(*arguments, **settings):
    """Run manage.py in a fresh process with this environment (no keys unless given)."""
    env = {
        **{k: v for k, v in os.environ.items() if k not in KEYS},
        "DJANGO_DEBUG": "false",
        "DJANGO_TESTING": "false",
        "DJANGO_ALLOWED_HOSTS": "portal.example.org",
        "SITE_URL": "https://portal.example.org",
        "DJANGO_SECURE_SSL_REDIRECT": "true",
        "DJANGO_SECURE_COOKIES": "true",
        **settings,
    }
    return subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )


def test_check_deploy_has_no_warnings_with_production_settings():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SECRET_KEY=REAL_SECRET_KEY,
        PERSONAL_DATA_KEY=REAL_PERSONAL_DATA_KEY,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", PERSONAL_DATA_KEY=REAL_PERSONAL_DATA_KEY)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_a_personal_data_key():
    result = manage("check", DJANGO_SECRET_KEY=REAL_SECRET_KEY)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "PERSONAL_DATA_KEY" in result.stderr


def test_production_refuses_a_personal_data_key_that_is_no_fernet_key():
    result = manage("check", DJANGO_SECRET_KEY=REAL_SECRET_KEY, PERSONAL_DATA_KEY="secret")

    assert result.returncode != 0
    assert "PERSONAL_DATA_KEY" in result.stderr


def test_local_development_starts_but_fails_the_deploy_check():
    """`make run` (DEBUG on, nothing set) works; its published key never passes --deploy."""
    assert manage("check", DJANGO_DEBUG="true").returncode == 0

    result = manage("check", "--deploy", DJANGO_DEBUG="true")

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr + result.stdout
    assert "PERSONAL_DATA_KEY" in result.stderr + result.stdout


@pytest.mark.django_db
def test_postgresql_prices_random_reads_as_on_ssds():
    """random_page_cost 1.1 (PostgreSQL's own 4 assumes spinning disks), per connection: with
    4, a call's review assignments are read by scanning every call's."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        assert cursor.fetchone()[0] == "1.1"


def prepared_statements():
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements WHERE from_sql = false")
        return [statement for (statement,) in cursor.fetchall()]


@pytest.mark.django_db
def test_a_query_asked_again_and_again_is_planned_once_per_connection():
    """Parameters go to PostgreSQL apart from the SQL, and a query run a fifth time on a
    connection is prepared there: later runs skip planning (a plan read with its call,
    course, host and rules joins nine tables: planning took 1 ms, running it 0.1 ms)."""
    from applications.models import InvitationPlan

    marker = "Plan that nobody named this"
    assert not [sql for sql in prepared_statements() if marker in sql]
    for _ in range(6):
        assert not InvitationPlan.objects.filter(title_en=marker).exists()
    [prepared] = [sql for sql in prepared_statements() if "applications_invitationplan" in sql]
    assert "$1" in prepared  # the title was sent as a parameter, not written into the SQL
    assert marker not in prepared


def test_prepared_statements_can_be_turned_off_for_a_pooler():
    """Behind a pooler that shares a server connection between clients (PgBouncer in
    transaction mode), prepared statements must be off: DATABASE_PREPARED_STATEMENTS=false."""
    shown = "from django.conf import settings; print(settings.DATABASES['default']['OPTIONS'])"
    on = manage("shell", "-c", shown, DJANGO_DEBUG="true", DATABASE_PREPARED_STATEMENTS="true")
    off = manage("shell", "-c", shown, DJANGO_DEBUG="true", DATABASE_PREPARED_STATEMENTS="false")

    assert "'server_side_binding': True" in on.stdout
    assert "'prepare_threshold': 5" in on.stdout
    assert "server_side_binding" not in off.stdout
    assert "prepare_threshold" not in off.stdout
