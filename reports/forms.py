"""Forms of the implementation report: the report itself (versioned), photos, staff review."""

import warnings

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from applications.domain.money import MAX_LINE_JPY
from common.forms import DatesWithinYearsMixin

from .domain.activities import expense_label, uses_activities
from .domain.attendance import MAX_ATTENDANCE
from .models import ImplementationReport

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
PHOTO_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png"}


def max_photo_bytes():
    return getattr(settings, "MAX_PHOTO_BYTES", 5 * 1024 * 1024)


def max_photo_pixels():
    """More than any phone camera takes (48 megapixels), far less than a decompression bomb:
    a few kilobytes of PNG can claim 100000 × 100000 pixels (10 GB once decoded)."""
    return getattr(settings, "MAX_PHOTO_PIXELS", 50_000_000)


class ReportForm(DatesWithinYearsMixin, forms.ModelForm):
    """The report's own fields; the version it was opened at guards against lost edits."""

    report_version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = ImplementationReport
        fields = [
            "actual_arrival_on",
            "actual_departure_on",
            "attended",
            "activities",
            "joint_papers",
            "agreements",
            "later_study_in_japan",
            "follow_up",
        ]
        widgets = {
            "actual_arrival_on": DATE,
            "actual_departure_on": DATE,
            "attended": forms.CheckboxSelectMultiple,
            "activities": forms.Textarea(attrs={"rows": 5}),
            "follow_up": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, instance, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("report_version", instance.version)
        super().__init__(*args, instance=instance, **kwargs)
        if uses_activities(instance.plan):
            # Reported per activity instead (ActivityPartForm): the dates and the people.
            for name in ("actual_arrival_on", "actual_departure_on", "attended"):
                del self.fields[name]
            return
        self.fields["attended"].queryset = instance.plan.participants.order_by(
            "family_name", "given_name", "pk"
        )

    def report_fields(self):
        """The cleaned values of the report's plain fields (not the M2M, not the version)."""
        return {
            name: self.cleaned_data[name]
            for name in self.Meta.fields
            if name != "attended" and name in self.cleaned_data
        }


class ExpensesForm(forms.Form):
    """One whole-yen amount per budget category of the report (per activity and category in a
    plan made of activities)."""

    def __init__(self, *args, expenses, **kwargs):
        super().__init__(*args, **kwargs)
        self.expenses = list(expenses)
        for expense in self.expenses:
            self.fields[expense.field_name] = forms.IntegerField(
                label=_("Actual %(category)s (JPY)") % {"category": expense_label(expense)},
                min_value=0,
                max_value=MAX_LINE_JPY,
                required=False,
                initial=expense.actual_jpy,
            )

    def rows(self):
        """(expense, bound field) for the table of approved against actual amounts."""
        return [(expense, self[expense.field_name]) for expense in self.expenses]

    def rows_of(self, activity_id):
        """The rows of one activity (None: the lines tied to no activity)."""
        return [row for row in self.rows() if row[0].activity_id == activity_id]

    def actuals(self):
        return {
            expense.field_name: self.cleaned_data.get(expense.field_name)
            for expense in self.expenses
        }


class ActivityPartForm(forms.Form):
    """What was done in one activity and, for an invitation or a dispatch, who took part:
    the registered participants of that activity (`people`, read once for the whole report)."""

    done = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), max_length=10_000, required=False
    )
    attended = forms.TypedMultipleChoiceField(
        label=_("Participants who took part"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave a registered participant unticked if they did not take part."),
    )

    def __init__(self, *args, part, people, **kwargs):
        ticked = [person.pk for person in part.attended.all()]
        kwargs.setdefault("initial", {"done": part.done, "attended": ticked})
        super().__init__(*args, prefix=f"activity-{part.activity_id}", **kwargs)
        self.part = part
        self.people = {person.pk: person for person in people}
        self.fields["done"].label = _("What was done in “%(activity)s”") % {
            "activity": part.activity.title
        }
        if part.activity.is_online:
            del self.fields["attended"]
        else:
            self.fields["attended"].choices = [
                (person.pk, person.passport_name) for person in people
            ]

    def value(self):
        """{"done": text, "attended": [participants]} for the domain's save."""
        chosen = self.cleaned_data.get("attended") or []
        return {
            "done": self.cleaned_data["done"],
            "attended": [self.people[pk] for pk in chosen if pk in self.people],
        }


def activity_part_forms(report, data=None):
    """One ActivityPartForm per activity row of `report` (interim or final): two queries for
    all of them (the rows with their ticks, and the plan's participants per activity)."""
    parts = list(report.activity_reports.select_related("activity").prefetch_related("attended"))
    people = {}
    for person in report.plan.participants.filter(activity__isnull=False).order_by(
        "family_name", "given_name", "pk"
    ):
        people.setdefault(person.activity_id, []).append(person)
    return [
        ActivityPartForm(data, part=part, people=people.get(part.activity_id, [])) for part in parts
    ]


class InterimReportForm(forms.Form):
    """The interim report's own field; the version it was opened at guards against lost edits."""

    report_version = forms.IntegerField(widget=forms.HiddenInput)
    follow_up = forms.CharField(
        label=_("Follow-up and explanations"),
        help_text=_("Explain here any line where the actual expense exceeds the approved one."),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=10_000,
        required=False,
    )


class AttendanceForm(forms.Form):
    """How many took part in an online session from each side, entered after it."""

    attendance_japan = forms.IntegerField(
        label=_("Attended from Japan"), min_value=0, max_value=MAX_ATTENDANCE
    )
    attendance_partner = forms.IntegerField(
        label=_("Attended from the partner's side"), min_value=0, max_value=MAX_ATTENDANCE
    )


class PhotoForm(forms.Form):
    image = forms.FileField(
        label=_("Photo (JPEG or PNG)"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
    )
    caption = forms.CharField(label=_("Caption"), max_length=200, required=False)

    def clean_image(self):
        """An image by its content, not its name: Pillow must read it as JPEG or PNG."""
        uploaded = self.cleaned_data["image"]
        limit = max_photo_bytes()
        if uploaded.size > limit:
            raise forms.ValidationError(
                _("The photo is %(size)s; the limit is %(limit)s.")
                % {"size": filesizeformat(uploaded.size), "limit": filesizeformat(limit)}
            )
        too_large = forms.ValidationError(
            _("The photo has more than %(limit)s million pixels. Please upload a smaller image.")
            % {"limit": max_photo_pixels() // 1_000_000}
        )
        try:
            # Image.open reads only the header: the pixels it declares are checked here, before
            # anything is decoded (Pillow itself refuses twice its own limit with an exception).
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", Image.DecompressionBombWarning)
                with Image.open(uploaded) as image:
                    image_format = image.format
                    width, height = image.size
                    if width * height > max_photo_pixels():
                        raise too_large
                    image.verify()
        except Image.DecompressionBombError as error:
            raise too_large from error
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
            raise forms.ValidationError(
                _("This file is not a photo. Please upload a JPEG or PNG image.")
            ) from error
        finally:
            uploaded.seek(0)
        if image_format not in PHOTO_FORMATS:
            raise forms.ValidationError(_("Please upload the photo as a JPEG or PNG image."))
        self.cleaned_data["content_type"] = PHOTO_FORMATS[image_format]
        return uploaded


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("What must be corrected"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )
