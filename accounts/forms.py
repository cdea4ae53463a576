from allauth.core import context
from allauth.mfa.base import forms as mfa_forms
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from notifications.models import Notification

from . import second_factor
from .models import Language, User


class LimitedCodeMixin:
    """A second-factor code form that refuses codes while the person or address is locked
    and records every wrong code (accounts.second_factor)."""

    def clean_code(self):
        request = context.request
        reason = second_factor.refusal(request, self.user)
        if reason:
            raise ValidationError(reason, code="locked")
        try:
            return super().clean_code()
        except ValidationError:
            second_factor.record_failure(request, self.user)
            raise


class AuthenticateForm(LimitedCodeMixin, mfa_forms.AuthenticateForm):
    """The code asked for after the password (settings.MFA_FORMS)."""


class ReauthenticateForm(LimitedCodeMixin, mfa_forms.ReauthenticateForm):
    """The code asked for to confirm who you are before a sensitive change."""


class ProfileForm(forms.ModelForm):
    """Name, language, and which optional notifications to receive (all by default)."""

    wanted_notifications = forms.MultipleChoiceField(
        label=_("Optional emails I want to receive"),
        choices=[
            (kind, label)
            for kind, label in Notification.Kind.choices
            if kind in Notification.OPTIONAL_KINDS
        ],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Decisions, revision requests, invitations and letters always reach you."),
    )

    class Meta:
        model = User
        fields = ["full_name", "preferred_language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        muted = set(self.instance.muted_notifications or [])
        self.fields["wanted_notifications"].initial = [
            kind for kind in Notification.OPTIONAL_KINDS if kind not in muted
        ]

    def save(self, commit=True):
        wanted = set(self.cleaned_data["wanted_notifications"])
        self.instance.muted_notifications = [
            kind for kind in Notification.OPTIONAL_KINDS if kind not in wanted
        ]
        return super().save(commit)

    @staticmethod
    def language_choices():
        return Language.choices
