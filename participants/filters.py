"""The participant lists' filters (django-filter).

The coordinator's list of a plan's participants: `q` (part of a name: family, given or in
native script), `category`, `nationality`, with `page` as before. The staff's alumni list keeps
the one filter it has always had, `q` (part of the family or given name)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.choices import country_choices
from common.widgets import LongSelect
from programs.models import ParticipantCategory

from .models import Alumnus, Participant

ANY = _("Any")


class ParticipantFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name"), method="by_name")
    category = django_filters.ChoiceFilter(
        label=_("Category"), choices=ParticipantCategory, empty_label=ANY
    )
    nationality = django_filters.ChoiceFilter(
        label=_("Nationality"), choices=country_choices, empty_label=ANY, widget=LongSelect
    )

    class Meta:
        model = Participant
        fields = []

    @property
    def chosen(self):
        """Some filter narrows the list (the page number aside)."""
        return self.is_bound and self.is_valid() and any(self.form.cleaned_data.values())

    def by_name(self, participants, name, value):
        return participants.filter(
            Q(family_name__icontains=value)
            | Q(given_name__icontains=value)
            | Q(native_name__icontains=value)
        )


class AlumnusFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search by name"), method="by_name")

    class Meta:
        model = Alumnus
        fields = []

    def by_name(self, alumni, name, value):
        return alumni.filter(Q(family_name__icontains=value) | Q(given_name__icontains=value))
