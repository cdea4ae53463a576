"""Amounts of money as people read them: whole yen with the thousands grouped."""


def yen(value):
    """¥1,234,000 — amounts are whole yen, never floats.

    Both languages of the portal group thousands with a comma (Django's en and ja formats), so
    Python's own grouping does it: Django's locale-aware number_format looks the separators up
    again on every call, which a table of 450 plans felt."""
    if value is None or value == "":
        return ""
    return f"¥{int(value):,}"
