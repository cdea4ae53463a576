import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from accounts.models import User
from institutions.models import Institution, Membership, PartnerInstitution
from programs.models import Call, Course
from programs.queries import open_calls

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_gives_every_role(capsys):
    call_command("seed_demo")
    counts = [
        m.objects.count() for m in (User, Institution, Membership, PartnerInstitution, Course, Call)
    ]
    call_command("seed_demo")
    assert [
        m.objects.count() for m in (User, Institution, Membership, PartnerInstitution, Course, Call)
    ] == counts
    assert Institution.objects.count() == 3
    assert open_calls().exists()
    assert Call.objects.filter(status=Call.Status.DECIDED).exists()
    assert User.objects.filter(is_staff=True).exists()
    assert User.objects.filter(is_reviewer=True).exists()
    assert "sakura-demo-2026" in capsys.readouterr().out


def test_check_deploy_has_no_warnings_with_production_settings():
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_DEBUG": "false",
        "DJANGO_TESTING": "false",
        "DJANGO_SECRET_KEY": "x7#kq9!vT2mZ@pL4wR8sN1bF6hJ3dG5cY0eA-uQ_oI2tK9zXnM",
        "DJANGO_ALLOWED_HOSTS": "portal.example.org",
        "DJANGO_SECURE_SSL_REDIRECT": "true",
        "DJANGO_SECURE_COOKIES": "true",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
