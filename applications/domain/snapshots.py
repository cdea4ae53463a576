"""Frozen copies of submitted plans, and a readable difference between two of them.

The stored data keeps codes (categories, countries, kinds), which never change meaning, and
the names of the call, course and host in every language of the site; both become the
reader's words only when shown. Versions frozen before names were stored in both languages
hold one string: it is shown as it is.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Max
from django.utils import translation
from django.utils.translation import gettext as _

from common.countries import country_name
from common.dates import jst
from programs.domain.rules import country_rules_for, plan_rules
from programs.labels import attachment_kind_label, budget_label, category_label
from programs.models import FieldOfScience

from ..labels import FIELD_LABELS, itinerary_kind_label, partner_label
from ..models import PlanVersion
from .checks import plan_rows
from .money import requested_total


@dataclass(frozen=True)
class FrozenPart:
    """A part of the frozen plan that a higher app owns (export-control screening): `as_data`
    gives it as JSON-able data for a plan; `as_rows` gives that data back as
    {label: [line]} in the reader's language, for the version page and "What changed"."""

    key: str
    as_data: object
    as_rows: object


# Filled by the higher apps' AppConfig.ready (`register_frozen_part`), so that this module
# imports none of them; `plan_as_data` adds each under its key.
FROZEN_PARTS = []


def register_frozen_part(key, as_data, as_rows):
    """Keep `as_data(plan)` under `key` in every frozen version, shown through `as_rows`."""
    if all(existing.key != key for existing in FROZEN_PARTS):
        FROZEN_PARTS.append(FrozenPart(key, as_data, as_rows))


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
    shown them in their own language. The rows `read_plan_rows` kept on `plan` are not read
    again.
    """
    invitees, partners, lines = plan_rows(plan)
    data = {
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
            ({"name": p.name, "country": p.country.code} for p in partners),
            key=lambda partner: (partner["name"], partner["country"]),
        ),
        "invitees": [
            {
                "country": row.country.code,
                "category": row.category,
                "count": row.count,
                "sending_institution": (
                    row.sending_institution.name if row.sending_institution_id else ""
                ),
            }
            for row in invitees
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
            for line in lines
        ],
        "budget_total_jpy": requested_total(plan, lines),
        "attachments": [
            {"kind": a.kind, "name": a.original_name, "sha256": a.sha256, "size": a.size}
            for a in plan.attachments.all()
        ],
        "registration_receipts": registration_receipts(plan),
    }
    for part in FROZEN_PARTS:
        data[part.key] = part.as_data(plan)
    return data


def registration_receipts(plan):
    """The receipt numbers the host entered for the partners' registrations (China), by
    partner name: those `check_country_rules` checked."""
    return sorted(
        (
            {"partner": r.partner.name, "country": r.partner.country.code, "number": r.number}
            for r in plan.registration_receipts.select_related("partner")
            if r.number
        ),
        key=lambda receipt: (receipt["partner"], receipt["country"]),
    )


def freeze_version(plan, *, by):
    """Store the next PlanVersion of `plan` (call inside the submission's transaction).

    The version also keeps which rules the plan was checked against (`rules`: the course's
    rule set, its fiscal year, version and source, and the country rules), so that a rule
    changed later never silently changes what this submission was judged by.
    """
    latest = plan.versions.aggregate(latest=Max("number"))["latest"] or 0
    data = plan_as_data(plan)
    data["rules"] = rules_record(plan)
    return PlanVersion.objects.create(plan=plan, number=latest + 1, data=data, created_by=by)


def rules_record(plan):
    """The rules `plan` is checked against, as JSON-able data: the course's (those
    `check_plan` read) and, by country code, those of its invitees' and partners' countries."""
    record = plan_rules(plan).as_record()
    invitees, partners, _lines = plan_rows(plan)
    codes = {row.country.code for row in invitees}
    codes |= {partner.country.code for partner in partners}
    record["countries"] = {
        code: {
            "fiscal_year": rule.fiscal_year,
            "version": rule.version,
            "airfare_cap_jpy": rule.airfare_cap_jpy,
            "registration_receipt_required": rule.registration_receipt_required,
            "source_ja": rule.source_ja,
            "source_en": rule.source_en,
        }
        for code, rule in sorted(country_rules_for(plan.call.fiscal_year, codes).items())
    }
    return record


def rules_checked_against(data):
    """What a frozen version says of the rules it was checked against, in the reader's
    language; "" for versions frozen before the rules were recorded."""
    record = data.get("rules")
    if not record:
        return ""
    if record.get("rule_set"):
        text = _(
            "Checked against the rules of course %(course)s for fiscal year %(year)s, "
            "version %(version)s."
        ) % {
            "course": record["course"],
            "year": record["fiscal_year"],
            "version": record["version"],
        }
    else:
        text = _("Checked against the standing rules of course %(course)s.") % {
            "course": record["course"]
        }
    source = record.get("source_ja") if translation.get_language() == "ja" else ""
    source = source or record.get("source_en")
    if source:
        text = _("%(rules)s Source: %(source)s") % {"rules": text, "source": source}
    return text


def _rows(data):
    """Each list in a version as lines in the reader's language, so that a diff can say
    what was added or removed."""
    rows = {
        _("Partner institutions"): [partner_label(p) for p in data["partners"]],
        _("Invitees"): [
            f"{r['count']} × {category_label(r['category'])} ({country_name(r['country'])})"
            + (f" — {r['sending_institution']}" if r.get("sending_institution") else "")
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
    # Parts that versions frozen before they were recorded do not have are left out.
    if "registration_receipts" in data:
        rows[_("Registration receipt numbers")] = [
            _("%(partner)s (%(country)s): %(number)s")
            % {
                "partner": r["partner"],
                "country": country_name(r["country"]),
                "number": r["number"],
            }
            for r in data["registration_receipts"]
        ]
    if data.get("declarations"):
        text = "text_ja" if translation.get_language() == "ja" else "text_en"
        rows[_("Declarations")] = [
            _("%(declaration)s (ticked by %(name)s, %(at)s)")
            % {
                "declaration": item[text],
                "name": item["ticked_by_name"],
                "at": jst(datetime.fromisoformat(item["ticked_at"])),
            }
            for item in data["declarations"]
        ]
    for part in FROZEN_PARTS:
        if part.key in data:
            rows.update(part.as_rows(data[part.key]))
    return rows


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
        if label not in old_rows:
            continue  # The older version did not record this part: nothing to compare.
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
