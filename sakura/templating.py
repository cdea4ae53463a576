"""The project's Jinja2 environment, for the few templates rendered hundreds of times a page:
each form field (Django's widgets, error lists and management forms ship in Jinja2 too) and
the rows of the longest tables (templates/jinja2/). Jinja2 renders them several times faster
than Django's template language; the pages themselves stay Django templates, and include a
Jinja2 part with `{% jinja2_include "name" %}` (sakura/templatetags/sakura.py).

A Jinja2 template has the filters of the Django templates (sakura's template library), `url`
and `static`, and `_` and `ngettext` for text (`{{ _("Plan") }}`, which makemessages finds in
these files as in Django templates). Django's templates call methods for you; here a method
is called: `{{ plan.get_state_display() }}`.
"""

import jinja2
from django.conf import settings
from django.template import defaultfilters
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext, ngettext


def environment(**options):
    from sakura.templatetags.sakura import register

    environment = jinja2.Environment(**options)
    environment.globals.update(
        url=url, static=static, _=gettext, ngettext=ngettext, LANGUAGES=settings.LANGUAGES
    )
    environment.filters.update(register.filters)
    # Django's own filters these templates use, as the Django templates have them.
    environment.filters.update(
        date=defaultfilters.date,
        time=defaultfilters.time,
        filesizeformat=defaultfilters.filesizeformat,
        linebreaksbr=defaultfilters.linebreaksbr,
    )
    return environment


def url(name, *args):
    """`{% url name arg … %}`: the path of the view `name` with positional arguments."""
    return reverse(name, args=args)
