"""Scores as people read them: two decimals, rounded half up."""

from decimal import ROUND_HALF_UP, Decimal

HUNDREDTHS = Decimal("0.01")


def score(value, empty="—"):
    """2.35 — a mean score or a gap between scores, rounded half up as Django's floatformat:2
    would (2.345 → 2.35); `empty` when there is none.

    Both languages of the portal write decimals with a point (Django's en and ja formats), so
    no locale is looked up: floatformat does so on every call, three times in each row of a
    ranking of 450 plans."""
    if value is None or value == "":
        return empty
    rounded = Decimal(repr(float(value))).quantize(HUNDREDTHS, rounding=ROUND_HALF_UP)
    return str(abs(rounded) if rounded.is_zero() else rounded)  # never "-0.00"
