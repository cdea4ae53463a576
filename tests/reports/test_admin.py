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


def test_interim_report_and_report_history_admins_open(client, institution, coordinator):
    from datetime import date

    from applications.models import Activity
    from reports.domain.attendance import enter_attendance
    from reports.domain.interim import interim_report_for
    from tests.factories import japan_moment

    from .builders import activity_of, course_d_in_progress

    plan = course_d_in_progress(host=institution, lead=coordinator)
    interim = interim_report_for(plan, today=date(2027, 1, 29))
    session = activity_of(plan, Activity.Kind.ONLINE)
    enter_attendance(
        session, by=coordinator, japan=1, partner=2, now=japan_moment(date(2027, 1, 28), 20)
    )
    client.force_login(with_two_factor(UserFactory(is_staff=True, is_superuser=True)))
    for name, obj in [
        ("interimreport", interim),
        ("reportevent", plan.report_events.get()),
    ]:
        changelist = client.get(reverse(f"admin:reports_{name}_changelist"), {"q": plan.reference})
        assert changelist.status_code == 200 and plan.reference in changelist.content.decode()
        assert client.get(reverse(f"admin:reports_{name}_change", args=[obj.pk])).status_code == 200
