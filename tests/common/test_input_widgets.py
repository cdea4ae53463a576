"""The inputs made in Python are Django's own markup (its input.html and attrs.html, rendered
by Jinja2): each value and attribute escaped, True attributes bare, False ones left out."""

import pytest
from django import forms
from django.forms.renderers import Jinja2
from django.utils.safestring import mark_safe

from common.forms import FormRenderer

TRICKY = "<b>\"Tom\" & 'Jerry'</b> =1+1 東京"

WIDGETS = [
    forms.TextInput(attrs={"maxlength": 200, "required": True, "disabled": False}),
    forms.NumberInput(attrs={"min": 0, "step": 1, "inputmode": "numeric"}),
    forms.EmailInput(attrs={"aria-describedby": "id_email_helptext"}),
    forms.URLInput(),
    forms.PasswordInput(render_value=True),
    forms.HiddenInput(),
    forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    forms.DateTimeInput(),
    forms.CheckboxInput(),
    forms.FileInput(),
]


@pytest.mark.parametrize("widget", WIDGETS, ids=lambda widget: type(widget).__name__)
@pytest.mark.parametrize("value", [None, "", 0, 2**40, TRICKY, mark_safe("<i>kept</i>")])
def test_an_input_is_djangos_markup(widget, value):
    if isinstance(widget, forms.CheckboxInput):
        value = value not in (None, "", 0)
    attrs = {"id": "id_x", "class": TRICKY}
    ours = widget.render("field_<x>", value, attrs, renderer=FormRenderer())
    djangos = widget.render("field_<x>", value, attrs, renderer=Jinja2())
    assert ours == djangos
    assert ours.startswith("<input ")


def test_inputs_are_made_without_a_template(monkeypatch):
    monkeypatch.setattr(FormRenderer, "get_template", lambda self, name: pytest.fail(name))
    html = forms.NumberInput(attrs={"min": 0}).render("count", 5, renderer=FormRenderer())
    assert html == '<input type="number" name="count" value="5" min="0">'
