"""The operator can find a report in the admin by its plan's reference."""

import pytest
from django.urls import reverse

from reports.domain.reporting import report_for
from tests.conftest import with_two_factor
from tests.factories import UserFactory

from .builders import completed_plan

pytestmark = pytest.mark.django_db


def test_report_admin_searches_and_opens_a_report(client):
    plan = completed_plan()
    report = report_for(plan)
    client.force_login(with_two_factor(UserFactory(is_staff=True, is_superuser=True)))
    changelist = client.get(
        reverse("admin:reports_implementationreport_changelist"), {"q": plan.reference}
    )
    assert changelist.status_code == 200
    assert plan.reference in changelist.content.decode()
    change = client.get(reverse("admin:reports_implementationreport_change", args=[report.pk]))
    assert change.status_code == 200
