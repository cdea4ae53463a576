"""The staff plan list's filters (django-filter): the same names in the query string as the
list has always used (`q`, `state`, `course`, `country`, `host`, `prefecture`, `page`)."""

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from localflavor.jp.jp_prefectures import JP_PREFECTURE_CODES

from common.choices import country_choices
from common.widgets import LongSelect

from .models import InvitationPlan, PlannedInvitees, PlanState
from .queries import search

ANY = _("Any")


class PlanFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Reference or title"), method="by_text")
    state = django_filters.ChoiceFilter(label=_("State"), choices=PlanState, empty_label=ANY)
    course = django_filters.ChoiceFilter(label=_("Course"), field_name="course_id", empty_label=ANY)
    country = django_filters.ChoiceFilter(
        label=_("Invitees from"),
        method="by_invitees_from",
        choices=country_choices,
        empty_label=ANY,
        widget=LongSelect,
    )
    host = django_filters.CharFilter(label=_("Institution"), method="by_host")
    prefecture = django_filters.ChoiceFilter(
        label=_("Prefecture"),
        field_name="host__prefecture",
        choices=JP_PREFECTURE_CODES,
        empty_label=ANY,
        widget=LongSelect(keep_order=True),
    )

    class Meta:
        model = InvitationPlan
        fields = []

    def __init__(self, data=None, queryset=None, *, call, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.filters["course"].extra["choices"] = [(str(c.pk), str(c)) for c in call.courses.all()]

    @property
    def state_chosen(self):
        """A valid state was asked for (drafts are listed only then)."""
        return self.is_bound and self.is_valid() and bool(self.form.cleaned_data.get("state"))

    def by_text(self, plans, name, value):
        return search(plans, value)

    def by_host(self, plans, name, value):
        return plans.filter(Q(host__name_en__icontains=value) | Q(host__name_ja__icontains=value))

    def by_invitees_from(self, plans, name, value):
        return plans.filter(
            Exists(PlannedInvitees.objects.filter(plan=OuterRef("pk"), country=value))
        )
