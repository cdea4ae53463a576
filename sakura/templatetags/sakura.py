"""Template filters used everywhere: Japan time with its zone named, yen, deadlines, and the
labels of codes stored in frozen plan versions; and `jinja2_include`, for a page's longest
tables (sakura/templating.py), whose Jinja2 templates have the same filters.

Each filter only wraps a function: Japan time, yen, country names and form helpers from the
ground floor (`common/`), the labels of codes from the app that owns the codes. Code that is
not a template calls those functions, never this module.
"""

from django import template
from django.template import engines
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from applications import labels as plan_labels
from common import countries, dates, forms
from common.numbers import score
from common.yen import yen
from programs import labels as program_labels

register = template.Library()

register.filter("jst", dates.jst)
register.filter("time_left", dates.time_left)
register.filter("iso", dates.iso)
register.filter("yen", yen)
register.filter("score", score)
register.filter("country_name", countries.country_name)
register.filter("submission_problems", forms.submission_problems)

register.filter("category_label", program_labels.category_label)
register.filter("budget_label", program_labels.budget_label)
register.filter("attachment_kind_label", program_labels.attachment_kind_label)

register.filter("field_label", plan_labels.field_label)
register.filter("itinerary_kind_label", plan_labels.itinerary_kind_label)
register.filter("partner_label", plan_labels.partner_label)


@register.simple_tag(takes_context=True)
def jinja2_include(context, template_name):
    """The Jinja2 template `template_name` (templates/jinja2/), rendered with the page's
    context: `{% jinja2_include "applications/includes/plan_rows.html" %}`. Jinja2 escapes what
    it prints, so its result is HTML as it stands."""
    template = engines["jinja2"].get_template(template_name)
    values = context.flatten()
    token = values.get("csrf_token")  # the page's own (the csrf context processor)
    if token is None:
        return mark_safe(template.render(values, request=values.get("request")))
    # Its forms carry the page's token: masked once a page (42 µs), not once per form.
    values["csrf_input"] = format_html(
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token
    )
    return mark_safe(template.render(values))
