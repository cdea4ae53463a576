"""The dashboard's and the exports' filters (GET, all optional), through django-filter.

The same three names as ever (`fiscal_year`, `program`, `course`). One filter set narrows
every figure and every export: it gives a `Filters` value (`as_filters()`), which each table
applies along its own path (participants, plans, reviews, reports).
"""

import django_filters
from django.utils.translation import gettext_lazy as _

from applications.models import InvitationPlan
from programs.models import Call, Course, Program

from .domain.figures import Filters

ANY = _("Any")


class FiguresFilter(django_filters.FilterSet):
    fiscal_year = django_filters.TypedChoiceFilter(
        label=_("Fiscal year"),
        field_name="call__fiscal_year",
        coerce=int,
        empty_value=None,
    )
    program = django_filters.ModelChoiceFilter(
        label=_("Program"),
        field_name="call__program",
        queryset=Program.objects.all(),
        empty_label=ANY,
    )
    course = django_filters.ModelChoiceFilter(
        label=_("Course"),
        queryset=Course.objects.select_related("program"),
        empty_label=ANY,
    )

    class Meta:
        model = InvitationPlan
        fields = []

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        years = (
            Call.objects.order_by("-fiscal_year").values_list("fiscal_year", flat=True).distinct()
        )
        self.filters["fiscal_year"].extra["choices"] = [("", ANY)] + [
            (str(year), str(year)) for year in years
        ]

    def unknown(self, data):
        """The names in `data` that are not filters (a misspelt one must not mean "all")."""
        return sorted(set(data) - set(self.filters))

    def as_filters(self):
        """The chosen filters, or none at all when they do not validate."""
        if not self.is_bound or not self.is_valid():
            return Filters()
        data = self.form.cleaned_data
        return Filters(data["fiscal_year"], data["program"], data["course"])
