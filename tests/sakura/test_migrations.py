"""The suite's databases are made from the models (tests/databases.py); here PostgreSQL is
migrated for real, as a deployment does, and must end with the same schema: tables, columns,
indexes and constraints. `makemigrations --check` (in `make test`) cannot see a migration
edited by hand or an index it never made."""

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest
from django.db import connection

from tests import databases

ROOT = Path(__file__).resolve().parents[2]

SCHEMA = {
    "columns": """
        SELECT table_name, column_name, data_type, is_nullable, is_identity,
               character_maximum_length, numeric_precision, numeric_scale, column_default
        FROM information_schema.columns WHERE table_schema = 'public'""",
    "indexes": "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'",
    "constraints": """
        SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)
        FROM pg_constraint WHERE connamespace = 'public'::regnamespace""",
}

# Django's own: django.contrib.auth's migrations give Group.permissions' table a bigint key
# (the project's DEFAULT_AUTO_FIELD), its models an integer one (auth's AutoField).
EXPECTED_DIFFERENCES = {
    "columns": (
        [("auth_group_permissions", "id", "bigint", "NO", "YES", "None", "64", "0", "None")],
        [("auth_group_permissions", "id", "integer", "NO", "YES", "None", "32", "0", "None")],
    ),
    "indexes": ([], []),
    "constraints": ([], []),
}


def schema(cursor):
    found = {}
    for part, query in SCHEMA.items():
        cursor.execute(query)
        found[part] = sorted(tuple(map(str, row)) for row in cursor.fetchall())
    return found


@pytest.mark.django_db
def test_migrating_postgresql_gives_the_schema_of_the_models():
    name = f"test_sakura_migrated_{os.getpid()}"
    url = urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{name}").geturl()
    with databases.server_cursor() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        migrated = subprocess.run(
            [sys.executable, "manage.py", "migrate", "--no-input", "-v0"],
            cwd=ROOT,
            env={**os.environ, "DATABASE_URL": url},
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert migrated.returncode == 0, migrated.stderr[-3000:]
        with psycopg.connect(url) as other, other.cursor() as cursor:
            by_migrations = schema(cursor)
    finally:
        with databases.server_cursor() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    with connection.cursor() as cursor:
        by_models = schema(cursor)

    for part in SCHEMA:
        only_migrated = sorted(set(by_migrations[part]) - set(by_models[part]))
        only_models = sorted(set(by_models[part]) - set(by_migrations[part]))
        assert (only_migrated, only_models) == EXPECTED_DIFFERENCES[part], part
