"""Calls open and close to the second in Japan time; coordinators see the open ones."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from programs.models import Call
from programs.queries import open_calls
from tests.factories import CallFactory, CourseFactory

pytestmark = pytest.mark.django_db
JAPAN = ZoneInfo("Asia/Tokyo")


def test_call_is_open_until_the_second_it_closes():
    closes = datetime(2026, 2, 22, 17, 0, 0, tzinfo=JAPAN)
    call = CallFactory(opens_at=closes - timedelta(days=30), closes_at=closes)
    assert call.is_open(closes - timedelta(seconds=1))
    assert not call.is_open(closes)
    assert list(open_calls(closes - timedelta(seconds=1))) == [call]
    assert list(open_calls(closes)) == []


def test_draft_and_future_calls_are_not_open():
    CallFactory(status=Call.Status.DRAFT)
    CallFactory(opens_at=timezone.now() + timedelta(hours=1))
    assert list(open_calls()) == []


def test_coordinator_dashboard_lists_open_calls_with_rules_and_deadline(client, coordinator):
    course = CourseFactory(code="A", max_days=7, max_invitees=8, per_plan_cap_jpy=3_600_000)
    closes = timezone.now().astimezone(JAPAN).replace(microsecond=0) + timedelta(days=3)
    open_call = CallFactory(round=3, closes_at=closes, courses=[course])
    CallFactory(round=2, closes_at=timezone.now() - timedelta(days=1))
    client.force_login(coordinator)
    page = client.get(reverse("coordinator_dashboard")).content.decode()
    assert str(open_call) in page
    assert closes.strftime("%Y-%m-%d %H:%M JST") in page
    assert "up to 7 days" in page
    assert "¥3,600,000 per plan" in page
    assert "2 days" in page or "3 days" in page  # the countdown
    assert "round 2" not in page


def test_draft_call_is_hidden_from_coordinators(client, coordinator, staff_user):
    call = CallFactory(status=Call.Status.DRAFT)
    client.force_login(coordinator)
    assert client.get(reverse("call_detail", args=[call.pk])).status_code == 404
    client.force_login(staff_user)
    assert client.get(reverse("call_detail", args=[call.pk])).status_code == 200


def test_staff_pages_are_refused_to_coordinators(client, coordinator):
    client.force_login(coordinator)
    for name in ("staff_dashboard", "staff_call_list", "staff_call_create", "staff_course_list"):
        assert client.get(reverse(name)).status_code == 403, name


def test_staff_creates_call_in_japan_time(client, staff_user):
    course = CourseFactory()
    client.force_login(staff_user)
    response = client.post(
        reverse("staff_call_create"),
        {
            "program": course.program.pk,
            "fiscal_year": 2026,
            "round": 1,
            "courses": [course.pk],
            "opens_at": "2026-01-05T10:00",
            "closes_at": "2026-02-22T17:00",
            "exchange_starts_on": "2026-05-01",
            "exchange_ends_on": "2027-03-15",
            "budget_jpy": 450000000,
            "status": "published",
        },
    )
    assert response.status_code == 302
    call = Call.objects.get()
    assert call.closes_at == datetime(2026, 2, 22, 8, 0, tzinfo=ZoneInfo("UTC"))


def test_staff_call_form_shows_every_error_and_keeps_input(client, staff_user):
    course = CourseFactory()
    client.force_login(staff_user)
    response = client.post(
        reverse("staff_call_create"),
        {
            "program": course.program.pk,
            "fiscal_year": 2026,
            "round": "",
            "courses": [course.pk],
            "opens_at": "2026-03-01T10:00",
            "closes_at": "2026-02-22T17:00",
            "exchange_starts_on": "2026-05-01",
            "exchange_ends_on": "2026-04-01",
            "budget_jpy": 450000000,
            "status": "published",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) >= {"round", "closes_at", "exchange_ends_on"}
    assert 'value="2026-03-01T10:00"' in response.content.decode()
    assert not Call.objects.exists()


def test_course_of_another_program_is_refused_in_a_call(client, staff_user):
    from tests.factories import ProgramFactory

    nexus_course = CourseFactory(program=ProgramFactory(code="nexus"))
    ssp = ProgramFactory(code="ssp")
    client.force_login(staff_user)
    response = client.post(
        reverse("staff_call_create"),
        {
            "program": ssp.pk,
            "fiscal_year": 2026,
            "round": 1,
            "courses": [nexus_course.pk],
            "opens_at": "2026-01-05T10:00",
            "closes_at": "2026-02-22T17:00",
            "exchange_starts_on": "2026-05-01",
            "exchange_ends_on": "2027-03-15",
            "budget_jpy": 1,
            "status": "draft",
        },
    )
    assert response.context["form"].errors["courses"]


def test_course_minimum_cannot_exceed_maximum(client, staff_user):
    course = CourseFactory()
    client.force_login(staff_user)
    response = client.post(
        reverse("staff_course_update", args=[course.pk]),
        {
            "program": course.program.pk,
            "code": "A",
            "name_ja": "体験",
            "name_en": "Experience",
            "max_days": 7,
            "min_invitees": 9,
            "max_invitees": 8,
            "eligible_categories": ["graduate", "nonsense"],
        },
    )
    errors = response.context["form"].errors
    assert "eligible_categories" in errors
    assert "min_invitees" in errors or "__all__" in errors


def test_staff_call_list_runs_the_same_queries_for_one_or_many_calls(
    client, staff_user, django_assert_num_queries
):
    course = CourseFactory()
    CallFactory(courses=[course])
    client.force_login(staff_user)
    client.get(reverse("staff_call_list"))  # warm the session and two-factor lookups
    with django_assert_num_queries(6) as one:
        client.get(reverse("staff_call_list"))
    CallFactory.create_batch(5, courses=[course])
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(reverse("staff_call_list"))
    assert len(response.context["calls"]) == 6


def test_coordinator_dashboard_queries_do_not_grow_with_calls(
    client, coordinator, django_assert_num_queries
):
    course = CourseFactory()
    CallFactory(courses=[course])
    client.force_login(coordinator)
    client.get(reverse("coordinator_dashboard"))
    # The calls' courses' rule sets are read once for all the calls on the page.
    # Two more for who took part in their plans (participants; online sessions).
    with django_assert_num_queries(9) as one:
        client.get(reverse("coordinator_dashboard"))
    CallFactory.create_batch(4, courses=[course])
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(reverse("coordinator_dashboard"))
