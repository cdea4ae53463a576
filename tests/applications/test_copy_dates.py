"""Copying a plan carries its stay dates; given a new arrival date, the whole copy moves by
the days between the two arrivals: arrival, departure, every itinerary day and, for a plan
made of activities (course D), every activity's days and online moments. A date the field
cannot take (year 0001 or 9999, text) is refused at the field."""

import html
from datetime import UTC, date, datetime

import pytest
from django.urls import reverse

from applications.domain.editing import NoDatesToShift, create_plan
from applications.models import InvitationPlan
from programs.models import Call
from tests.factories import CallFactory, CourseDPlanFactory, CourseFactory, PlanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def open_call():
    call = CallFactory(fiscal_year=2027, round=2)
    call.courses.add(CourseFactory(program=call.program, code="A"))
    return call


@pytest.fixture
def source(institution, coordinator):
    """Arrives 2027-01-10, leaves 2027-01-16; itinerary on the 10th, 11th and 12th."""
    return PlanFactory(
        host=institution, lead=coordinator, call=CallFactory(status=Call.Status.DECIDED)
    )


def days(plan):
    return list(plan.itinerary.values_list("day", "title_en"))


def copy(source, call, arrival_on=None):
    made = create_plan(
        call=call,
        course=call.courses.get(),
        host=source.host,
        by=source.lead,
        copy_of=source,
        arrival_on=arrival_on,
    )
    return InvitationPlan.objects.get(pk=made.pk)


def test_copy_without_a_new_date_keeps_the_stay_dates(source, open_call):
    copied = copy(source, open_call)
    assert (copied.arrival_on, copied.departure_on) == (date(2027, 1, 10), date(2027, 1, 16))
    assert days(copied) == [
        (date(2027, 1, 10), "Welcome lecture"),
        (date(2027, 1, 11), "Lab work"),
        (date(2027, 1, 12), "Site visit"),
    ]


def test_copy_with_a_new_arrival_moves_every_day_by_the_same_days(source, open_call):
    # 2027-01-10 → 2028-02-27: 413 days later, across the end of February of a leap year.
    copied = copy(source, open_call, arrival_on=date(2028, 2, 27))
    assert (copied.arrival_on, copied.departure_on) == (date(2028, 2, 27), date(2028, 3, 4))
    assert days(copied) == [
        (date(2028, 2, 27), "Welcome lecture"),
        (date(2028, 2, 28), "Lab work"),
        (date(2028, 2, 29), "Site visit"),
    ]
    # The source keeps its own dates.
    assert days(source)[0] == (date(2027, 1, 10), "Welcome lecture")


def test_copy_moved_earlier(source, open_call):
    copied = copy(source, open_call, arrival_on=date(2026, 12, 30))
    assert (copied.arrival_on, copied.departure_on) == (date(2026, 12, 30), date(2027, 1, 5))
    assert [day for day, _title in days(copied)] == [
        date(2026, 12, 30),
        date(2026, 12, 31),
        date(2027, 1, 1),
    ]


def test_copy_of_a_plan_without_dates_cannot_be_moved(institution, coordinator, open_call):
    dateless = PlanFactory(
        host=institution, lead=coordinator, complete=False, arrival_on=None, departure_on=None
    )
    with pytest.raises(NoDatesToShift):
        copy(dateless, open_call, arrival_on=date(2027, 5, 1))
    assert not InvitationPlan.objects.filter(call=open_call).exists()


def test_copy_of_a_plan_of_activities_moves_each_activity(institution):
    source = CourseDPlanFactory(host=institution)
    # Arrives 2027-01-12; the copy arrives 2027-04-12: 90 days later.
    made = create_plan(
        call=source.call,
        course=source.course,
        host=institution,
        by=source.lead,
        copy_of=source,
        arrival_on=date(2027, 4, 12),
    )
    copied = InvitationPlan.objects.get(pk=made.pk)
    assert (copied.arrival_on, copied.departure_on) == (date(2027, 4, 12), date(2027, 5, 30))
    assert list(copied.activities.values_list("title_en", "starts_on", "ends_on")) == [
        ("Water lab training in Japan", date(2027, 4, 12), date(2027, 4, 21)),
        ("Online seminar 1", date(2027, 4, 28), date(2027, 4, 28)),
        ("Field study at IIT Example", date(2027, 5, 9), date(2027, 5, 18)),
        ("Online seminar 2", date(2027, 5, 30), date(2027, 5, 30)),
    ]
    # 17:00 in Tokyo is 08:00 UTC.
    online = copied.activities.get(title_en="Online seminar 1")
    assert (online.starts_at, online.ends_at) == (
        datetime(2027, 4, 28, 8, tzinfo=UTC),
        datetime(2027, 4, 28, 10, tzinfo=UTC),
    )
    assert [day for day, _title in days(copied)] == [
        date(2027, 4, 12),
        date(2027, 4, 13),
        date(2027, 4, 14),
    ]


def new_plan_data(call, source, arrival_on=""):
    return {
        "call_course": f"{call.pk}-{call.courses.get().pk}",
        "host": source.host.pk,
        "copy_of": source.pk,
        "arrival_on": arrival_on,
    }


def test_new_plan_page_explains_the_new_arrival_date(client, source, open_call):
    client.force_login(source.lead)
    page = html.unescape(client.get(reverse("plan_create")).content.decode())
    assert "New arrival date of the copy" in page
    assert "Left empty, the copy keeps the earlier plan's dates." in page


def test_new_plan_page_copies_with_a_date_shift(client, source, open_call):
    client.force_login(source.lead)
    response = client.post(reverse("plan_create"), new_plan_data(open_call, source, "2027-02-01"))
    assert response.status_code == 302
    copied = InvitationPlan.objects.get(call=open_call)
    assert (copied.arrival_on, copied.departure_on) == (date(2027, 2, 1), date(2027, 2, 7))
    assert [day for day, _title in days(copied)] == [
        date(2027, 2, 1),
        date(2027, 2, 2),
        date(2027, 2, 3),
    ]


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("0001-01-10", "Enter a date between the years 2000 and 2100."),
        ("9999-12-31", "Enter a date between the years 2000 and 2100."),
        ("next Tuesday", "Enter a valid date."),
    ],
)
def test_new_plan_refuses_a_bad_arrival_date_at_the_field(client, source, open_call, typed, error):
    client.force_login(source.lead)
    response = client.post(reverse("plan_create"), new_plan_data(open_call, source, typed))
    assert response.status_code == 200
    assert response.context["form"].errors["arrival_on"] == [error]
    assert not InvitationPlan.objects.filter(call=open_call).exists()


def test_new_plan_refuses_a_new_arrival_date_without_a_plan_to_copy(client, source, open_call):
    client.force_login(source.lead)
    data = {**new_plan_data(open_call, source, "2027-02-01"), "copy_of": ""}
    response = client.post(reverse("plan_create"), data)
    assert response.context["form"].errors["arrival_on"] == [
        "A new arrival date moves a copy: choose the plan to copy or no date."
    ]
    assert not InvitationPlan.objects.filter(call=open_call).exists()
