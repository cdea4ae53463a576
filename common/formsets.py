"""Rows of a formset added and removed in place, without saving.

A table of rows (invitees, budget lines, review criteria) has an "Add a row" button and a
"Remove" button per row. Both are ordinary submit buttons of the page's form: without
JavaScript the page comes back with the typed input kept and a row more (or a row less),
and nothing is saved until "Save". With htmx the same POST is sent in the background and only
the table (a template partial) is swapped. The view asks `changed_rows()` first: when it
gives data back, the view renders the formset bound to it instead of validating and saving.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.formsets import TOTAL_FORM_COUNT
from django.utils.functional import cached_property

ADD = "add_row"  # value: the formset's prefix
REMOVE = "remove_row"  # value: the row's prefix, e.g. "budget-3"
MAX_ROWS = 200  # far above any plan; a tampered count cannot make the page huge


def changed_rows(data, prefix):
    """The POSTed `data` with a row added or removed, or None when the person saved."""
    if data is None:
        return None
    if data.get(ADD) == prefix:
        changed = data.copy()
        changed[f"{prefix}-{TOTAL_FORM_COUNT}"] = str(min(_total(data, prefix) + 1, MAX_ROWS))
        return changed
    row = data.get(REMOVE, "")
    index = row.removeprefix(f"{prefix}-")
    if row.startswith(f"{prefix}-") and index.isdigit() and int(index) < _total(data, prefix):
        changed = data.copy()
        changed[f"{row}-DELETE"] = "on"
        return changed
    return None


def _total(data, prefix):
    try:
        return max(0, min(int(data.get(f"{prefix}-{TOTAL_FORM_COUNT}", 0)), MAX_ROWS))
    except ValueError:
        return 0


def added_row(data, prefix):
    """The prefix of the row just added (to focus it), or ""."""
    if data is not None and data.get(ADD) == prefix:
        return f"{prefix}-{_total(data, prefix) - 1}"
    return ""


class RowsReadOnce:
    """For a model formset: each row's hidden id is checked against the rows the formset read
    for itself (one query for them all, none when its instance keeps them), where Django's id
    field asks the database once per row. An id that is not one of them (another plan's row, a
    row deleted meanwhile) is refused at its row, as Django refuses a row that no longer
    exists."""

    @cached_property
    def rows_by_pk(self):
        return {row.pk: row for row in self.get_queryset()}

    def get_queryset(self):
        """An inline formset's rows as its instance keeps them already (read for the page's
        checks: prefetch_related or `keep_as_prefetched`), else read."""
        relation = self.fk.remote_field.cache_name if hasattr(self, "fk") else None
        kept = getattr(self.instance, "_prefetched_objects_cache", {}).get(relation)
        return super().get_queryset() if kept is None else kept

    def add_fields(self, form, index):
        super().add_fields(form, index)
        name = self.model._meta.pk.name
        django_field = form.fields[name]
        form.fields[name] = RowIdField(
            lambda: self.rows_by_pk,
            django_field.queryset,
            initial=django_field.initial,
            required=False,
            widget=django_field.widget,
        )


class RowIdField(forms.ModelChoiceField):
    """A row's hidden id, one of `rows()` ({pk: row})."""

    def __init__(self, rows, queryset, **kwargs):
        self.rows = rows
        super().__init__(queryset, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            key = self.queryset.model._meta.pk.to_python(value)
        except ValidationError:
            key = None
        row = self.rows().get(key)
        if row is None:
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return row
