"""Forms of the implementation report: the report itself (versioned), photos, staff review."""

import warnings

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from applications.domain.money import MAX_LINE_JPY
from common.forms import DatesWithinYearsMixin

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
    """One whole-yen amount per budget category of the report."""

    def __init__(self, *args, expenses, **kwargs):
        super().__init__(*args, **kwargs)
        self.expenses = list(expenses)
        for expense in self.expenses:
            self.fields[expense.category] = forms.IntegerField(
                label=_("Actual %(category)s (JPY)") % {"category": expense.get_category_display()},
                min_value=0,
                max_value=MAX_LINE_JPY,
                required=False,
                initial=expense.actual_jpy,
            )

    def rows(self):
        """(expense, bound field) for the table of approved against actual amounts."""
        return [(expense, self[expense.category]) for expense in self.expenses]

    def actuals(self):
        return {
            expense.category: self.cleaned_data.get(expense.category) for expense in self.expenses
        }


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
