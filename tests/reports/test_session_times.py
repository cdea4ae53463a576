"""An online session's times on the report pages: in Japan time and in the partner's, the
partner's clock changing with daylight saving time where it does (Egypt, since 2023)."""

from datetime import date

from django.utils import translation

from applications.models import Activity
from reports.templatetags.report_tags import in_both_zones
from tests.factories import japan_moment


def session(zone):
    return Activity(kind=Activity.Kind.ONLINE, title_en="Seminar", time_zone=zone)


def test_india_is_three_and_a_half_hours_behind_japan():
    moment = japan_moment(date(2027, 1, 28), 17)
    assert in_both_zones(moment, session("Asia/Kolkata")) == (
        "2027-01-28 17:00 JST (2027-01-28 13:30 IST where the partner is, Asia/Kolkata)"
    )


def test_egypt_is_seven_hours_behind_in_winter_and_six_in_summer():
    winter = japan_moment(date(2027, 3, 1), 17)  # EET, UTC+2
    summer = japan_moment(date(2027, 7, 15), 17)  # EEST, UTC+3 (last Friday of April on)
    cairo = session("Africa/Cairo")
    assert "(2027-03-01 10:00 EET where the partner is" in in_both_zones(winter, cairo)
    assert "(2027-07-15 11:00 EEST where the partner is" in in_both_zones(summer, cairo)


def test_a_session_without_a_known_zone_is_shown_in_japan_time_only():
    moment = japan_moment(date(2027, 1, 28), 17)
    assert in_both_zones(moment, session("")) == "2027-01-28 17:00 JST"
    assert in_both_zones(moment, session("Mars/Olympus")) == "2027-01-28 17:00 JST"


def test_session_times_in_japanese():
    with translation.override("ja"):
        shown = in_both_zones(japan_moment(date(2027, 1, 28), 17), session("Asia/Kolkata"))
    assert shown == "2027-01-28 17:00 JST（相手側の現地時間 2027-01-28 13:30 IST、Asia/Kolkata）"
