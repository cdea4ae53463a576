from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import DatesWithinYearsMixin
from common.widgets import LongSelect

from .domain.rules import ACTIVITY_KINDS, ACTIVITY_LIMIT_NAMES, RULE_FIELDS
from .models import (
    AttachmentKind,
    BudgetCategory,
    Call,
    CountryRule,
    Course,
    ParticipantCategory,
    RuleSet,
)

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


class RuleSetForm(forms.ModelForm):
    """A course's rules for one fiscal year, as staff edit them (saved by `save_rule_set`)."""

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

    declarations = forms.CharField(
        label=_("Required declarations"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_(
            "One per line: code | English | Japanese, e.g. "
            "“export_control | The host has checked export control. | "
            "受入れ機関は安全保障輸出管理の確認を行いました。”"
        ),
    )

    class Meta:
        model = RuleSet
        fields = RULE_FIELDS
        help_texts = {
            "line_caps_jpy": _('For example {"accommodation": 15000, "per_diem": 5000}.'),
            "source_en": _("The guideline the rules come from, e.g. “FY2025 guidelines §3.2”."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["declarations"] = "\n".join(
                " | ".join([item["code"], item["text_en"], item["text_ja"]])
                for item in self.instance.declarations or []
            )

    def clean_declarations(self):
        """The textarea's lines as [{"code", "text_en", "text_ja"}], each code once."""
        declarations = []
        for number, line in enumerate(self.cleaned_data["declarations"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split("|")]
            if len(parts) != 3 or not all(parts):
                raise forms.ValidationError(
                    _("Line %(number)s: give the code, the English and the Japanese text.")
                    % {"number": number}
                )
            code, text_en, text_ja = parts
            if any(item["code"] == code for item in declarations):
                raise forms.ValidationError(
                    _("Line %(number)s: the code “%(code)s” is used twice.")
                    % {"number": number, "code": code}
                )
            declarations.append({"code": code, "text_en": text_en, "text_ja": text_ja})
        return declarations

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("min_invitees"), cleaned.get("max_invitees")
        if low is not None and high is not None and low > high:
            self.add_error("min_invitees", _("The minimum cannot be larger than the maximum."))
        caps = cleaned.get("line_caps_jpy")
        if caps is not None and (
            not isinstance(caps, dict)
            or any(
                key not in BudgetCategory.values or not isinstance(value, int) or value < 0
                for key, value in caps.items()
            )
        ):
            self.add_error("line_caps_jpy", _("Give whole yen per known budget category."))
        limits = cleaned.get("activity_limits")
        if limits is not None and not valid_activity_limits(limits):
            self.add_error(
                "activity_limits",
                _(
                    "Give, per kind of activity (invitation, dispatch, online), whole "
                    "non-negative numbers for max_people, max_days or max_jpy, e.g. "
                    '{"invitation": {"max_people": 10, "max_days": 14, "max_jpy": 6000000}}.'
                ),
            )
        return cleaned


def valid_activity_limits(limits):
    """{kind: {limit: whole number ≥ 0}} with known kinds and limits only."""
    return isinstance(limits, dict) and all(
        kind in ACTIVITY_KINDS
        and isinstance(values, dict)
        and all(
            name in ACTIVITY_LIMIT_NAMES
            and isinstance(value, int)
            and not isinstance(value, bool)
            and 0 <= value < 2**31
            for name, value in values.items()
        )
        for kind, values in limits.items()
    )


class StartFiscalYearForm(forms.Form):
    """A course's rule set for a new fiscal year, started as a copy of the last."""

    course = forms.ModelChoiceField(label=_("Course"), queryset=Course.objects.all())
    fiscal_year = forms.IntegerField(
        label=_("Fiscal year"), min_value=2000, max_value=2100, help_text=_("e.g. 2027")
    )


class CountryRuleForm(forms.ModelForm):
    class Meta:
        model = CountryRule
        fields = [
            "country",
            "fiscal_year",
            "airfare_cap_jpy",
            "registration_receipt_required",
            "source_ja",
            "source_en",
        ]
        widgets = {"country": LongSelect}
