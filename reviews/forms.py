from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import DatesWithinYearsMixin
from common.widgets import LongSelect
from programs.models import Call

from .models import Criterion, Decision, ReviewSetup

LOCAL_DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class DeclarationForm(forms.Form):
    has_conflict = forms.TypedChoiceField(
        label=_("Conflict of interest"),
        choices=[
            ("no", _("I have no conflict of interest with this plan")),
            ("yes", _("I have a conflict of interest")),
        ],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("If you have a conflict, what is it?"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you decline?"), widget=forms.Textarea(attrs={"rows": 2})
    )


class ReviewForm(forms.Form):
    """One score field per criterion of the call, and the two comments."""

    comment_to_staff = forms.CharField(
        label=_("Comment to staff"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    comment_to_applicant = forms.CharField(
        label=_("Comment to the applicant (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in reversed(criteria):
            choices = [("", "—")] + [
                (value, value) for value in range(criterion.scale_min, criterion.scale_max + 1)
            ]
            self.fields = {
                f"score_{criterion.pk}": forms.TypedChoiceField(
                    label=_("%(criterion)s (weight %(weight)s)")
                    % {"criterion": criterion.name, "weight": criterion.weight},
                    help_text=criterion.description,
                    choices=choices,
                    coerce=int,
                    empty_value=None,
                    required=False,
                ),
                **self.fields,
            }

    def scores(self):
        return {c.pk: self.cleaned_data.get(f"score_{c.pk}") for c in self.criteria}


class SetupForm(DatesWithinYearsMixin, forms.ModelForm):
    class Meta:
        model = ReviewSetup
        fields = ["reviewers_per_plan", "max_load", "deadline", "blind", "rank_by"]
        widgets = {"deadline": LOCAL_DATETIME}
        help_texts = {"deadline": _("Japan time (JST).")}


class CriterionForm(forms.ModelForm):
    class Meta:
        model = Criterion
        fields = ["name_en", "name_ja", "description", "weight", "scale_min", "scale_max"]
        widgets = {"description": forms.TextInput}

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("scale_min"), cleaned.get("scale_max")
        if low is not None and high is not None and low >= high:
            self.add_error("scale_max", _("The highest score must be above the lowest."))
        return cleaned


CriteriaFormSet = forms.inlineformset_factory(
    Call,
    Criterion,
    form=CriterionForm,
    extra=2,
    can_delete=True,
)


class ManualAssignmentForm(forms.Form):
    # 50 plans and every reviewer: options rendered in one pass (LongSelect), in the order given.
    plan = forms.ModelChoiceField(
        label=_("Plan"), queryset=None, widget=LongSelect(keep_order=True)
    )
    reviewer = forms.ModelChoiceField(
        label=_("Reviewer"), queryset=None, widget=LongSelect(keep_order=True)
    )

    def __init__(self, *args, plans, reviewers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = plans
        self.fields["reviewer"].queryset = reviewers


OUTCOME_CHOICES = [("", _("— not decided —")), *Decision.Outcome.choices]
