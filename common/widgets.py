"""Form widgets every app uses: a select fast enough for long lists (countries)."""

import unicodedata
from functools import lru_cache

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe


class LongSelect(forms.Select):
    """A select with hundreds of flat options (countries), rendered in one pass in Python and
    in the alphabetical order of the reader's language (`keep_order=True`: in the order given,
    e.g. the prefectures from Hokkaido to Okinawa).

    Django renders each option through a template: 250 countries in each of several invitee
    rows made that most of a page's time. The markup and attributes are Select's own. Model
    choices are listed once, at start-up, in English order; the labels are translated when
    shown, so they are sorted here (the empty choice first).
    """

    def __init__(self, attrs=None, choices=(), *, keep_order=False):
        super().__init__(attrs, choices)
        self.keep_order = keep_order

    def render(self, name, value, attrs=None, renderer=None):
        # The context of any widget: Select's own would build a dict for each option first.
        widget = forms.Widget.get_context(self, name, value, attrs)["widget"]
        chosen = set(widget["value"])
        # The labels as strings in the reader's language: the same choices give the same
        # options, which are sorted and escaped once per process and language.
        labels = tuple((code, str(label)) for code, label in self.choices)
        options = "".join(
            selected if option in chosen else plain
            for option, plain, selected in sorted_options(labels, self.keep_order)
        )
        return format_html(
            '<select name="{}"{}>{}</select>', name, flatatt(widget["attrs"]), mark_safe(options)
        )


@lru_cache(maxsize=64)
def sorted_options(choices, keep_order=False):
    """(value, option, option selected) of each (value, label) in `choices`, the empty choice
    first and the others alphabetical (sort_key) unless `keep_order`, as escaped HTML."""
    ordered = sorted(
        choices,
        key=lambda choice: (choice[0] != "", "" if keep_order else sort_key(choice[1])),
    )
    return tuple(
        (
            str(option),
            format_html('<option value="{}">{}</option>', option, label),
            format_html('<option value="{}" selected>{}</option>', option, label),
        )
        for option, label in ordered
    )


def sort_key(label):
    """Accents and voicing marks aside, case-insensitive: Åland with A, ヴ with ウ."""
    decomposed = unicodedata.normalize("NFKD", str(label))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
