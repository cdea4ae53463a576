"""Country names in the reader's language, from the ISO codes the portal stores."""

from django_countries import countries


def country_name(code):
    """'TH' → 'Thailand' (or タイ); an unknown code is shown as it is."""
    return countries.name(code) or code
