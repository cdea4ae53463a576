"""Forms of the coordinator's participant pages: one participant, a spreadsheet, an invitation."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from common.forms import BIRTH_YEARS, DatesWithinYearsMixin
from common.widgets import LongSelect

from ..domain.columns import COLUMNS
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
        fields = COLUMNS  # the same fields, in the same order, as the import template
        widgets = {
            "date_of_birth": DATE,
            "nationality": LongSelect,
            # Yes / No / Unknown: "unknown" is a real answer for a participant not asked yet.
            "first_stay_in_japan": forms.NullBooleanSelect,
        }

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["home_institution"].queryset = plan.partners.all()
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
