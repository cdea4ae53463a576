"""Scores with two decimals, as Django's floatformat:2 writes them, without its locale lookups."""

import pytest

from common.numbers import score


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (2.345, "2.35"),  # half up, though the float is 2.34499…
        (2.675, "2.68"),
        (3, "3.00"),
        (4.999, "5.00"),
        (1 / 3, "0.33"),
        (-1.125, "-1.13"),
        (-0.001, "0.00"),  # no negative zero
        (None, "—"),
    ],
)
def test_score_has_two_decimals_rounded_half_up(value, shown):
    assert score(value) == shown
