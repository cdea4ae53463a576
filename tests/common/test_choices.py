"""Labels of codes and the countries, kept per language: each reader gets their own
language's, every time."""

from django.utils import translation

from applications.forms import InviteesRowForm
from applications.models import (
    Attachment,
    BudgetLine,
    ItineraryItem,
    PlannedInvitees,
    PlanState,
    PlanTransition,
)
from common.choices import COUNTRIES_WITH_BLANK, label_of


def test_label_of_follows_the_language_and_passes_unknown_values_through():
    shown = []
    for language in ("ja", "en", "ja"):
        with translation.override(language):
            shown.append(label_of(PlanState, PlanState.SUBMITTED))

    assert shown == ["提出済み", "Submitted", "提出済み"]
    assert label_of(PlanState, "no-such-state") == "no-such-state"
    assert label_of(PlanState, ["not", "hashable"]) == ["not", "hashable"]


def test_countries_with_blank_follow_the_language():
    for language, japan in (("ja", "日本"), ("en", "Japan"), ("ja", "日本")):
        with translation.override(language):
            choices = list(COUNTRIES_WITH_BLANK)
        assert choices[0] == ("", "---------")
        assert ("JP", japan) in choices
        assert len(choices) > 240


def test_a_row_of_invitees_offers_and_checks_the_countries_listed_once():
    kept = {"category": "graduate", "count": "3"}
    assert InviteesRowForm({**kept, "country": "VN"}).is_valid()
    refused = InviteesRowForm({**kept, "country": "ZZ"})
    assert not refused.is_valid()
    assert "Select a valid choice" in refused.errors["country"][0]
    with translation.override("ja"):
        html = str(InviteesRowForm()["country"])
    assert html.startswith('<select name="country"')
    assert '<option value="" selected>---------</option>' in html
    assert '<option value="VN">ベトナム</option>' in html


def test_the_plans_rows_show_their_codes_labels_in_the_readers_language():
    """The rows a plan's pages list (invitees, itinerary, budget, attachments, history) say
    their codes' labels through `label_of`, not by translating every label of the field."""
    rows = [
        (PlannedInvitees(category="graduate").get_category_display, "Graduate student", "大学院生"),
        (ItineraryItem(kind="lecture").get_kind_display, "Lecture", "講義"),
        (
            BudgetLine(category="airfare").get_category_display,
            "International airfare",
            "国際航空運賃",
        ),
        (
            Attachment(kind="partner_consent").get_kind_display,
            "Letter of consent from the partner institution",
            "送り出し機関の同意書",
        ),
        (PlanTransition(from_state="draft").get_from_state_display, "Draft", "下書き"),
        (PlanTransition(to_state="submitted").get_to_state_display, "Submitted", "提出済み"),
    ]
    for display, english, japanese in rows:
        with translation.override("en"):
            assert display() == english
        with translation.override("ja"):
            assert display() == japanese
    assert ItineraryItem(kind="no-such-kind").get_kind_display() == "no-such-kind"
