"""The verification address is part of what a letter shows.

A letter's QR code and printed address lead to the portal's public verification page at
`SITE_URL`. When the portal moves (a new `SITE_URL`), a letter issued before would send a
consulate to the old address: the address is in the data the letter's fingerprint is taken of,
so the next issue gives a new version at the new address and keeps the old one, replaced. And
the portal refuses to start in production (DEBUG off) without `SITE_URL`.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from letters.domain.letters import issue_host_decision_letter, issue_letter, letter_data
from letters.models import Letter
from reviews.models import Decision

from .conftest import pdf_text

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
OLD_SITE = "https://old-portal.example.org"
NEW_SITE = "https://portal.example.org"


def printed(letter):
    return pdf_text(letter).replace("\n", "")


def test_letter_data_holds_the_verification_site(participant, settings):
    settings.SITE_URL = NEW_SITE + "/"
    assert letter_data(participant)["verification"] == {"site": NEW_SITE}


def test_letter_shows_the_address_of_its_day(participant, settings):
    settings.SITE_URL = OLD_SITE
    letter = issue_letter(participant)
    assert OLD_SITE + reverse("letter_verify", args=[letter.reference]) in printed(letter)


def test_new_site_url_issues_a_new_version_at_the_new_address(participant, settings):
    settings.SITE_URL = OLD_SITE
    old = issue_letter(participant)

    settings.SITE_URL = NEW_SITE
    new = issue_letter(participant)

    assert new.pk != old.pk and new.version == 2
    assert NEW_SITE + reverse("letter_verify", args=[new.reference]) in printed(new)
    assert OLD_SITE not in printed(new)
    old.refresh_from_db()
    assert (old.status, old.replaced_by) == (Letter.Status.REPLACED, new)
    # The same address again: the same letter, nothing re-issued.
    assert issue_letter(participant) == new


def test_new_site_url_issues_a_new_host_decision_letter(plan, staff_user, settings):
    Decision.objects.create(
        plan=plan,
        outcome=Decision.Outcome.APPROVED,
        approved_amount_jpy=1_110_000,
        decided_by=staff_user,
        released_at=timezone.now(),
    )
    settings.SITE_URL = OLD_SITE
    old = issue_host_decision_letter(plan)
    settings.SITE_URL = NEW_SITE
    new = issue_host_decision_letter(plan)

    assert new.version == 2
    assert NEW_SITE + reverse("letter_verify", args=[new.reference]) in printed(new)
    old.refresh_from_db()
    assert old.status == Letter.Status.REPLACED


def run_check(**environment):
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("SITE_URL", "DJANGO_TESTING")},
        "DJANGO_SECRET_KEY": "x7#kq9!vT2mZ@pL4wR8sN1bF6hJ3dG5cY0eA-uQ_oI2tK9zXnM",
        **environment,
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )


def test_production_refuses_to_start_without_site_url():
    result = run_check(DJANGO_DEBUG="false")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SITE_URL must be set when DJANGO_DEBUG is false" in result.stderr


def test_production_starts_with_site_url():
    result = run_check(DJANGO_DEBUG="false", SITE_URL=NEW_SITE)
    assert result.returncode == 0, result.stdout + result.stderr


def test_local_run_needs_no_site_url():
    """`make run`: DEBUG on by default, the local address."""
    result = run_check(DJANGO_DEBUG="true")
    assert result.returncode == 0, result.stdout + result.stderr
