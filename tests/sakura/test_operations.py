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
