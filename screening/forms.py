"""The host's pre-check answers, a security form upload, the End User List upload, a resolution."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from common.forms import DatesWithinYearsMixin

from .models import ScreeningAnswers


class AnswersForm(forms.ModelForm):
    class Meta:
        model = ScreeningAnswers
        fields = [
            "tied_to_listed_entity",
            "listed_technology",
            "exemption",
            "specific_category",
            "explanation",
        ]
        widgets = {
            "tied_to_listed_entity": forms.RadioSelect,
            "listed_technology": forms.RadioSelect,
            "exemption": forms.RadioSelect,
            "specific_category": forms.RadioSelect,
            "explanation": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Drafts save whatever is answered (nothing is required until submission), without
        # the "---------" radio button a blank choice would add.
        for field in self.fields.values():
            if isinstance(field.widget, forms.RadioSelect):
                field.choices = [choice for choice in field.choices if choice[0]]


def checked_pdf(uploaded):
    """A PDF by its content, not its name, as the plan's attachments are checked."""
    limit = settings.MAX_ATTACHMENT_BYTES
    if uploaded.size > limit:
        raise forms.ValidationError(
            _("The file is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(uploaded.size), "limit": filesizeformat(limit)}
        )
    head = uploaded.read(5)
    uploaded.seek(max(uploaded.size - 1024, 0))
    tail = uploaded.read()
    uploaded.seek(0)
    if head != b"%PDF-" or b"%%EOF" not in tail:
        raise forms.ValidationError(
            _("This file is not a PDF. Please upload the document as a PDF file.")
        )
    return uploaded


class SecurityFormForm(forms.Form):
    whose = forms.ChoiceField(label=_("Whose form"))
    file = forms.FileField(
        label=_("PDF file"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.partners = {str(p.pk): p for p in plan.partners.all()}
        self.fields["whose"].choices = [("host", _("The host institution"))] + [
            (key, partner.name) for key, partner in self.partners.items()
        ]

    def clean_file(self):
        return checked_pdf(self.cleaned_data["file"])

    def partner(self):
        return self.partners.get(self.cleaned_data["whose"])


class ListUploadForm(DatesWithinYearsMixin, forms.Form):
    version = forms.CharField(label=_("Version"), max_length=100)
    published_on = forms.DateField(
        label=_("Date of the list"), widget=forms.DateInput(attrs={"type": "date"})
    )
    file = forms.FileField(
        label=_("CSV or XLSX file"),
        help_text=_("Columns: name, aliases (separated by ;), country, concerns."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )


class ResolutionForm(forms.Form):
    resolution = forms.CharField(
        label=_("Resolution"),
        help_text=_("Why the match is no obstacle, or how it was cleared with the host."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )
