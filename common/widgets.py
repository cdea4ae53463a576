"""Form widgets every app uses: a select fast enough for long lists (countries)."""

import unicodedata

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe


class LongSelect(forms.Select):
    """A select with hundreds of flat options (countries), rendered in one pass in Python and
    in the alphabetical order of the reader's language.

    Django renders each option through a template: 250 countries in each of several invitee
    rows made that most of a page's time. The markup and attributes are Select's own. Model
    choices are listed once, at start-up, in English order; the labels are translated when
    shown, so they are sorted here (the empty choice first).
    """

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        chosen = set(widget["value"])
        choices = sorted(self.choices, key=lambda choice: (choice[0] != "", sort_key(choice[1])))
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (option, mark_safe(" selected") if str(option) in chosen else "", label)
                for option, label in choices
            ),
        )
        return format_html(
            '<select name="{}"{}>{}</select>', name, flatatt(widget["attrs"]), options
        )


def sort_key(label):
    """Accents and voicing marks aside, case-insensitive: Åland with A, ヴ with ウ."""
    decomposed = unicodedata.normalize("NFKD", str(label))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
