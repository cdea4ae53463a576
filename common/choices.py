"""The label of one value of a choices enum, found without translating every label; and the
countries as choices, listed once per language.

Django's generic `get_FOO_display()` hashes the whole list of choices on each call, which
translates every label: in a table of 400 plans that is most of the page's time. A model
whose table pages show a code's label defines `get_FOO_display()` with `label_of()`.
"""

from functools import lru_cache

from django.db.models import BLANK_CHOICE_DASH
from django.utils.choices import BaseChoiceIterator
from django.utils.translation import get_language


def label_of(choices, value):
    """The label of `value` in the enum `choices`, translated now (a str, as Django's version
    gives); the value itself when it is not one of them. Kept per language: the assignment
    preview asks for some 6,000 labels of a handful of values (14 → ~1 µs each)."""
    try:
        return _label(choices, value, get_language())
    except (ValueError, TypeError):  # not one of them, or not even hashable
        return value


@lru_cache(maxsize=1024)
def _label(choices, value, language):
    return str(choices(value).label)


def country_choices():
    """[(code, name)] of every country, in the active language's order: for a filter's
    ChoiceField (choices may be a callable). Iterating django-countries' `countries` translates
    and sorts all of them each time; the staff lists' filter forms did so on every request."""
    return _country_choices(get_language())


@lru_cache(maxsize=8)
def _country_choices(language):
    from django_countries import countries

    return tuple((code, str(name)) for code, name in countries)


class ListedOnce(BaseChoiceIterator):
    """Choices as `choices_in(language)` gives them ready for the active language (a tuple of
    (value, label) kept per language), for a form field: Django normalizes a callable's
    choices anew each time it iterates them, and a field iterates them to validate and again
    to render."""

    def __init__(self, choices_in):
        self.choices_in = choices_in

    def __iter__(self):
        return iter(self.choices_in(get_language()))


@lru_cache(maxsize=8)
def _countries_with_blank(language):
    return (*BLANK_CHOICE_DASH, *_country_choices(language))


# The empty choice, then `country_choices()`: for a model form's country field
# (`form.fields["country"].choices = COUNTRIES_WITH_BLANK`). django-countries' own form field
# lists the countries anew, translated and sorted, each time a form is made, validated or
# shown: ~0.5 ms each time, several times in each row of planned invitees.
COUNTRIES_WITH_BLANK = ListedOnce(_countries_with_blank)
