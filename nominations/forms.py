"""Forms of the direct invitations: staff's new plan, bodies and invitations; the nominator's
account and nominations."""

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from applications.models import InvitationPlan
from common.forms import BIRTH_YEARS, DatesWithinYearsMixin
from common.widgets import LongSelect
from participants.forms.portal import LANGUAGE_CHOICES

from .models import NominatingBody, Nomination

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DirectPlanForm(DatesWithinYearsMixin, forms.ModelForm):
    """A new agency-hosted plan: its call and course, then the basics; partners, invitees,
    itinerary and budget follow in the plan editor."""

    call_course = forms.ChoiceField(label=_("Call and course"))

    class Meta:
        model = InvitationPlan
        fields = ["title_ja", "title_en", "field_of_science", "arrival_on", "departure_on"]
        widgets = {"arrival_on": DATE, "departure_on": DATE}

    def __init__(self, *args, calls, **kwargs):
        super().__init__(*args, **kwargs)
        self.options = {
            f"{call.pk}-{course.pk}": (call, course)
            for call in calls
            for course in call.courses.all()
        }
        self.fields["call_course"].choices = [("", "—")] + [
            (key, f"{call} — {course}") for key, (call, course) in self.options.items()
        ]
        self.order_fields(["call_course"])
        for name in ("title_ja", "title_en", "arrival_on", "departure_on"):
            self.fields[name].required = True

    def clean(self):
        cleaned = super().clean()
        call_course = self.options.get(cleaned.get("call_course"))
        if call_course:
            cleaned["call"], cleaned["course"] = call_course
        arrival, departure = cleaned.get("arrival_on"), cleaned.get("departure_on")
        if arrival and departure and departure < arrival:
            self.add_error("departure_on", _("The departure cannot be before the arrival."))
        return cleaned

    def basics(self):
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class NominatingBodyForm(forms.ModelForm):
    class Meta:
        model = NominatingBody
        fields = ["name_en", "name_ja", "country", "kind"]
        widgets = {"country": LongSelect}


class NominatorInvitationForm(forms.Form):
    body = forms.ModelChoiceField(label=_("Nominating body"), queryset=NominatingBody.objects)
    email = forms.EmailField(label=_("Contact's email address"))
    language = forms.ChoiceField(label=_("Language of the email"), choices=LANGUAGE_CHOICES)


class NominatorJoinForm(forms.Form):
    """The contact's own account: their name and a password."""

    full_name = forms.CharField(label=_("Your name"), max_length=200)
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

    def __init__(self, *args, email, **kwargs):
        self.email = email
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        password = cleaned.get("password1")
        if password:
            future_user = User(email=self.email, full_name=cleaned.get("full_name", ""))
            try:
                validate_password(password, user=future_user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
            if password != cleaned.get("password2"):
                self.add_error("password2", _("The two passwords differ."))
        return cleaned


class NominationForm(DatesWithinYearsMixin, forms.ModelForm):
    """A candidate as in their passport, and why the body proposes them."""

    date_years = BIRTH_YEARS

    class Meta:
        model = Nomination
        fields = [
            "family_name",
            "given_name",
            "native_name",
            "date_of_birth",
            "gender",
            "nationality",
            "category",
            "email",
            "home_institution_name",
            "motivation",
        ]
        widgets = {
            "date_of_birth": DATE,
            "nationality": LongSelect,
            "motivation": forms.Textarea(attrs={"rows": 5}),
        }


class SelectionForm(forms.Form):
    """The nominations staff tick on the plan's nominations page."""

    nominations = forms.ModelMultipleChoiceField(
        label=_("Candidates"), queryset=Nomination.objects.none(), required=False
    )

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        # All of the plan's: one ticked again (a second press) is left as it is by the service.
        self.fields["nominations"].queryset = plan.nominations.all()
