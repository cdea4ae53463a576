"""The outbox's filters (django-filter), by the names the page has always used: `state`,
`kind`, `recipient` (part of the address) and `page`."""

import django_filters
from django.utils.translation import gettext_lazy as _

from .models import Notification

ANY = _("Any")


class OutboxFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(
        label=_("State"), choices=Notification.State, empty_label=ANY
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Notification.Kind, empty_label=ANY)
    recipient = django_filters.CharFilter(
        label=_("Recipient's email"), field_name="to_email", lookup_expr="icontains"
    )

    class Meta:
        model = Notification
        fields = []
