"""One migrated template database per run, cloned for each xdist worker.

Migrating a database costs about 13 s of CPU; with `-n 2` every worker used to pay it. Now the
first worker to need a database migrates `test_sakura_template_<run>` (under a PostgreSQL
advisory lock, so the others wait for it), and every worker gets a copy made by
`CREATE DATABASE … TEMPLATE`, which takes a fraction of a second. The controller drops the
template at the end. Without xdist nothing changes: pytest-django migrates as before.
"""

import contextlib
import os
import zlib

from django.db import connection, connections

TEMPLATE_VARIABLE = "SAKURA_TEST_TEMPLATE"


def template_name():
    """The run's template database, named by the controller and inherited by its workers."""
    return os.environ[TEMPLATE_VARIABLE]


def name_template(run):
    os.environ.setdefault(TEMPLATE_VARIABLE, f"test_sakura_template_{run}")


@contextlib.contextmanager
def server_cursor():
    """A cursor on the "postgres" database of the test settings' server (autocommit)."""
    with connection._nodb_cursor() as cursor:
        yield cursor


@contextlib.contextmanager
def advisory_lock(name):
    key = zlib.crc32(name.encode())
    with server_cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [key])
        try:
            yield cursor
        finally:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [key])


def exists(cursor, name):
    cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
    return cursor.fetchone() is not None


def clone_from_template(create_template, database):
    """Make `database` a copy of the run's template, creating the template first (with
    `create_template`, which migrates into the test settings' TEST NAME) if no worker has."""
    from django.conf import settings

    template = template_name()
    test_settings = connection.settings_dict.setdefault("TEST", {})
    with advisory_lock(template) as cursor:
        if not exists(cursor, template):
            test_settings["NAME"] = template
            create_template()
            connections.close_all()
        cursor.execute(f'CREATE DATABASE "{database}" TEMPLATE "{template}"')
    test_settings["NAME"] = database
    for settings_dict in (connection.settings_dict, settings.DATABASES["default"]):
        settings_dict["NAME"] = database
    connections.close_all()


def drop(name):
    connections.close_all()
    with server_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
