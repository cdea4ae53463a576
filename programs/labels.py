"""The readers' words for the codes programs own (participant categories, budget categories,
attachment kinds), for codes stored as plain strings, e.g. in frozen plan versions."""

from django.utils.translation import gettext as _

from .models import AttachmentKind, BudgetCategory, ParticipantCategory


def category_label(value):
    """A participant category ("undergraduate" → its label); an unknown code as it is."""
    return dict(ParticipantCategory.choices).get(value, value)


def budget_label(value):
    """A budget category ("airfare" → its label); an unknown code as it is."""
    return dict(BudgetCategory.choices).get(value, value)


def attachment_kind_label(value):
    """The kind of an attachment ("partner_consent" → its label), as stored in a version."""
    return dict(AttachmentKind.choices).get(value, value)


def program_line(name, agency_hosted):
    """A program as a line of the dashboard and the exports: the agency's own direct
    invitations are labelled as such, apart from the programs hosts apply to."""
    if agency_hosted:
        return _("%(program)s (hosted by the agency)") % {"program": name}
    return name
