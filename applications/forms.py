"""Forms of the plan editor. Every edit form carries the plan's version (optimistic locking)."""

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from common.forms import DatesWithinYearsMixin
from common.widgets import LongSelect
from institutions.models import PartnerInstitution
from programs.domain.rules import country_rules_for, declaration_text
from programs.models import AttachmentKind

from .domain.declarations import missing_declaration_messages, required_declarations
from .domain.money import MAX_LINE_JPY, MAX_PLAN_JPY, MAX_QUANTITY
from .models import (
    BudgetLine,
    InvitationPlan,
    ItineraryItem,
    PlannedInvitees,
    RegistrationReceipt,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class VersionedForm(DatesWithinYearsMixin, forms.Form):
    """The plan version the form was opened at; `editing()` refuses it if someone saved since."""

    plan_version = forms.IntegerField(widget=forms.HiddenInput)


class NewPlanForm(forms.Form):
    call_course = forms.ChoiceField(label=_("Call and course"))
    host = forms.ModelChoiceField(label=_("Host institution"), queryset=None)
    copy_of = forms.ModelChoiceField(
        label=_("Start as a copy of"),
        queryset=InvitationPlan.objects.none(),
        required=False,
        empty_label=_("— a new, empty plan —"),
        help_text=_(
            "Texts, partners, invitees, itinerary and budget are copied; attachments are not."
        ),
    )

    def __init__(self, *args, calls, institutions, earlier_plans, **kwargs):
        super().__init__(*args, **kwargs)
        self.options = {
            f"{call.pk}-{course.pk}": (call, course)
            for call in calls
            for course in call.courses.all()
        }
        self.fields["call_course"].choices = [("", "—")] + [
            (key, f"{call} — {course}") for key, (call, course) in self.options.items()
        ]
        self.fields["host"].queryset = institutions
        if len(institutions) == 1:
            self.fields["host"].initial = institutions[0].pk
        self.fields["copy_of"].queryset = earlier_plans

    def clean(self):
        cleaned = super().clean()
        call_course = self.options.get(cleaned.get("call_course"))
        if call_course:
            cleaned["call"], cleaned["course"] = call_course
        copy_of, host = cleaned.get("copy_of"), cleaned.get("host")
        if copy_of is not None and host is not None and copy_of.host_id != host.pk:
            self.add_error("copy_of", _("Copy a plan of the same institution."))
        return cleaned


class BasicsForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = InvitationPlan
        fields = [
            "title_ja",
            "title_en",
            "field_of_science",
            "objectives",
            "expected_outcomes",
            "arrival_on",
            "departure_on",
            "collaborators",
            "contact_name",
            "contact_phone",
            "contact_email",
        ]
        widgets = {
            "arrival_on": DATE,
            "departure_on": DATE,
            "objectives": forms.Textarea(attrs={"rows": 5}),
            "expected_outcomes": forms.Textarea(attrs={"rows": 4}),
            "collaborators": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "collaborators": _("Colleagues of your institution who may edit this plan."),
        }

    def __init__(self, *args, colleagues, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["collaborators"].queryset = colleagues


class PartnersForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = InvitationPlan
        fields = ["partners"]
        widgets = {"partners": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partners"].queryset = PartnerInstitution.objects.filter(
            host=self.instance.host
        )
        self.fields["partners"].help_text = _(
            "Partner institutions of your institution. Add new ones on the institution's page."
        )
        self.receipt_partners = receipt_partners(self.instance)
        receipts = dict(self.instance.registration_receipts.values_list("partner_id", "number"))
        for partner in self.receipt_partners:
            self.fields[f"receipt_{partner.pk}"] = forms.CharField(
                label=_("Registration receipt number of %(partner)s (this round)")
                % {"partner": partner.name},
                help_text=_(
                    "The number the authorities of %(country)s gave the partner when it "
                    "registered this exchange. Required before submission."
                )
                % {"country": partner.country.name},
                max_length=100,
                required=False,
                initial=receipts.get(partner.pk, ""),
            )

    def save(self, commit=True):
        plan = super().save(commit=commit)
        for partner in self.receipt_partners:
            RegistrationReceipt.objects.update_or_create(
                plan=plan,
                partner=partner,
                defaults={"number": self.cleaned_data[f"receipt_{partner.pk}"].strip()},
            )
        return plan


def receipt_partners(plan):
    """The host's partner institutions whose country asks, in the call's fiscal year, for the
    receipt number of this round's registration (e.g. China)."""
    partners = list(PartnerInstitution.objects.filter(host=plan.host))
    rules = country_rules_for(plan.call.fiscal_year, [partner.country.code for partner in partners])
    return [
        partner
        for partner in partners
        if partner.country.code in rules
        and rules[partner.country.code].registration_receipt_required
    ]


class DeclarationsForm(forms.Form):
    """Review and submit: a required checkbox per declaration the course's rules ask for."""

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        missing = missing_declaration_messages(plan, ())
        for item in required_declarations(plan):
            self.fields[f"declaration_{item['code']}"] = forms.BooleanField(
                label=declaration_text(item),
                required=True,
                error_messages={"required": missing[item["code"]]},
            )

    def ticked(self):
        """The codes of the declarations ticked."""
        return [
            item["code"]
            for item in required_declarations(self.plan)
            if self.cleaned_data.get(f"declaration_{item['code']}")
        ]


class InviteesRowForm(forms.ModelForm):
    class Meta:
        model = PlannedInvitees
        fields = ["sending_institution", "country", "category", "count"]
        widgets = {"country": LongSelect}


class BaseInviteesFormSet(forms.BaseInlineFormSet):
    """The planned invitees; each row's sending institution is one of the plan's partners (or
    the one it already names), or not said."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        partners = self.instance.partners.values("pk") if self.instance.pk else []
        for form in self.forms + [self.empty_form]:
            current = form.instance.sending_institution_id
            form.fields["sending_institution"].queryset = PartnerInstitution.objects.filter(
                Q(pk__in=partners) | Q(pk=current)
            )


InviteesFormSet = forms.inlineformset_factory(
    InvitationPlan,
    PlannedInvitees,
    form=InviteesRowForm,
    formset=BaseInviteesFormSet,
    extra=2,
    can_delete=True,
)


class ItineraryItemForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = ItineraryItem
        fields = ["day", "start_time", "end_time", "kind", "title_en", "title_ja", "place"]
        widgets = {"day": DATE, "start_time": TIME, "end_time": TIME}

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("The end must be after the start."))
        return cleaned


class CopyDayForm(VersionedForm):
    from_day = forms.DateField(label=_("Copy the day"), widget=DATE)
    to_day = forms.DateField(label=pgettext_lazy("copy a day", "to the day"), widget=DATE)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("from_day") and cleaned.get("from_day") == cleaned.get("to_day"):
            self.add_error("to_day", _("Choose another day."))
        return cleaned


class BudgetLineForm(forms.ModelForm):
    class Meta:
        model = BudgetLine
        fields = ["category", "unit_cost_jpy", "quantity", "note"]
        widgets = {
            "unit_cost_jpy": forms.NumberInput(attrs={"min": 0, "step": 1, "inputmode": "numeric"}),
            "quantity": forms.NumberInput(attrs={"min": 0, "step": 1, "inputmode": "numeric"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit_cost_jpy"].max_value = MAX_LINE_JPY
        self.fields["unit_cost_jpy"].validators.append(MaxValueValidator(MAX_LINE_JPY))
        self.fields["quantity"].max_value = MAX_QUANTITY
        self.fields["quantity"].validators.append(MaxValueValidator(MAX_QUANTITY))

    def clean(self):
        cleaned = super().clean()
        cost, quantity = cleaned.get("unit_cost_jpy"), cleaned.get("quantity")
        if cost is not None and quantity is not None and cost * quantity > MAX_LINE_JPY:
            self.add_error(
                "quantity",
                _("This line comes to ¥%(amount)s; a line may be at most ¥%(max)s.")
                % {"amount": f"{cost * quantity:,}", "max": f"{MAX_LINE_JPY:,}"},
            )
        return cleaned


class BaseBudgetFormSet(forms.BaseInlineFormSet):
    def clean(self):
        """The plan's total stays within what any plan may ask (MAX_PLAN_JPY)."""
        super().clean()
        total = sum(
            form.cleaned_data["unit_cost_jpy"] * form.cleaned_data["quantity"]
            for form in self.forms
            if form.cleaned_data.get("unit_cost_jpy") is not None
            and form.cleaned_data.get("quantity") is not None
            and not form.cleaned_data.get("DELETE")
        )
        if total > MAX_PLAN_JPY:
            raise forms.ValidationError(
                _("The budget comes to ¥%(total)s; a plan may ask for at most ¥%(max)s.")
                % {"total": f"{total:,}", "max": f"{MAX_PLAN_JPY:,}"}
            )


BudgetFormSet = forms.inlineformset_factory(
    InvitationPlan,
    BudgetLine,
    form=BudgetLineForm,
    formset=BaseBudgetFormSet,
    extra=3,
    can_delete=True,
)


class AttachmentForm(VersionedForm):
    kind = forms.ChoiceField(label=_("Kind of document"), choices=AttachmentKind.choices)
    file = forms.FileField(
        label=_("PDF file"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def clean_file(self):
        """A PDF by its content, not its name: starts with %PDF- and ends with %%EOF."""
        uploaded = self.cleaned_data["file"]
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


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000
    )
