"""Labels of codes, kept per language: each reader gets their own language's, every time."""

from django.utils import translation

from applications.models import PlanState
from common.choices import label_of


def test_label_of_follows_the_language_and_passes_unknown_values_through():
    shown = []
    for language in ("ja", "en", "ja"):
        with translation.override(language):
            shown.append(label_of(PlanState, PlanState.SUBMITTED))

    assert shown == ["提出済み", "Submitted", "提出済み"]
    assert label_of(PlanState, "no-such-state") == "no-such-state"
    assert label_of(PlanState, ["not", "hashable"]) == ["not", "hashable"]
