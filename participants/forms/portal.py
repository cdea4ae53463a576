"""Forms of the participant's own portal: joining by the emailed link, correcting one's details."""

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import Language, User

from ..models import Participant, ParticipantChange

# Each language in its own words, so that someone who cannot read the page can still find theirs.
LANGUAGE_CHOICES = [(Language.ENGLISH, "English"), (Language.JAPANESE, "日本語")]


class JoinForm(forms.Form):
    """A password for the new account, and the language the portal speaks to the participant."""

    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Password (again)"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"),
        choices=LANGUAGE_CHOICES,
        help_text=_("The portal and its emails will use this language."),
    )

    def __init__(self, *args, participant, **kwargs):
        self.participant = participant
        super().__init__(*args, **kwargs)

    def chosen_language(self):
        """The language picked in the form (even if other fields have errors), or None."""
        language = self.data.get("preferred_language") if self.is_bound else None
        return language if language in dict(LANGUAGE_CHOICES) else None

    def clean_password1(self):
        password = self.cleaned_data["password1"]
        # Compared with the participant's own name and address, as for any other account.
        future_user = User(email=self.participant.email, full_name=self.participant.passport_name)
        validate_password(password, user=future_user)
        return password

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") and cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return cleaned


class ParticipantDetailsForm(forms.ModelForm):
    """What participants may correct themselves; their passport data stays with the host."""

    class Meta:
        model = Participant
        fields = ["phone", "email", "dietary_needs", "accessibility_needs"]
        help_texts = {
            "email": _("Where your host writes to you. It does not change how you sign in."),
            "dietary_needs": _("For example vegetarian, halal, or an allergy."),
            "accessibility_needs": _(
                "Anything your host should arrange so that you can take part."
            ),
        }
        widgets = {
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }

    def __init__(self, *args, by, **kwargs):
        self.by = by
        super().__init__(*args, **kwargs)

    def save(self, commit=True):
        """Save; once letters are issued every change is recorded, as for the host's edits.

        The participant may not use `registry.save_participant` (it needs the host's
        permission and re-checks eligibility), so the record of late changes is kept here.
        """
        participant = super().save(commit=False)
        if not commit:
            return participant
        with transaction.atomic():
            if not participant.is_editable:
                ParticipantChange.objects.bulk_create(
                    [
                        ParticipantChange(
                            participant=participant,
                            field=name,
                            old_value=str(self.initial.get(name, "")),
                            new_value=str(self.cleaned_data[name]),
                            by=self.by,
                        )
                        for name in self.changed_data
                    ]
                )
            participant.save(update_fields=[*self.Meta.fields, "updated_at"])
        return participant
