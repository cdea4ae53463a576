from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from accounts.models import Language
from common.widgets import LongSelect

from .models import Membership, PartnerInstitution


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)
    language = forms.ChoiceField(
        label=_("Language of the email"), choices=Language.choices, initial=Language.JAPANESE
    )


class AcceptInvitationForm(forms.Form):
    """For someone without an account: their name and a password."""

    full_name = forms.CharField(label=_("Full name"), max_length=200)
    preferred_language = forms.ChoiceField(label=_("Preferred language"), choices=Language.choices)
    password1 = forms.CharField(
        label=_("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label=_("Password (again)"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email, **kwargs):
        self.email = email
        super().__init__(*args, **kwargs)

    def clean_password1(self):
        password = self.cleaned_data["password1"]
        validate_password(password)
        return password

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") and cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return cleaned


class PartnerInstitutionForm(forms.ModelForm):
    class Meta:
        model = PartnerInstitution
        fields = ["name", "name_local", "country", "city", "kind"]
        widgets = {"country": LongSelect}

    def __init__(self, *args, host, **kwargs):
        self.host = host
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        duplicates = PartnerInstitution.objects.filter(
            host=self.host, name__iexact=cleaned.get("name", ""), country=cleaned.get("country")
        ).exclude(pk=self.instance.pk)
        if duplicates.exists():
            self.add_error("name", _("Your institution already has this partner."))
        return cleaned
