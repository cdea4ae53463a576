from datetime import UTC, datetime, timedelta

from django.utils import translation

from common.dates import jst, time_left
from common.yen import yen


def test_jst_names_the_zone_and_converts_from_utc():
    assert jst(datetime(2026, 2, 22, 8, 0, tzinfo=UTC)) == "2026-02-22 17:00 JST"
    assert jst(datetime(2026, 2, 22, 15, 30, tzinfo=UTC)) == "2026-02-23 00:30 JST"


def test_yen_groups_thousands_without_decimals():
    assert yen(3600000) == "¥3,600,000"
    assert yen(0) == "¥0"
    assert yen(None) == ""
    assert yen(-25000) == "¥-25,000"
    with translation.override("ja"):  # Japanese groups thousands with a comma too
        assert yen("1234567") == "¥1,234,567"


def test_time_left_counts_down_and_says_closed():
    now = datetime(2026, 2, 20, 8, 0, tzinfo=UTC)
    assert time_left(now + timedelta(days=2, hours=3), now) == "2 days 3 h left"
    assert time_left(now + timedelta(minutes=5), now) == "5 minutes left"
    assert time_left(now, now) == "closed"
