"""One way to render forms: an error summary on top, then each field with label, help, errors."""

from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    form_template_name = "includes/form.html"
    field_template_name = "includes/field.html"


def submission_problems(bound_field):
    """What still stops submission at this field (set by the plan editor on its forms)."""
    problems = getattr(bound_field.form, "submission_problems", None) or {}
    return problems.get(bound_field.name, [])
