"""Course-D activities as people read them: an online session in Japan time and in the
partner's, the plan page, the reviewer's page, a submitted version and what changed.

The expected times are worked out by hand: Japan is UTC+9 all year; India UTC+5:30 all year;
Egypt is UTC+2 in winter and, since 2023 again, UTC+3 (EEST) from the last Friday of April
to the last Thursday of October; Morocco's tz abbreviation is its offset ("+01").
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from applications.domain.activities import country_zone, session_times
from applications.domain.states import submit_plan
from applications.models import Activity
from tests.factories import CourseDPlanFactory
from tests.reviews.view_helpers import accepted, reviewer_with_two_factor

JAPAN = ZoneInfo("Asia/Tokyo")


def japan(day, hour):
    return datetime(day.year, day.month, day.day, hour, tzinfo=JAPAN)


def test_a_session_in_india_is_shown_at_the_fixed_offset_of_india():
    start, end = japan(date(2027, 1, 28), 17), japan(date(2027, 1, 28), 19)
    assert session_times(start, end, "Asia/Kolkata") == "17:00–19:00 JST (13:30–15:30 IST)"


def test_a_session_in_egypt_follows_egypts_summer_time():
    summer = session_times(
        japan(date(2026, 9, 10), 17), japan(date(2026, 9, 10), 19), "Africa/Cairo"
    )
    winter = session_times(
        japan(date(2027, 1, 28), 17), japan(date(2027, 1, 28), 19), "Africa/Cairo"
    )
    assert summer == "17:00–19:00 JST (11:00–13:00 EEST)"  # UTC+3
    assert winter == "17:00–19:00 JST (10:00–12:00 EET)"  # UTC+2


def test_a_zone_without_an_abbreviation_is_shown_by_its_offset():
    start, end = japan(date(2027, 1, 28), 17), japan(date(2027, 1, 28), 19)
    assert session_times(start, end, "Africa/Casablanca") == (
        "17:00–19:00 JST (09:00–11:00 UTC+01:00)"
    )


def test_a_session_on_another_day_where_the_partner_is_names_that_day():
    start, end = japan(date(2027, 1, 28), 8), japan(date(2027, 1, 28), 9)
    assert session_times(start, end, "Africa/Abidjan") == (
        "08:00–09:00 JST (2027-01-27 23:00–00:00 GMT)"
    )


def test_a_country_with_one_zone_gives_it_and_one_with_several_gives_none():
    assert country_zone("IN") == "Asia/Kolkata"
    assert country_zone("EG") == "Africa/Cairo"
    assert country_zone("KE") == "Africa/Nairobi"
    assert country_zone("CD") == ""  # Kinshasa and Lubumbashi


@pytest.fixture
def plan(db, institution, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return CourseDPlanFactory(host=institution)


def test_the_plan_page_shows_the_activities_to_coordinator_and_staff(client, plan, staff_user):
    for user in (plan.lead, staff_user):
        client.force_login(user)
        page = client.get(reverse("plan_detail", args=[plan.pk])).content.decode()
        assert "Field study at IIT Example" in page
        assert "2027-02-08 – 2027-02-17" in page
        assert "2027-03-01 17:00–19:00 JST (10:00–12:00 EET)" in page
        assert "¥606,000" in page  # the dispatch's lines: ¥390,000 + ¥216,000


def test_a_reviewer_reads_the_activities_as_submitted(client, plan, staff_user):
    submit_plan(plan, by=plan.lead)
    reviewer = reviewer_with_two_factor()
    assignment = accepted(plan, reviewer, staff_user)
    client.force_login(reviewer)
    page = client.get(reverse("review_assignment", args=[assignment.pk])).content.decode()
    assert (
        "[Online session] Online seminar 1 / オンラインセミナー1: 2027-01-28 17:00–19:00 JST "
        "(13:30–15:30 IST); 30 people; IIT Example (India); ¥0"
    ) in page
    assert (
        "[Invitation to Japan] Water lab training in Japan / 日本での水工学実習: "
        "2027-01-12 – 2027-01-21; 5 people; IIT Example (India); ¥1,140,000"
    ) in page


def test_a_version_lists_the_activities_and_what_changed_names_the_changed_one(client, plan):
    submit_plan(plan, by=plan.lead)
    client.force_login(plan.lead)
    page = client.get(reverse("plan_version", args=[plan.pk, 1])).content.decode()
    assert "[Dispatch abroad] Field study at IIT Example" in page
    # Revised: the dispatch takes 4 people instead of 3.
    plan.state = "revision_requested"
    plan.save(update_fields=["state"])
    Activity.objects.filter(plan=plan, kind="dispatch").update(people=4)
    submit_plan(plan, by=plan.lead)
    page = client.get(reverse("plan_diff", args=[plan.pk])).content.decode()
    assert (
        "Field study at IIT Example / IIT Exampleでの現地研修: 2027-02-08 – 2027-02-17; 4 people"
        in page
    )
    assert (
        "Field study at IIT Example / IIT Exampleでの現地研修: 2027-02-08 – 2027-02-17; 3 people"
        in page
    )
    assert "Water lab training in Japan" not in page.split("<h1", 1)[1]
