"""The label of one value of a choices enum, found without translating every label.

Django's generic `get_FOO_display()` hashes the whole list of choices on each call, which
translates every label: in a table of 400 plans that is most of the page's time. A model
whose table pages show a code's label defines `get_FOO_display()` with `label_of()`.
"""


def label_of(choices, value):
    """The label of `value` in the enum `choices`, translated now (a str, as Django's version
    gives); the value itself when it is not one of them."""
    try:
        return str(choices(value).label)
    except ValueError:
        return value
