"""Course D's report pages: the interim report and the attendance of online sessions — who
may open them, what they show, and bad input kept at its field."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.models import Activity
from reports.domain.interim import interim_report_for
from reports.models import InterimReport, ReportEvent
from tests.participants.builders import registered

from .builders import activity_of, completed_plan, course_d_first_session_over

pytestmark = pytest.mark.django_db

ONLINE, INVITATION = Activity.Kind.ONLINE, Activity.Kind.INVITATION


@pytest.fixture
def plan(institution, coordinator):
    return course_d_first_session_over(host=institution, lead=coordinator)


def attendance_url(plan, session):
    return reverse("activity_attendance", args=[plan.pk, session.pk])


def test_another_institutions_coordinator_gets_404_on_interim_and_attendance_pages(
    client, plan, other_coordinator
):
    client.force_login(other_coordinator)
    session = activity_of(plan, ONLINE)
    for name in ["interim_report_detail", "interim_report_edit"]:
        assert client.get(reverse(name, args=[plan.pk])).status_code == 404
        assert client.post(reverse(name, args=[plan.pk]), {"save": ""}).status_code == 404
    assert client.get(attendance_url(plan, session)).status_code == 404
    response = client.post(
        attendance_url(plan, session), {"attendance_japan": 1, "attendance_partner": 1}
    )
    assert response.status_code == 404
    session.refresh_from_db()
    assert session.attendance_japan is None


def test_interim_pages_are_404_for_a_plan_not_made_of_activities(client, coordinator, institution):
    course_a = completed_plan(host=institution, lead=coordinator)
    client.force_login(coordinator)
    assert client.get(reverse("interim_report_detail", args=[course_a.pk])).status_code == 404


def test_attendance_page_shows_the_session_in_japan_time_and_the_partners(
    client, plan, coordinator
):
    session = activity_of(plan, ONLINE)
    day = session.starts_at.astimezone(timezone.get_current_timezone()).date()
    client.force_login(coordinator)
    page = client.get(attendance_url(plan, session)).content.decode()
    # 17:00 in Japan (UTC+9) is 13:30 in India (UTC+5:30).
    assert f"{day:%Y-%m-%d} 17:00 JST ({day:%Y-%m-%d} 13:30 IST where the partner is" in page


def test_attendance_refused_before_the_session_ends(client, plan, coordinator):
    later = activity_of(plan, ONLINE, 1)  # 30 days ahead
    client.force_login(coordinator)
    page = client.get(attendance_url(plan, later)).content.decode()
    assert "The attendance can be entered once the session has ended." in page
    response = client.post(
        attendance_url(plan, later), {"attendance_japan": 10, "attendance_partner": 20}
    )
    assert response.status_code == 400
    assert "Attendance can be entered once the session has ended" in response.content.decode()
    later.refresh_from_db()
    assert later.attendance_japan is None


def test_attendance_entered_after_the_session_with_its_history(client, plan, coordinator):
    session = activity_of(plan, ONLINE)
    client.force_login(coordinator)
    response = client.post(
        attendance_url(plan, session), {"attendance_japan": 12, "attendance_partner": 18}
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.attendance_japan, session.attendance_partner) == (12, 18)
    assert plan.report_events.get().kind == ReportEvent.Kind.ATTENDANCE


def test_staff_enter_attendance_for_the_host(client, plan, staff_user):
    session = activity_of(plan, ONLINE)
    client.force_login(staff_user)
    response = client.post(
        attendance_url(plan, session), {"attendance_japan": 3, "attendance_partner": 4}
    )
    assert response.status_code == 302
    assert plan.report_events.get().by == staff_user


@pytest.mark.parametrize(
    "japan, partner",
    [("-1", "10001"), ("abc", "1\x002"), ("2147483648", ""), ("=1+1", "@SUM(A1)")],
)
def test_attendance_bad_input_errors_at_both_fields_kept_nothing_saved(
    client, plan, coordinator, japan, partner
):
    session = activity_of(plan, ONLINE)
    client.force_login(coordinator)
    response = client.post(
        attendance_url(plan, session), {"attendance_japan": japan, "attendance_partner": partner}
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert set(form.errors) == {"attendance_japan", "attendance_partner"}
    session.refresh_from_db()
    assert session.attendance_japan is None and not plan.report_events.exists()


def test_interim_report_written_per_activity_and_submitted(client, plan, coordinator):
    invitation = activity_of(plan, INVITATION)
    came = registered(plan, family_name="SHARMA", activity=invitation, nationality="IN")
    Activity.objects.filter(pk=activity_of(plan, ONLINE).pk).update(
        attendance_japan=12, attendance_partner=18
    )
    client.force_login(coordinator)
    url = reverse("interim_report_edit", args=[plan.pk])
    page = client.get(url).content.decode()
    assert "Water lab training in Japan" in page and "Online seminar 1" in page
    assert "Field study at IIT Example" not in page  # the dispatch is still to come
    assert "¥600,000" in page and "¥540,000" in page  # 120,000 × 5 and 12,000 × 45
    report = InterimReport.objects.get(plan=plan)
    invitation_part = report.activity_reports.get(activity=invitation)
    session_part = report.activity_reports.exclude(activity=invitation).get()

    data = {
        "report_version": report.version,
        "follow_up": "",
        f"activity-{invitation.pk}-done": "Two weeks of lab work.",
        f"activity-{invitation.pk}-attended": [came.pk],
        f"activity-{session_part.activity_id}-done": "A seminar on river models.",
    }
    for expense in report.expenses.all():
        data[f"actual-{expense.field_name}"] = expense.approved_jpy
    data[f"actual-{invitation.pk}-airfare"] = 650_000  # over the approved 600,000
    response = client.post(url, {**data, "submit": ""})
    assert response.status_code == 400
    assert "International airfare of “Water lab training in Japan”" in response.content.decode()

    data["report_version"] += 1
    data["follow_up"] = "Fares from Delhi rose in January."
    response = client.post(url, {**data, "submit": ""})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.submitted_at is not None
    assert list(invitation_part.attended.all()) == [came]
    assert report.expenses.get(activity=invitation, category="airfare").actual_jpy == 650_000


def test_interim_report_bad_input_errors_at_the_fields_input_kept(client, plan, coordinator):
    client.force_login(coordinator)
    url = reverse("interim_report_edit", args=[plan.pk])
    client.get(url)
    report = InterimReport.objects.get(plan=plan)
    invitation = activity_of(plan, INVITATION)
    response = client.post(
        url,
        {
            "report_version": report.version,
            "follow_up": "x" * 10_001,
            f"activity-{invitation.pk}-done": "Lab work\x00",
            f"actual-{invitation.pk}-airfare": "2147483648",
            "save": "",
        },
    )
    assert response.status_code == 400
    assert "follow_up" in response.context["form"].errors
    assert f"{invitation.pk}-airfare" in response.context["expenses_form"].errors
    part_form = response.context["activity_forms"][0]
    assert "done" in part_form.errors
    assert "2147483648" in response.content.decode()  # the input is kept


def test_interim_report_not_open_before_the_first_activity_ends(client, coordinator, institution):
    from .builders import course_d_in_progress, shift_activities

    plan = course_d_in_progress(host=institution, lead=coordinator)
    invitation = activity_of(plan, INVITATION)
    shift_activities(plan, (timezone.localdate() - invitation.ends_on).days)  # ends today
    client.force_login(coordinator)
    response = client.get(reverse("interim_report_edit", args=[plan.pk]))
    assert response.status_code == 302
    assert not InterimReport.objects.filter(plan=plan).exists()
    shift_activities(plan, -1)  # ended yesterday
    assert client.get(reverse("interim_report_edit", args=[plan.pk])).status_code == 200


def test_staff_accept_the_interim_report(client, plan, coordinator, staff_user):
    report = interim_report_for(plan)
    InterimReport.objects.filter(pk=report.pk).update(submitted_at=timezone.now())
    client.force_login(staff_user)
    detail = client.get(reverse("interim_report_detail", args=[plan.pk])).content.decode()
    assert "Accept the interim report" in detail
    client.post(reverse("interim_report_review", args=[plan.pk]), {"accept": ""})
    report.refresh_from_db()
    assert report.accepted_at is not None
    client.force_login(coordinator)
    response = client.post(reverse("interim_report_review", args=[plan.pk]), {"accept": ""})
    assert response.status_code == 404


def test_interim_page_is_due_n_days_after_the_first_activity(client, plan, coordinator):
    invitation = activity_of(plan, INVITATION)
    client.force_login(coordinator)
    page = client.get(reverse("interim_report_detail", args=[plan.pk])).content.decode()
    due = invitation.ends_on + timedelta(days=30)
    assert f"Interim report due on {due:%Y-%m-%d} (Japan date)" in page


def test_final_course_d_report_is_written_per_activity_and_moves_the_plan(
    client, coordinator, institution
):
    from applications.models import PlanState
    from reports.models import ImplementationReport

    from .builders import completed, course_d_in_progress

    plan = completed(course_d_in_progress(host=institution, lead=coordinator))
    Activity.objects.filter(plan=plan, kind=ONLINE).update(
        attendance_japan=10, attendance_partner=20
    )
    client.force_login(coordinator)
    url = reverse("report_edit", args=[plan.pk])
    page = client.get(url).content.decode()
    assert "Actual arrival in Japan" not in page  # reported per activity instead
    for amount in ["¥600,000", "¥540,000", "¥390,000", "¥216,000"]:
        assert amount in page
    report = ImplementationReport.objects.get(plan=plan)
    data = {
        "report_version": report.version,
        "activities": "A year of exchange.",
        "joint_papers": 0,
        "agreements": 1,
        "later_study_in_japan": 0,
        "follow_up": "",
        "submit": "",
    }
    for part in report.activity_reports.all():
        data[f"activity-{part.activity_id}-done"] = "Done as planned."
    for expense in report.expenses.all():
        data[f"actual-{expense.field_name}"] = expense.approved_jpy
    response = client.post(url, data)
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.state == PlanState.REPORTED
    detail = client.get(reverse("report_detail", args=[plan.pk])).content.decode()
    assert "Field study at IIT Example" in detail and "Attended: 10 from Japan" in detail
