"""Frozen copies of submitted plans, and a readable difference between two of them.

The stored data keeps codes (categories, countries, kinds), which never change meaning, and
the names of the call, course and host in every language of the site; both become the
reader's words only when shown. Versions frozen before names were stored in both languages
hold one string: it is shown as it is.
"""

from collections import Counter

from django.conf import settings
from django.db.models import Max
from django.utils import translation
from django.utils.translation import gettext as _

from common.countries import country_name
from programs.labels import attachment_kind_label, budget_label, category_label
from programs.models import FieldOfScience

from ..labels import FIELD_LABELS, itinerary_kind_label, partner_label
from ..models import PlanVersion
from .money import requested_total


def in_every_language(thing):
    """str(thing) in each language of the site: {"en": "…", "ja": "…"}."""
    names = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            names[code] = str(thing)
    return names


def plan_as_data(plan):
    """The whole plan as plain JSON-able data (what reviewers will read).

    Choices are stored by code and names in every language, so that each reader can be
    shown them in their own language.
    """
    return {
        "reference": plan.reference,
        "fields": {
            "call": in_every_language(plan.call),
            "course": in_every_language(plan.course),
            "host": in_every_language(plan.host),
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
        "partners": sorted(
            ({"name": p.name, "country": p.country.code} for p in plan.partners.all()),
            key=lambda partner: (partner["name"], partner["country"]),
        ),
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
        "budget_total_jpy": requested_total(plan),
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
    """Each list in a version as lines in the reader's language, so that a diff can say
    what was added or removed."""
    return {
        _("Partner institutions"): [partner_label(p) for p in data["partners"]],
        _("Invitees"): [
            f"{r['count']} × {category_label(r['category'])} ({country_name(r['country'])})"
            for r in data["invitees"]
        ],
        _("Itinerary"): [
            f"{i['day']} {i['start']}–{i['end']} [{itinerary_kind_label(i['kind'])}] "
            f"{i['title_en']}"
            + (f" / {i['title_ja']}" if i["title_ja"] else "")
            + (f" @ {i['place']}" if i["place"] else "")
            for i in data["itinerary"]
        ],
        _("Budget"): [
            f"{budget_label(b['category'])}: ¥{b['unit_cost_jpy']:,} × {b['quantity']}"
            f" = ¥{b['amount_jpy']:,}" + (f" ({b['note']})" if b["note"] else "")
            for b in data["budget"]
        ],
        _("Attachments"): [
            f"{attachment_kind_label(a['kind'])}: {a['name']} (sha256 {a['sha256'][:12]})"
            for a in data["attachments"]
        ],
    }


def diff_versions(old, new):
    """What changed from version `old` to `new`: changed fields, added and removed lines.

    Returns {"fields": [(label, old, new)], "lists": [(label, added, removed)], "total": …}.
    """
    old_fields = old.data["fields"]
    fields = []
    for key, value in new.data["fields"].items():
        # Compared as read, so that a name stored in one language by an older version and
        # in both by a newer one is not reported as a change.
        before, after = display_value(key, old_fields.get(key, "")), display_value(key, value)
        if before != after:
            fields.append((FIELD_LABELS.get(key, key), before, after))
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
    """A stored field value as the reader reads it: choices stored by code are labelled,
    names stored in every language are given in the active one."""
    if isinstance(value, dict):
        return (
            value.get(translation.get_language())
            or value.get(settings.LANGUAGE_CODE)
            or next(iter(value.values()), "")
        )
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
