"""Amounts of money as people read them: whole yen with the thousands grouped."""

from django.utils.formats import number_format


def yen(value):
    """¥1,234,000 — amounts are whole yen, never floats."""
    if value is None or value == "":
        return ""
    return "¥" + number_format(int(value), force_grouping=True)
