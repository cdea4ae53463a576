"""The readers' words for what plans store as codes: an itinerary item's activity, the fields
and partners of a frozen plan version."""

import re

from django.utils.translation import gettext_lazy

from common.countries import country_name

from .models import ItineraryItem

# Stable keys in the stored data; labels are translated when shown.
FIELD_LABELS = {
    "call": gettext_lazy("Call"),
    "course": gettext_lazy("Course"),
    "host": gettext_lazy("Host institution"),
    "lead": gettext_lazy("Lead coordinator"),
    "title_ja": gettext_lazy("Title (Japanese)"),
    "title_en": gettext_lazy("Title (English)"),
    "field_of_science": gettext_lazy("Field of science"),
    "objectives": gettext_lazy("Objectives"),
    "expected_outcomes": gettext_lazy("Expected outcomes"),
    "arrival_on": gettext_lazy("Arrival"),
    "departure_on": gettext_lazy("Departure"),
    "contact_name": gettext_lazy("Contact person"),
    "contact_phone": gettext_lazy("Contact phone"),
    "contact_email": gettext_lazy("Contact email"),
}


# Old versions stored a partner as "Name (TH)"; newer ones store the name and the code apart.
OLD_PARTNER = re.compile(r"^(?P<name>.*) \((?P<country>[A-Z]{2})\)$")


def field_label(key):
    """The translated label of a field stored in a frozen plan version."""
    return FIELD_LABELS.get(key, key)


def itinerary_kind_label(value):
    """The activity of an itinerary item ("lab_work" → "Lab work"), as stored in a version."""
    return dict(ItineraryItem.Kind.choices).get(value, value)


def partner_label(partner):
    """A stored partner as "Name (Country)", from either way versions have stored it."""
    if isinstance(partner, dict):
        name, country = partner["name"], partner["country"]
    else:
        match = OLD_PARTNER.match(partner)
        if match is None:
            return partner
        name, country = match["name"], match["country"]
    return f"{name} ({country_name(country)})"
