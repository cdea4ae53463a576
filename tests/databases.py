"""One template database per run, cloned for each xdist worker.

Creating the test database costs about 2 s of CPU from the models (migrating it cost 12–19 s);
with `-n 2` every worker would pay it. The first worker to need a database creates
`test_sakura_template_<run>` (under a PostgreSQL advisory lock, so the others wait for it),
and every worker gets a copy made by `CREATE DATABASE … TEMPLATE`, which takes a fraction of
a second. The controller drops the template at the end. Without xdist pytest-django creates
the one database, from the models too.
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


def record_migrations_applied():
    """Record every migration as applied in the test database, which was made from the models
    (TEST MIGRATE False), as `migrate --fake` would: copies of it (the bench's databases in
    tests/bench) then migrate as a migrated database does, doing nothing. A squashed
    migration is recorded as Django records it, by the migrations it replaces."""
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.recorder import MigrationRecorder

    recorder = MigrationRecorder(connection)
    recorder.ensure_schema()
    names = set()
    for migration in MigrationLoader(connection).graph.nodes.values():
        names.update(migration.replaces or [(migration.app_label, migration.name)])
    recorder.Migration.objects.bulk_create(
        [recorder.Migration(app=app, name=name) for app, name in sorted(names)]
    )


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


# Rows that post_migrate makes again after every flush: kept, so that it finds them there.
KEPT_BY_FLUSH = {"django_content_type", "auth_permission", "django_site"}


def delete_instead_of_truncate():
    """Make flushing the test database (after each transactional test) delete the rows rather
    than TRUNCATE the tables, and keep the content types, permissions and site.

    PostgreSQL's TRUNCATE gives each of the ~80 tables new files: 0.45 s per flush, and
    post_migrate then made the content types and permissions again, another 0.45 s. Deleting
    the few rows a test made takes about 15 ms (foreign keys are checked at commit, when every
    row is gone), and post_migrate finds its rows in place in about 0.1 s. Flushes that reset
    sequences or cascade (never asked for here) keep Django's TRUNCATE."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    truncate = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or allow_cascade:
            return truncate(
                self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
            )
        deleted = [table for table in tables if table not in KEPT_BY_FLUSH]
        if not deleted:
            return []
        return [
            "SET CONSTRAINTS ALL DEFERRED",
            *(f"DELETE FROM {self.quote_name(table)}" for table in deleted),
        ]

    DatabaseOperations.sql_flush = sql_flush
