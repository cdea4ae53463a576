"""gunicorn's settings (gunicorn.conf.py): read wherever gunicorn starts in the checkout, and
each worker freezes its start-up objects out of the garbage collector's full passes."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_gunicorn_started_in_the_checkout_uses_the_portals_worker_hook():
    shown = subprocess.run(
        [sys.executable, "-m", "gunicorn", "--print-config", "sakura.wsgi"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    settings = {
        name.strip(): value.strip()
        for name, value in (line.split(" = ", 1) for line in shown.splitlines() if " = " in line)
    }
    assert settings["config"] == "./gunicorn.conf.py"
    # gunicorn's own default would show as <PostWorkerInit.post_worker_init()>.
    assert settings["post_worker_init"] == "<post_worker_init()>"


def test_a_worker_freezes_its_start_up_objects_and_collects_young_ones_less_often():
    # In a process of its own: the hook changes the collector of the process it runs in.
    script = (
        "import gc, runpy, django, os\n"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'sakura.settings')\n"
        "django.setup()\n"
        "assert gc.get_freeze_count() == 0\n"
        "runpy.run_path('gunicorn.conf.py')['post_worker_init'](None)\n"
        "print(gc.get_freeze_count(), *gc.get_threshold())\n"
    )
    shown = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    frozen, young, middle, old = (int(n) for n in shown.split())
    assert frozen > 50_000  # Django and the apps, loaded
    assert (young, middle, old) == (10_000, 10, 10)  # Python's default: (700, 10, 10)
