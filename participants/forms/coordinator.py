"""Forms of the coordinator's participant pages: one participant, a spreadsheet, an invitation."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from common.forms import BIRTH_YEARS, DatesWithinYearsMixin
from common.widgets import LongSelect
from programs.domain.rules import plan_rules

from ..domain.columns import ACTIVITY_COLUMN, COLUMNS, TRAVEL
from ..models import Participant

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ParticipantForm(DatesWithinYearsMixin, forms.ModelForm):
    """A participant's data as in their passport. The passport number is write-only: the page
    never shows it, only its last three characters; leaving the field blank keeps it."""

    date_years = BIRTH_YEARS

    passport_number = forms.CharField(
        label=_("Passport number"),
        max_length=30,
        required=False,
        strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    class Meta:
        model = Participant
        # The same fields, in the same order, as the import template (a plan made of
        # activities has the activity first and the travel fields last; others have neither).
        fields = [ACTIVITY_COLUMN.name, *COLUMNS, *TRAVEL]
        widgets = {
            "date_of_birth": DATE,
            "passport_valid_until": DATE,
            "nationality": LongSelect,
            # Yes / No / Unknown: "unknown" is a real answer for a participant not asked yet.
            "first_stay_in_japan": forms.NullBooleanSelect,
            "travel_registration_done": forms.NullBooleanSelect,
        }

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        if plan_rules(plan).uses_activities:
            self.fit_to_activities(plan)
        else:
            for name in [ACTIVITY_COLUMN.name, *TRAVEL]:
                del self.fields[name]
        self.fields["home_institution"].queryset = plan.partners.all()
        if not self.fields["home_institution"].help_text:
            self.fields["home_institution"].help_text = _(
                "One of the plan's partner institutions abroad."
            )
        masked = self.instance.masked_passport_number if self.instance.pk else ""
        if masked:
            self.fields["passport_number"].help_text = _(
                "Stored encrypted: %(masked)s. Leave blank to keep it; type a new number to "
                "replace it."
            ) % {"masked": masked}
        else:
            self.fields["passport_number"].help_text = _(
                "Stored encrypted and never shown again in full."
            )

    def fit_to_activities(self, plan):
        """A plan made of activities: the person takes part in one of its invitations or
        dispatches, which decides whether they are invited or dispatched; the travel fields
        are a dispatched participant's (all required then, checked when saving)."""
        activity = self.fields["activity"]
        activity.queryset = plan.activities.exclude(kind="online").order_by("starts_on", "pk")
        activity.required = True
        activity.help_text = _(
            "An invitation to Japan registers an invitee; a dispatch abroad registers one of "
            "your own students or researchers, who needs the travel details below."
        )
        # A dispatched participant is Japanese unless the host says otherwise.
        self.fields["nationality"].required = False
        self.fields["nationality"].help_text = _("Left empty for a dispatch abroad: Japan.")
        for name in TRAVEL:
            self.fields[name].help_text = _("For a dispatch abroad: required.")
        self.fields["passport_valid_until"].help_text = _(
            "For a dispatch abroad: required; valid on the return day, and best six months "
            "after it."
        )
        self.fields["home_institution"].help_text = _(
            "For an invitation: one of the plan's partner institutions abroad. Empty for a "
            "dispatch abroad."
        )

    def clean(self):
        cleaned = super().clean()
        activity = cleaned.get("activity")
        dispatched = activity is not None and activity.is_dispatch
        missing = "nationality" in self.fields and not cleaned.get("nationality")
        if missing and not dispatched and "nationality" not in self.errors:
            self.add_error("nationality", self.fields["nationality"].error_messages["required"])
        return cleaned

    def passport_number_to_save(self):
        """The new passport number, or None to keep the stored one."""
        return self.cleaned_data.get("passport_number") or None


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or XLSX file"),
        help_text=_(
            "Use the template's header row. CSV may be UTF-8 or Shift_JIS. Nothing is saved "
            "until you confirm."
        ),
        widget=forms.FileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.MAX_IMPORT_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s.")
                % {"limit": filesizeformat(settings.MAX_IMPORT_BYTES)}
            )
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        return upload


class ConfirmImportForm(forms.Form):
    """The checked upload, by the token under which its bytes wait in the cache."""

    token = forms.UUIDField(widget=forms.HiddenInput)


class InviteForm(forms.Form):
    language = forms.ChoiceField(label=_("Language of the email"), choices=settings.LANGUAGES)
