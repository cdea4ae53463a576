"""Fixtures per role, a real Celery worker, and Chromium for browser tests."""

import functools
import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.core.cache import cache
from django.db import connection

from institutions.models import Membership

from . import databases
from .factories import PASSWORD, InstitutionFactory, MembershipFactory, UserFactory

ROOT = Path(__file__).resolve().parent.parent
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def totp_code(secret=TOTP_SECRET):
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def with_two_factor(user):
    TOTP.activate(user, TOTP_SECRET)
    return user


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """A test database of this run's own, so that two runs on one machine never collide."""
    from django.conf import settings

    test_settings = settings.DATABASES["default"].setdefault("TEST", {})
    test_settings["NAME"] = f"test_sakura_{os.getpid()}"
    # Made from the models (2 s instead of 12–19 s of migrating), every migration recorded as
    # applied (tests/databases.py); tests/sakura/test_migrations.py migrates one for real.
    test_settings["MIGRATE"] = False


@pytest.fixture(scope="session")
def django_db_setup(
    request, django_test_environment, django_db_blocker, django_db_modify_db_settings
):
    """pytest-django's set-up, except that an xdist worker gets a copy of the run's migrated
    template (tests/databases.py) instead of migrating a database of its own."""
    from django.test.utils import setup_databases, teardown_databases
    from pytest_django.fixtures import _get_databases_for_setup

    aliases, serialized_aliases = _get_databases_for_setup(request.session.items)

    def create():
        created = setup_databases(
            verbosity=0, interactive=False, aliases=aliases, serialized_aliases=serialized_aliases
        )
        databases.record_migrations_applied()
        return created

    with django_db_blocker.unblock():
        if "default" not in aliases:  # no selected test uses the database: none is made
            cleanup = list
        elif "PYTEST_XDIST_WORKER" in os.environ:
            name = f"test_sakura_{os.getpid()}"
            databases.clone_from_template(create, name)
            cleanup = functools.partial(databases.drop, name)
        else:
            cleanup = functools.partial(teardown_databases, create(), verbosity=0)
    yield
    with django_db_blocker.unblock():
        cleanup()


@pytest.fixture(scope="session", autouse=True)
def no_connection_left(django_db_setup, django_db_blocker):
    """At the end, end any session a thread or a worker left on the test database, so that
    it can be dropped (its name is per run: left behind, such databases pile up)."""
    yield
    if connection.settings_dict["NAME"] != f"test_sakura_{os.getpid()}":
        return  # no selected test used the database: none was made
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


def pytest_unconfigure(config):
    """The controller of an xdist run drops the template its workers cloned."""
    from pytest_django.plugin import blocking_manager_key

    if config.pluginmanager.has_plugin("dsession"):
        with config.stash[blocking_manager_key].unblock():
            databases.drop(databases.template_name())


def pytest_configure(config):
    """This run's own cache keys and media folder, so that two runs on one machine (or two
    xdist workers, sharing Redis db 1) never wipe each other's; subprocesses (the Celery
    worker) inherit both."""
    from django.conf import settings

    prefix = f"test-{os.getpid()}"
    databases.delete_instead_of_truncate()
    if not hasattr(config, "workerinput"):
        databases.name_template(os.getpid())
    os.environ["CACHE_KEY_PREFIX"] = prefix
    settings.CACHES["default"]["KEY_PREFIX"] = prefix
    # Files too: each run (and each xdist worker) writes under a folder of its own.
    settings.MEDIA_ROOT = Path(settings.MEDIA_ROOT) / prefix
    os.environ["MEDIA_ROOT"] = str(settings.MEDIA_ROOT)


def clear_cache():
    """Empty this run's (this xdist worker's) part of the cache. Never `cache.clear()` in a
    test: on Redis it flushes the whole database, the other worker's cached sessions with it,
    and a query count measured there at that moment finds one query more (the session read
    from PostgreSQL)."""
    if hasattr(cache, "_cache") and hasattr(cache._cache, "get_client"):
        client = cache._cache.get_client(write=True)
        keys = list(client.scan_iter(match=f"{cache.key_prefix}:*", count=1000))
        if keys:
            client.delete(*keys)
    else:
        cache.clear()


@pytest.fixture(autouse=True)
def empty_cache():
    """Sign-in rate limits and used TOTP codes live in the cache (Redis db 1): start clean,
    removing this run's keys only. The rules this process kept (programs.domain.rules) are
    forgotten too: a test's rows are gone after it, rolled back without a save to forget them."""
    from programs.domain.rules import kept_rules

    clear_cache()
    kept_rules.forget()
    yield


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def institution(db):
    return InstitutionFactory(name_en="Sakura University of Science", name_ja="さくら科学大学")


@pytest.fixture
def coordinator(institution):
    """An administrator of `institution`: may invite colleagues and, later, submit plans."""
    return MembershipFactory(
        institution=institution,
        role=Membership.Role.ADMINISTRATOR,
        user__full_name="田中 一郎",
        user__email="coordinator@example.org",
    ).user


@pytest.fixture
def colleague(institution):
    """A plain member of the same institution."""
    return MembershipFactory(institution=institution, role=Membership.Role.MEMBER).user


@pytest.fixture
def other_coordinator(db):
    """An administrator of another institution."""
    return MembershipFactory(
        institution__name_en="Kirishima KOSEN", role=Membership.Role.ADMINISTRATOR
    ).user


@pytest.fixture
def staff_user(db):
    """A program officer who has set up two-factor."""
    return with_two_factor(UserFactory(is_staff=True, full_name="Program Officer"))


@pytest.fixture
def reviewer(db):
    return with_two_factor(UserFactory(is_reviewer=True, full_name="Reviewer"))


@pytest.fixture(scope="session")
def session_worker_queue(django_db_setup, django_db_blocker):
    """A real Celery worker on Redis (solo pool) on a queue of its own, started the first time
    a test of this process asks for it and stopped at the end: starting one costs 4–15 s, so
    the tests that need only a plain worker share it."""
    with django_db_blocker.unblock():
        queue = f"test-{uuid.uuid4().hex[:8]}"
        worker = start_worker(queue)
    yield queue
    worker.terminate()
    try:
        worker.wait(timeout=20)
    except subprocess.TimeoutExpired:
        worker.kill()


@pytest.fixture
def celery_worker_queue(session_worker_queue, transactional_db, settings):
    """The shared real worker's queue, for one test: tasks sent by the test go through Redis
    (not eagerly) while it runs, and the worker's own default queue is this one, so tasks it
    sends on reach it too. Afterwards the test waits until the worker has done whatever the
    test left in the queue, so that none of it runs in the next test."""
    from common.tasks import broker_back
    from sakura.celery import app
    from sakura.tasks import ping

    broker_back()
    settings.CELERY_TASK_ALWAYS_EAGER = False
    eager, default_queue = app.conf.task_always_eager, app.conf.task_default_queue
    app.conf.task_always_eager = False
    app.conf.task_default_queue = session_worker_queue
    try:
        yield session_worker_queue
        # The solo pool runs the queue in order: once this answers, what came before is done.
        ping.apply_async(queue=session_worker_queue).get(timeout=60)
    finally:
        app.conf.task_always_eager, app.conf.task_default_queue = eager, default_queue


def _database_url_of_test_database():
    settings = connection.settings_dict
    user = settings["USER"] or "postgres"
    host = settings["HOST"] or "127.0.0.1"
    port = settings["PORT"] or "5432"
    return f"postgres://{user}@{host}:{port}/{settings['NAME']}"


# Browser tests: pytest-playwright's `page`, launched on Debian's Chromium.
@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get("CHROMIUM", "/usr/bin/chromium"),
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "en-GB", "timezone_id": "Asia/Tokyo"}


# Faults: a Redis of the test's own, stopped and started again (never the shared one).
class RedisServer:
    """A redis-server process on a free port, without persistence: `stop()` kills it (an
    outage: what was queued in it is lost, as after a crash), `start()` brings it back."""

    def __init__(self):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.process = None
        self.on_start = lambda: None

    def url(self, db=0):
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self):
        import redis

        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url())
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                client.ping()
                self.on_start()
                return
            except redis.ConnectionError:
                time.sleep(0.02)
        pytest.fail("The test's own redis-server did not start.")

    def stop(self):
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None

    def queued_tasks(self, queue="celery"):
        """The tasks waiting in `queue`, as (task name, args) in the order they will run."""
        import base64
        import json

        import redis

        messages = redis.Redis.from_url(self.url()).lrange(queue, 0, -1)
        tasks = []
        for raw in reversed(messages):  # kombu pushes on the left and pops on the right
            message = json.loads(raw)
            args, _kwargs, _embed = json.loads(base64.b64decode(message["body"]))
            tasks.append((message["headers"]["task"], args))
        return tasks


@pytest.fixture
def own_redis(settings):
    """The broker and the cache on a redis-server of this test's own, started; the test stops
    and starts it. Tasks are published for real (not run eagerly)."""
    from common.tasks import broker_back
    from sakura.celery import app

    server = RedisServer()
    # Once Redis is back, publish at once (without the few seconds' pause that follows a
    # failure, common.tasks.BROKER_RETRY_AFTER), so that the tests need not wait for it.
    server.on_start = broker_back
    server.start()
    before = app.conf.broker_url, app.conf.task_always_eager
    app.conf.broker_url, app.conf.task_always_eager = server.url(0), False
    app._pool = None
    app.amqp._producer_pool = None
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CACHES = {
        "default": {**settings.CACHES["default"], "LOCATION": server.url(1), "KEY_PREFIX": "own"}
    }
    broker_back()
    try:
        yield server
    finally:
        app.conf.broker_url, app.conf.task_always_eager = before
        app._pool = None
        app.amqp._producer_pool = None
        broker_back()
        server.stop()


def start_worker(queue, **environment):
    """A real Celery worker (solo pool) on `queue` of the test database, with `environment`
    added to this process's; returns the process once it answers a ping."""
    from sakura.celery import app

    env = {
        **os.environ,
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "DATABASE_URL": _database_url_of_test_database(),
        **environment,
    }
    name = f"{queue}-{uuid.uuid4().hex[:6]}"
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "sakura", "worker", "--pool=solo"]
        + ["--without-gossip", "--without-mingle", f"--queues={queue}"]
        + [f"--hostname={name}@%h", "--loglevel=WARNING"],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if app.control.ping(destination=[f"{name}@{socket.gethostname()}"], timeout=0.5):
            return worker
        if worker.poll() is not None:
            pytest.fail("The Celery worker exited at start.")
    worker.kill()
    pytest.fail("The Celery worker did not answer within 60 s.")


@pytest.fixture(autouse=True)
def default_language_after_each_test():
    """A test that switches to Japanese leaves the next one in the default language."""
    from django.conf import settings
    from django.utils import translation

    yield
    translation.activate(settings.LANGUAGE_CODE)
