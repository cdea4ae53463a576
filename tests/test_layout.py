"""Imports go down the floors of the house (STYLE.md, "Apps by domain, on floors").

The ground floor (`common/`) imports no app; every app imports only its own modules and the
apps on the floors below it; the project package (`sakura/`) is the roof. A domain module never
imports a template tag: the tag wraps a function of the ground floor or of the app that owns
the codes. The modules are read with `ast`, not imported, so a lazy import inside a function
counts as much as one at the top.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Lowest first. A module may import its own app and the apps listed before it.
FLOORS = [
    "common",  # Japan time, yen, country names, widgets, the permission mixin, enqueue_on_commit
    "notifications",  # the outbox: it sends for every app and knows none of them
    "accounts",
    "programs",
    "institutions",
    "applications",
    "reviews",
    "participants",
    "letters",
    "nominations",  # the agency's direct invitations: bodies abroad nominate, staff select
    "reports",
    "screening",  # export control: the End User List, matches, the host's pre-check
    "insights",
    "demo",  # seed_demo, seed_scale: they use every app
    "sakura",  # the roof: settings, urls, the Celery app, dashboards, the template tags
]

# Upward imports that are known and must go; nothing may be added here.
# Pages and processes of a lower app that still read a higher one; each should be turned
# round (the higher app calls down or passes a function in).
KNOWN_UPWARD = {
    # A corrected participant's letters are issued again (registry.py is being rewritten).
    ("participants/domain/registry.py", "letters"),
    # Anonymising a participant deletes their letters' files and contents.
    ("participants/domain/retention.py", "letters"),
    # The participant list and the portal show each person's current letters.
    ("participants/views/coordinator.py", "letters"),
    ("participants/queries.py", "letters"),
}


def app_of(dotted):
    """The project app a dotted module name belongs to, or None for anything else."""
    top = dotted.split(".")[0]
    return top if top in FLOORS else None


def imported_modules(source, path=""):
    """Every absolute module name the source imports, at the top or inside a function."""
    names = []
    for node in ast.walk(ast.parse(source, filename=str(path))):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module)
            names.extend(f"{node.module}.{alias.name}" for alias in node.names)
    return names


TEMPLATE_TAG = "a domain module imports a template tag module"
UPWARD = "an app imports an app on a higher floor"


def problems_of(path, source):
    """What is wrong with one module's imports: [(path, imported module, what)].

    `path` is relative to the project root, with forward slashes ("reviews/domain/x.py").
    """
    own = app_of(path.split("/")[0])
    if own is None:
        return []
    in_domain = "domain" in path.split("/")[:-1]
    found = []
    for name in imported_modules(source, path):
        if in_domain and "templatetags" in name.split("."):
            found.append((path, name, TEMPLATE_TAG))
        other = app_of(name)
        if other is not None and FLOORS.index(other) > FLOORS.index(own):
            found.append((path, name, UPWARD))
    # "from a.b import c" is read as a.b and as a.b.c; name the problem once, at a.b.
    return [
        (path, name, what)
        for path, name, what in found
        if (path, name.rpartition(".")[0], what) not in found
    ]


def project_modules():
    """(path relative to the root, source) of every module of every app, migrations aside."""
    for app in FLOORS:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if "/migrations/" not in relative:
                yield relative, path.read_text(encoding="utf-8")


def all_problems():
    """Every problem in the project, less the upward imports on the lists above."""
    listed = KNOWN_UPWARD
    return sorted(
        {
            (path, name, what)
            for relative, source in project_modules()
            for path, name, what in problems_of(relative, source)
            if not (what == UPWARD and (path, app_of(name)) in listed)
        }
    )


def test_every_app_is_on_a_floor():
    apps = {
        path.parent.name for path in ROOT.glob("*/apps.py") if not path.parent.name.startswith(".")
    }
    assert apps <= set(FLOORS), f"put {sorted(apps - set(FLOORS))} on a floor in FLOORS"


def test_imports_go_down_the_floors():
    assert all_problems() == []


def test_the_ground_floor_imports_no_app():
    imported = {
        app_of(name)
        for relative, source in project_modules()
        if relative.startswith("common/")
        for name in imported_modules(source)
    }
    assert imported - {None, "common"} == set()


def test_no_domain_module_imports_a_template_tag():
    found = [
        (relative, name)
        for relative, source in project_modules()
        if "/domain/" in relative
        for name in imported_modules(source)
        if "templatetags" in name.split(".")
    ]
    assert found == []


def test_accounts_import_no_participant_nor_any_higher_app():
    imported = {
        app_of(name)
        for relative, source in project_modules()
        if relative.startswith("accounts/")
        for name in imported_modules(source)
    }
    assert imported <= {None, "common", "notifications", "accounts"}


OUTBOX_MUST_NOT_KNOW = {"applications", "reviews", "participants", "letters", "reports", "insights"}


def test_the_outbox_knows_no_app_it_sends_for():
    found = {
        (relative, app_of(name))
        for relative, source in project_modules()
        if relative.startswith("notifications/")
        for name in imported_modules(source)
        if app_of(name) in OUTBOX_MUST_NOT_KNOW
    }
    assert found == set()


# The checker itself, on made-up modules: it must be able to fail.


@pytest.mark.parametrize(
    "path, source",
    [
        ("reviews/domain/decisions.py", "from sakura.templatetags.sakura import jst\n"),
        ("letters/domain/x.py", "def f():\n    from sakura.templatetags import sakura\n"),
        ("common/dates.py", "from programs.models import Call\n"),
        ("common/widgets.py", "import accounts.models\n"),
        ("accounts/rules.py", "def roles():\n    from participants.rules import is_participant\n"),
        ("notifications/services.py", "from applications.models import InvitationPlan\n"),
        ("programs/models.py", "from sakura import views\n"),
    ],
)
def test_checker_finds_an_upward_import(path, source):
    assert problems_of(path, source) != []


@pytest.mark.parametrize(
    "path, source",
    [
        ("reviews/domain/decisions.py", "from common.dates import jst\n"),
        ("sakura/templatetags/sakura.py", "from programs import labels\n"),
        ("common/dates.py", "from django.utils import timezone\nfrom .yen import yen\n"),
        ("accounts/forms.py", "from notifications.services import queue_message\n"),
        ("applications/domain/states.py", "from ..models import PlanState\n"),
        ("tests/anything.py", "from sakura.templatetags.sakura import jst\n"),
    ],
)
def test_checker_lets_a_downward_import_pass(path, source):
    assert problems_of(path, source) == []
