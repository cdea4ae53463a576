"""What a refused form typed, next to what is saved now: field by field, row by row.

When a save is refused because a colleague saved first (optimistic locking), the page shows
a small table of the fields where the two differ, so nothing has to be compared by eye. Works
on any model form (and the rows of an inline formset); knows no app.
"""

from dataclasses import dataclass
from datetime import date, datetime, time

from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

EMPTY = "—"


@dataclass(frozen=True)
class Difference:
    label: str
    saved: str  # what is saved now (the colleague's version)
    typed: str  # what the refused form typed


def differences(form, saved, *, label_prefix=""):
    """[Difference] for each field of the valid `form` whose typed value is not what `saved`
    (the same model object, loaded again) holds now. Fields not on the model are skipped."""
    found = []
    for name, field in form.fields.items():
        if name not in form.cleaned_data:
            continue
        try:
            model_field = saved._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        now = getattr(saved, name)
        if model_field.many_to_many:
            now = list(now.all())
        typed = form.cleaned_data[name]
        if _comparable(now) != _comparable(typed):
            label = f"{label_prefix}{field.label}" if label_prefix else str(field.label)
            found.append(Difference(label, shown(field, now), shown(field, typed)))
    return found


ROW = gettext_lazy("Row %(number)s")


def row_differences(formset, row_label=ROW):
    """[Difference] of an inline formset's rows against the rows saved now: a row changed
    (field by field), removed or added by someone else. Rows typed anew are the person's own
    and are not listed."""
    saved_now = formset.model._default_manager.filter(**{formset.fk.name: formset.instance})
    saved_rows = {row.pk: row for row in saved_now}
    found = []
    seen = set()
    for number, row_form in enumerate(formset.forms, start=1):
        pk = row_form.instance.pk
        if pk is None:
            continue
        seen.add(pk)
        label = row_label % {"number": number}
        saved = saved_rows.get(pk)
        if saved is None:
            found.append(Difference(str(label), _("removed"), _("kept")))
        elif not (formset.can_delete and row_form.cleaned_data.get("DELETE")):
            found.extend(differences(row_form, saved, label_prefix=f"{label}: "))
    for pk, saved in saved_rows.items():
        if pk not in seen:
            found.append(Difference(_("A row added since"), _summary(formset, saved), EMPTY))
    return found


def _summary(formset, row):
    """A saved row as its form's fields read it: "Airfare, 150000, 5"."""
    values = []
    for name, field in formset.empty_form.fields.items():
        if name in (formset.fk.name, row._meta.pk.name):
            continue  # the plan it belongs to, its key: the same for every row
        try:
            row._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        value = getattr(row, name)
        if value not in (None, ""):
            values.append(shown(field, value))
    return ", ".join(values)


def _comparable(value):
    """The value as compared: empty is empty whether None, "" or no item; objects by their
    key; several in any order."""
    if isinstance(value, list | tuple | set | models.QuerySet):
        return frozenset(_comparable(item) for item in value) or None
    if value is None or value == "":
        return None
    if isinstance(value, models.Model):
        return value.pk
    return value


def shown(field, value):
    """The value as the person reads it in the form (a choice's label, not its code)."""
    if isinstance(value, models.QuerySet):
        value = list(value)
    if value is None or value == "" or value == []:
        return EMPTY
    if isinstance(value, list | tuple | set):
        return ", ".join(sorted(shown(field, item) for item in value)) or EMPTY
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
        return str(dict(field.choices).get(value, value))
    return str(value)
