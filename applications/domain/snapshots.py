"""Frozen copies of submitted plans, and a readable difference between two of them."""

from collections import Counter

from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from programs.models import FieldOfScience

from ..models import PlanVersion

# Stable keys in the stored data; labels are translated when shown.
FIELD_LABELS = {
    "call": gettext_lazy("Call"),
    "course": gettext_lazy("Course"),
    "host": gettext_lazy("Host institution"),
    "lead": gettext_lazy("Lead coordinator"),
    "title_ja": gettext_lazy("Title (Japanese)"),
    "title_en": gettext_lazy("Title (English)"),
    "field_of_science": gettext_lazy("Field of science"),
    "objectives": gettext_lazy("Objectives"),
    "expected_outcomes": gettext_lazy("Expected outcomes"),
    "arrival_on": gettext_lazy("Arrival"),
    "departure_on": gettext_lazy("Departure"),
    "contact_name": gettext_lazy("Contact person"),
    "contact_phone": gettext_lazy("Contact phone"),
    "contact_email": gettext_lazy("Contact email"),
}


def plan_as_data(plan):
    """The whole plan as plain JSON-able data, labels resolved (what reviewers will read)."""
    return {
        "reference": plan.reference,
        "fields": {
            "call": str(plan.call),
            "course": str(plan.course),
            "host": plan.host.name_en,
            "lead": plan.lead.full_name,
            "title_ja": plan.title_ja,
            "title_en": plan.title_en,
            "field_of_science": plan.field_of_science,
            "objectives": plan.objectives,
            "expected_outcomes": plan.expected_outcomes,
            "arrival_on": plan.arrival_on.isoformat() if plan.arrival_on else "",
            "departure_on": plan.departure_on.isoformat() if plan.departure_on else "",
            "contact_name": plan.contact_name,
            "contact_phone": plan.contact_phone,
            "contact_email": plan.contact_email,
        },
        "partners": sorted(f"{p.name} ({p.country.code})" for p in plan.partners.all()),
        "invitees": [
            {"country": row.country.code, "category": row.category, "count": row.count}
            for row in plan.invitees.all()
        ],
        "itinerary": [
            {
                "day": item.day.isoformat(),
                "start": item.start_time.strftime("%H:%M"),
                "end": item.end_time.strftime("%H:%M"),
                "kind": item.kind,
                "title_ja": item.title_ja,
                "title_en": item.title_en,
                "place": item.place,
            }
            for item in plan.itinerary.all()
        ],
        "budget": [
            {
                "category": line.category,
                "unit_cost_jpy": line.unit_cost_jpy,
                "quantity": line.quantity,
                "amount_jpy": line.amount_jpy,
                "note": line.note,
            }
            for line in plan.budget.all()
        ],
        "budget_total_jpy": sum(line.amount_jpy for line in plan.budget.all()),
        "attachments": [
            {"kind": a.kind, "name": a.original_name, "sha256": a.sha256, "size": a.size}
            for a in plan.attachments.all()
        ],
    }


def freeze_version(plan, *, by):
    """Store the next PlanVersion of `plan` (call inside the submission's transaction)."""
    latest = plan.versions.aggregate(latest=Max("number"))["latest"] or 0
    return PlanVersion.objects.create(
        plan=plan, number=latest + 1, data=plan_as_data(plan), created_by=by
    )


def _rows(data):
    """Each list in a version as readable lines, so a diff can say what was added or removed."""
    return {
        _("Partner institutions"): list(data["partners"]),
        _("Invitees"): [
            f"{r['count']} × {r['category']} ({r['country']})" for r in data["invitees"]
        ],
        _("Itinerary"): [
            f"{i['day']} {i['start']}–{i['end']} [{i['kind']}] {i['title_en']}"
            + (f" / {i['title_ja']}" if i["title_ja"] else "")
            + (f" @ {i['place']}" if i["place"] else "")
            for i in data["itinerary"]
        ],
        _("Budget"): [
            f"{b['category']}: ¥{b['unit_cost_jpy']:,} × {b['quantity']} = ¥{b['amount_jpy']:,}"
            + (f" ({b['note']})" if b["note"] else "")
            for b in data["budget"]
        ],
        _("Attachments"): [
            f"{a['kind']}: {a['name']} (sha256 {a['sha256'][:12]})" for a in data["attachments"]
        ],
    }


def diff_versions(old, new):
    """What changed from version `old` to `new`: changed fields, added and removed lines.

    Returns {"fields": [(label, old, new)], "lists": [(label, added, removed)], "total": …}.
    """
    old_fields, new_fields = old.data["fields"], new.data["fields"]
    fields = [
        (
            FIELD_LABELS.get(key, key),
            display_value(key, old_fields.get(key, "")),
            display_value(key, value),
        )
        for key, value in new_fields.items()
        if old_fields.get(key, "") != value
    ]
    old_rows, new_rows = _rows(old.data), _rows(new.data)
    lists = []
    for label, rows in new_rows.items():
        # Counted, so that removing one of two identical lines still shows.
        before, after = Counter(old_rows.get(label, [])), Counter(rows)
        added = list((after - before).elements())
        removed = list((before - after).elements())
        if added or removed:
            lists.append((label, added, removed))
    total = (old.data["budget_total_jpy"], new.data["budget_total_jpy"])
    return {"fields": fields, "lists": lists, "total": total if total[0] != total[1] else None}


def display_value(key, value):
    """A stored field value as people read it (choices stored by key are labelled)."""
    if key == "field_of_science":
        return dict(FieldOfScience.choices).get(value, value)
    return value


def readable(version):
    """A version's content as labelled fields and lists, for its page."""
    fields = [
        (FIELD_LABELS.get(key, key), display_value(key, value))
        for key, value in version.data["fields"].items()
    ]
    return fields, list(_rows(version.data).items())
