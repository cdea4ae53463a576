"""Helpers for the view tests of plans: form data as a browser sends it, files, and snapshots.

Only the tests in test_views_*.py use these; the domain tests have their own.
"""

import hashlib
from datetime import date, time

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from applications.models import Attachment, InvitationPlan

# A small but real PDF: starts with %PDF- and ends with %%EOF.
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
# A Windows executable someone renamed to .pdf.
EXE = b"MZ\x90\x00" + b"\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" * 40

STALE_MESSAGE = "Someone else saved this plan after you opened the form."
NOT_EDITABLE_MESSAGE = "This plan can no longer be changed."

BASICS_FIELDS = [
    "title_ja",
    "title_en",
    "field_of_science",
    "objectives",
    "expected_outcomes",
    "arrival_on",
    "departure_on",
    "contact_name",
    "contact_phone",
    "contact_email",
]


def as_posted(value):
    """A model value as a browser would post it."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    return value


def basics_data(plan, *, version=None, **changes):
    """The basics form as it stands for `plan`, with `changes` typed in."""
    data = {name: as_posted(getattr(plan, name)) for name in BASICS_FIELDS}
    data["collaborators"] = list(plan.collaborators.values_list("pk", flat=True))
    data["plan_version"] = plan.version if version is None else version
    data.update(changes)
    return data


def budget_data(plan, rows, *, version=None):
    """The budget formset: `rows` are dicts; a row with "id" edits that line, others add one."""
    initial = [row for row in rows if row.get("id")]
    data = {
        "plan_version": plan.version if version is None else version,
        "budget-TOTAL_FORMS": len(rows),
        "budget-INITIAL_FORMS": len(initial),
        "budget-MIN_NUM_FORMS": 0,
        "budget-MAX_NUM_FORMS": 1000,
    }
    for index, row in enumerate(rows):
        for name in ("id", "category", "unit_cost_jpy", "quantity", "note"):
            data[f"budget-{index}-{name}"] = row.get(name, "")
    return data


def budget_rows(plan):
    """The plan's budget lines as formset rows, unchanged."""
    return [
        {
            "id": line.pk,
            "category": line.category,
            "unit_cost_jpy": line.unit_cost_jpy,
            "quantity": line.quantity,
            "note": line.note,
        }
        for line in plan.budget.all()
    ]


def invitees_data(plan, *, version=None):
    """The partners page with no change to partners and no invitee rows sent."""
    return {
        "plan_version": plan.version if version is None else version,
        "partners": list(plan.partners.values_list("pk", flat=True)),
        "invitees-TOTAL_FORMS": 0,
        "invitees-INITIAL_FORMS": 0,
        "invitees-MIN_NUM_FORMS": 0,
        "invitees-MAX_NUM_FORMS": 1000,
    }


def item_data(plan, *, version=None, **fields):
    data = {
        "plan_version": plan.version if version is None else version,
        "day": "2027-01-11",
        "start_time": "14:00",
        "end_time": "16:00",
        "kind": "lab_work",
        "title_en": "Clean-room visit",
        "title_ja": "クリーンルーム見学",
        "place": "Tsukuba",
    }
    data.update(fields)
    return data


def upload(content=PDF, name="consent.pdf"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def attach(plan, content=PDF, name="consent.pdf", kind="partner_consent"):
    """An attachment stored directly, for tests that are not about uploading."""
    return Attachment.objects.create(
        plan=plan,
        kind=kind,
        file=ContentFile(content, name=name),
        original_name=name,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=plan.lead,
    )


def snapshot(plan):
    """Everything about `plan` that a request could change, read fresh from the database."""
    plan = InvitationPlan.objects.get(pk=plan.pk)
    return {
        "version": plan.version,
        "state": plan.state,
        "fields": {name: getattr(plan, name) for name in BASICS_FIELDS},
        "collaborators": sorted(plan.collaborators.values_list("pk", flat=True)),
        "partners": sorted(plan.partners.values_list("pk", flat=True)),
        "invitees": list(plan.invitees.values_list("pk", "country", "category", "count")),
        "itinerary": list(
            plan.itinerary.values_list("pk", "day", "start_time", "title_en", "position")
        ),
        "budget": list(plan.budget.values_list("pk", "category", "unit_cost_jpy", "quantity")),
        "attachments": list(plan.attachments.values_list("pk", "sha256")),
        "history": list(plan.history.values_list("pk", flat=True)),
        "versions": list(plan.versions.values_list("number", flat=True)),
    }


def hidden_version(response):
    """The plan_version the page's form would post back (what the browser holds)."""
    return int(response.context["form"]["plan_version"].value())


def stored_files(root):
    return [path for path in root.rglob("*") if path.is_file()]
