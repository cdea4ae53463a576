"""The dashboard's and the exports' filters (GET), all optional."""

from django import forms
from django.utils.translation import gettext_lazy as _

from programs.models import Call, Course, Program

from .domain.figures import Filters


class FiguresFilterForm(forms.Form):
    fiscal_year = forms.TypedChoiceField(
        label=_("Fiscal year"), required=False, coerce=int, empty_value=None
    )
    program = forms.ModelChoiceField(
        label=_("Program"), queryset=Program.objects.all(), required=False, empty_label=_("Any")
    )
    course = forms.ModelChoiceField(
        label=_("Course"),
        queryset=Course.objects.select_related("program"),
        required=False,
        empty_label=_("Any"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        years = (
            Call.objects.order_by("-fiscal_year").values_list("fiscal_year", flat=True).distinct()
        )
        self.fields["fiscal_year"].choices = [("", _("Any"))] + [
            (str(year), str(year)) for year in years
        ]

    def filters(self):
        """The chosen filters, or none at all when the form does not validate."""
        if not self.is_valid():
            return Filters()
        data = self.cleaned_data
        return Filters(data["fiscal_year"], data["program"], data["course"])
