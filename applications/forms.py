"""Forms of the plan editor. Every edit form carries the plan's version (optimistic locking)."""

from datetime import datetime

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.template.defaultfilters import filesizeformat
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from common.choices import COUNTRIES_WITH_BLANK
from common.dates import JAPAN
from common.forms import DatesWithinYearsMixin, offer
from common.formsets import RowsReadOnce
from common.prepared import PreparedQuery
from common.widgets import LongSelect
from institutions.models import PartnerInstitution
from programs.domain.rules import country_rules_for, declaration_text
from programs.models import AttachmentKind

from .domain.activities import country_zone, time_zone_names
from .domain.declarations import missing_declaration_messages, required_declarations
from .domain.editing import NoDatesToShift
from .domain.money import MAX_LINE_JPY, MAX_PLAN_JPY, MAX_QUANTITY
from .models import (
    Activity,
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


class NewPlanForm(DatesWithinYearsMixin, forms.Form):
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
    arrival_on = forms.DateField(
        label=_("New arrival date of the copy"),
        required=False,
        widget=DATE,
        help_text=_(
            "Left empty, the copy keeps the earlier plan's dates. Given, the arrival, the "
            "departure and every day of the itinerary (or every activity) move by the days "
            "between the earlier arrival and this one."
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
        if cleaned.get("arrival_on") and "arrival_on" not in self.errors:
            if copy_of is None:
                message = _("A new arrival date moves a copy: choose the plan to copy or no date.")
                self.add_error("arrival_on", message)
            elif copy_of.arrival_on is None:
                self.add_error("arrival_on", NoDatesToShift.message)
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
            # Its options in one pass, in the list's own order (Select: one template each).
            "field_of_science": LongSelect(keep_order=True),
        }
        help_texts = {
            "collaborators": _("Colleagues of your institution who may edit this plan."),
        }

    def __init__(self, *args, colleagues, uses_activities=False, **kwargs):
        """`colleagues`: who may be chosen as collaborators, read already (offered as they
        are; what is chosen is checked against them)."""
        super().__init__(*args, **kwargs)
        field = self.fields["collaborators"]
        field.queryset = field.queryset.filter(pk__in=[person.pk for person in colleagues])
        offer(field, colleagues)
        if uses_activities:
            # The stay is the span of the plan's activities, kept when they are saved.
            del self.fields["arrival_on"], self.fields["departure_on"]


class PartnersForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = InvitationPlan
        fields = ["partners"]
        widgets = {"partners": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The host's partners, read once for the choice and for the receipt numbers.
        self.fields["partners"].queryset = host_partners(self.instance.host_id)
        partners = _HOST_PARTNERS.all(host=self.instance.host_id)
        offer(self.fields["partners"], partners)
        self.fields["partners"].help_text = _(
            "Partner institutions of your institution. Add new ones on the institution's page."
        )
        self.receipt_partners = receipt_partners(self.instance, partners)
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


def host_partners(host):
    return PartnerInstitution.objects.filter(host=host)


_HOST_PARTNERS = PreparedQuery(host_partners)  # compiled once per process


def receipt_partners(plan, partners):
    """Those of the host's `partners` whose country asks, in the call's fiscal year, for the
    receipt number of this round's registration (e.g. China)."""
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
        widgets = {"country": LongSelect, "category": LongSelect(keep_order=True)}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = COUNTRIES_WITH_BLANK


class BaseInviteesFormSet(RowsReadOnce, forms.BaseInlineFormSet):
    """The planned invitees; each row's sending institution is one of the plan's partners (or
    the one it already names), or not said. The options of all rows are read at once."""

    def plan_partners(self):
        return self.instance.partners.values("pk") if self.instance.pk else []

    @cached_property
    def sending_institutions(self):
        """The institutions some row may name, each marked `of_plan` or not (1 query)."""
        if not self.instance.pk:
            return []
        named = {row.sending_institution_id for row in self.get_queryset()} - {None}
        of_plan = Q(pk__in=self.plan_partners())
        return list(
            PartnerInstitution.objects.filter(of_plan | Q(pk__in=named)).annotate(
                of_plan=ExpressionWrapper(of_plan, output_field=BooleanField())
            )
        )

    def add_fields(self, form, index):
        super().add_fields(form, index)
        field, current = form.fields["sending_institution"], form.instance.sending_institution_id
        offered = [p for p in self.sending_institutions if p.of_plan or p.pk == current]
        # What is chosen is checked against those offered (read with the formset).
        field.queryset = PartnerInstitution.objects.filter(pk__in=[p.pk for p in offered])
        offer(field, offered)


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
        widgets = {
            "day": DATE,
            "start_time": TIME,
            "end_time": TIME,
            "kind": LongSelect(keep_order=True),
        }

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("The end must be after the start."))
        return cleaned


class CopyDayForm(VersionedForm):
    from_day = forms.DateField(label=pgettext_lazy("copy a day", "Day to copy from"), widget=DATE)
    to_day = forms.DateField(label=pgettext_lazy("copy a day", "Day to copy to"), widget=DATE)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("from_day") and cleaned.get("from_day") == cleaned.get("to_day"):
            self.add_error("to_day", _("Choose another day."))
        return cleaned


class ActivityForm(VersionedForm, forms.ModelForm):
    """An activity of a plan made of activities (course D). An online session is one day with
    its start and end typed in Japan time; its last day is its first."""

    start_time = forms.TimeField(
        label=_("Starts at (Japan time)"),
        required=False,
        widget=TIME,
        help_text=_("Online sessions only."),
    )
    end_time = forms.TimeField(
        label=_("Ends at (Japan time)"),
        required=False,
        widget=TIME,
        help_text=_("Online sessions only."),
    )
    time_zone = forms.ChoiceField(
        label=_("Partner's time zone"),
        required=False,
        widget=LongSelect,
        help_text=_(
            "Left empty, the zone of the partner's country where the country has only one "
            "(India: Asia/Kolkata)."
        ),
    )

    class Meta:
        model = Activity
        fields = [
            "kind",
            "title_en",
            "title_ja",
            "starts_on",
            "ends_on",
            "start_time",
            "end_time",
            "partner",
            "country",
            "time_zone",
            "people",
        ]
        widgets = {"starts_on": DATE, "ends_on": DATE, "country": LongSelect}
        labels = {"starts_on": _("First day (the day of an online session)")}
        help_texts = {
            "country": _("Follows the partner institution when one is chosen."),
        }

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = PartnerInstitution.objects.filter(
            Q(pk__in=plan.partners.values("pk")) | Q(pk=self.instance.partner_id)
        )
        self.fields["ends_on"].required = False
        self.fields["country"].choices = COUNTRIES_WITH_BLANK
        self.fields["time_zone"].choices = [("", "—")] + [(z, z) for z in time_zone_names()]
        for name, moment in (("start_time", "starts_at"), ("end_time", "ends_at")):
            value = getattr(self.instance, moment)
            if value and not self.is_bound:
                self.initial[name] = value.astimezone(JAPAN).time()

    def clean(self):
        cleaned = super().clean()
        kind, starts, ends = cleaned.get("kind"), cleaned.get("starts_on"), cleaned.get("ends_on")
        online = kind == Activity.Kind.ONLINE
        if online and starts:
            cleaned["ends_on"] = ends = starts
        elif starts and not ends and "ends_on" not in self.errors:
            self.add_error("ends_on", _("Give the last day."))
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The last day must not be before the first."))
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        if online and start and end and end <= start:
            self.add_error("end_time", _("The end must be after the start."))
        partner = cleaned.get("partner")
        if partner is not None:
            cleaned["country"] = partner.country
        if not cleaned.get("time_zone") and cleaned.get("country"):
            cleaned["time_zone"] = country_zone(str(cleaned["country"]))
        return cleaned

    def _post_clean(self):
        """An online session's moments from its day and times in Japan; none for a visit."""
        cleaned = self.cleaned_data
        online = cleaned.get("kind") == Activity.Kind.ONLINE
        day = cleaned.get("starts_on")
        for name, moment in (("start_time", "starts_at"), ("end_time", "ends_at")):
            value = cleaned.get(name)
            at = datetime.combine(day, value, tzinfo=JAPAN) if online and day and value else None
            setattr(self.instance, moment, at)
        super()._post_clean()


class BudgetLineForm(forms.ModelForm):
    class Meta:
        model = BudgetLine
        fields = ["activity", "category", "unit_cost_jpy", "quantity", "note"]
        widgets = {
            "category": LongSelect(keep_order=True),  # options in one pass, in every row
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


class BaseBudgetFormSet(RowsReadOnce, forms.BaseInlineFormSet):
    """Budget lines; in a plan made of activities (course D) each names its activity."""

    def __init__(self, *args, uses_activities=False, **kwargs):
        self.uses_activities = uses_activities
        super().__init__(*args, **kwargs)

    @cached_property
    def activity_choices(self):
        return [("", "—")] + [(a.pk, str(a)) for a in self.instance.activities.all()]

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if self.uses_activities:
            field = form.fields["activity"]
            field.queryset = self.instance.activities.all()
            field.required = True
            field.widget.choices = self.activity_choices  # listed once for every row
        else:
            del form.fields["activity"]

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
