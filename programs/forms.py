from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import DatesWithinYearsMixin

from .models import AttachmentKind, Call, Course, ParticipantCategory

LOCAL_DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CallForm(DatesWithinYearsMixin, forms.ModelForm):
    """Times are typed and shown in Japan time (TIME_ZONE is Asia/Tokyo)."""

    class Meta:
        model = Call
        fields = [
            "program",
            "fiscal_year",
            "round",
            "courses",
            "opens_at",
            "closes_at",
            "exchange_starts_on",
            "exchange_ends_on",
            "budget_jpy",
            "status",
        ]
        widgets = {
            "opens_at": LOCAL_DATETIME,
            "closes_at": LOCAL_DATETIME,
            "exchange_starts_on": DATE,
            "exchange_ends_on": DATE,
            "courses": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "opens_at": _("Japan time (JST)."),
            "closes_at": _("Japan time (JST). Submissions are refused from this second on."),
        }

    def clean(self):
        cleaned = super().clean()
        program, courses = cleaned.get("program"), cleaned.get("courses")
        if program and courses and any(course.program_id != program.pk for course in courses):
            self.add_error("courses", _("Choose only courses of the call's program."))
        return cleaned


class CourseForm(forms.ModelForm):
    eligible_categories = forms.MultipleChoiceField(
        label=_("Eligible participant categories"),
        choices=ParticipantCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    required_attachments = forms.MultipleChoiceField(
        label=_("Required attachments"),
        choices=AttachmentKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Course
        fields = [
            "program",
            "code",
            "name_ja",
            "name_en",
            "max_days",
            "min_invitees",
            "max_invitees",
            "eligible_categories",
            "age_limit",
            "per_person_cap_jpy",
            "per_plan_cap_jpy",
            "eligible_countries",
            "line_caps_jpy",
            "required_attachments",
        ]
