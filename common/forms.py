"""One way to render forms: an error summary on top, then each field with label, help, errors."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting
from django.template import engines
from django.utils.translation import gettext as _
from markupsafe import escape


class FormRenderer(TemplatesSetting):
    """Our form template through the project's engine (pages include it too); each field and
    Django's own templates (widgets, error lists, management forms) through Jinja2, in which
    Django ships the same markup: a page of forms renders several hundred of them, several
    times faster there."""

    form_template_name = "includes/form.html"
    field_template_name = "includes/field.html"

    def get_template(self, template_name):
        if template_name.startswith("django/forms/") or template_name == self.field_template_name:
            return engines["jinja2"].get_template(template_name)
        return super().get_template(template_name)

    def render(self, template_name, context, request=None):
        if template_name in INPUT_TEMPLATES:
            return input_html(context["widget"])
        return super().render(template_name, context, request)


# Django's widget templates that are its input.html and nothing else: the inputs a page has
# most of (a budget row has five), made in Python, without a template's context each.
INPUT_TEMPLATES = {
    f"django/forms/widgets/{name}.html"
    for name in (
        *("input", "text", "number", "email", "url", "tel", "search", "password", "hidden"),
        *("date", "datetime", "time", "checkbox", "color", "file"),
    )
}


def input_html(widget):
    """Django's input.html and attrs.html in Python, escaped as Jinja2 escapes: the same
    markup."""
    value = "" if widget["value"] is None else f' value="{escape(widget["value"])}"'
    attrs = "".join(
        f" {escape(name)}" if attribute is True else f' {escape(name)}="{escape(attribute)}"'
        for name, attribute in widget["attrs"].items()
        if attribute is not False
    )
    return f'<input type="{escape(widget["type"])}" name="{escape(widget["name"])}"{value}{attrs}>'


def offer(field, objects):
    """Let a model choice field offer `objects`, read already, in the order given: rendering
    it reads nothing more (the rows of a formset share one read). What is chosen is still
    validated against the field's queryset, which must hold the same objects."""
    iterator = field.iterator(field)
    choices = [iterator.choice(obj) for obj in objects]
    if field.empty_label is not None:
        choices.insert(0, ("", field.empty_label))
    field.choices = choices


def submission_problems(bound_field):
    """What still stops submission at this field (set by the plan editor on its forms)."""
    problems = getattr(bound_field.form, "submission_problems", None) or {}
    return problems.get(bound_field.name, [])


def show_submission_problems(form, problems):
    """Attach what still stops submission ({field name: [message]}) to `form`: each message
    is shown under its field (templates/jinja2/includes/field.html) and the field's input is
    marked invalid and described by it (aria-invalid, aria-describedby), as a field error is."""
    form.submission_problems = problems
    for name, field in form.fields.items():
        if not problems.get(name):
            continue
        auto_id = form[name].auto_id
        described_by = [f"{auto_id}_needed"]
        if field.help_text:
            described_by.insert(0, f"{auto_id}_helptext")
        field.widget.attrs.update(
            {"aria-invalid": "true", "aria-describedby": " ".join(described_by)}
        )
    return form


# Dates people type are kept to years the portal can work with: a departure on 9999-12-31
# overflows the report's due date, a deadline of 0001-01-01 JST is stored as a BC timestamp
# no page can read back. Far wider than any exchange, call or review needs.
FIRST_YEAR = 2000
LAST_YEAR = 2100
BIRTH_YEARS = (1900, LAST_YEAR)  # a date of birth


class YearRangeValidator:
    def __init__(self, first=FIRST_YEAR, last=LAST_YEAR):
        self.first, self.last = first, last

    def __call__(self, value):
        if not self.first <= value.year <= self.last:
            raise ValidationError(
                _("Enter a date between the years %(first)s and %(last)s.")
                % {"first": self.first, "last": self.last},
                code="year_out_of_range",
            )


class DatesWithinYearsMixin:
    """A form whose date and date-time fields accept only years FIRST_YEAR to LAST_YEAR
    (`date_years`: other limits, e.g. for a date of birth)."""

    date_years = (FIRST_YEAR, LAST_YEAR)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        validator = YearRangeValidator(*self.date_years)
        for field in self.fields.values():
            if isinstance(field, forms.DateField | forms.DateTimeField):
                field.validators.append(validator)
