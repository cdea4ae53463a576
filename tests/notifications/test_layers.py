"""The outbox sends for every app but imports none of the apps whose rules it reminds of:
each reminder lives in its app's tasks module and the beat schedule names it as a string."""

import ast
from pathlib import Path

from django.conf import settings

import notifications

APPS_ABOVE = {"applications", "reviews", "reports"}


def imported_modules(path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module


def test_the_outbox_imports_none_of_the_apps_it_sends_reminders_for():
    package = Path(notifications.__file__).parent
    found = {
        (str(path.relative_to(package)), module)
        for path in package.rglob("*.py")
        if "migrations" not in path.parts
        for module in imported_modules(path)
        if module.split(".")[0] in APPS_ABOVE
    }
    assert found == set()


def test_each_reminder_runs_from_the_app_whose_rule_it_reminds_of():
    tasks = {name: entry["task"] for name, entry in settings.CELERY_BEAT_SCHEDULE.items()}
    assert tasks["remind-drafts"] == "applications.tasks.remind_drafts"
    assert tasks["remind-reviewers"] == "reviews.tasks.remind_reviewers"
    assert tasks["remind-reports"] == "reports.tasks.remind_reports"


def test_every_task_the_beat_schedule_names_is_registered():
    from sakura.celery import app

    app.loader.import_default_modules()
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks
