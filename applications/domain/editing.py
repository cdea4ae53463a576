"""Creating, copying and editing plans, safe when two people edit the same draft.

Every edit goes through `editing()`: it locks the plan, refuses a stale form (optimistic
locking with `InvitationPlan.version`) or a plan that is no longer editable, and raises the
version when the edit is saved. Views never touch `state` or `version` themselves.
"""

import hashlib
from contextlib import contextmanager
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.prepared import PreparedQuery
from institutions.models import Institution
from institutions.rules import is_member
from programs.models import Call

from ..models import Activity, Attachment, InvitationPlan, ItineraryItem, PlanState

PLAN_FIELDS_COPIED = [
    "title_ja",
    "title_en",
    "field_of_science",
    "objectives",
    "expected_outcomes",
    "contact_name",
    "contact_phone",
    "contact_email",
]


class StaleEdit(Exception):
    """Someone else saved the plan after this form was opened."""

    message = _(
        "Someone else saved this plan after you opened the form. Your input is kept below: "
        "check the current plan and save again."
    )


class NotEditable(Exception):
    message = _("This plan can no longer be changed.")


class NoDatesToShift(Exception):
    message = _("The plan to copy has no arrival date: leave the new arrival date empty.")


def create_plan(*, call, course, host, by, copy_of=None, arrival_on=None):
    """A new draft in `call`, numbered in the call (e.g. SSP-2026-3-0042).

    Side effects: locks the call row to number plans without gaps or clashes; with
    `copy_of`, copies its texts, partners, invitees, activities (course D), itinerary and
    budget, each budget line tied to the copy of its activity (not attachments, history or
    versions), and its stay dates. With `arrival_on` too, every date of the copy (arrival,
    departure, each itinerary day, each activity's days and moments) moves by the days
    between the source's arrival and `arrival_on`; NoDatesToShift if the source has none.
    """
    # Coordinators apply for their own institution only; agency staff create the agency's
    # own plans (direct invitations) in a program the agency hosts.
    agency_plan = host.kind == Institution.Kind.AGENCY and call.program.agency_hosted
    if not (is_member(by, host) or (agency_plan and by.has_perm("applications.manage_plans"))):
        raise PermissionDenied
    if copy_of is not None and copy_of.host_id != host.pk:
        raise PermissionDenied
    shift = copy_shift(copy_of, arrival_on)
    with transaction.atomic():
        locked_call = Call.objects.select_for_update().select_related("program").get(pk=call.pk)
        number = (locked_call.plans.aggregate(last=Max("number"))["last"] or 0) + 1
        plan = InvitationPlan.objects.create(
            call=locked_call,
            course=course,
            host=host,
            lead=by,
            number=number,
            reference=f"{locked_call.reference_prefix}-{number:04d}",
            copied_from=copy_of,
            **_copied_fields(copy_of, shift) if copy_of else {},
        )
        if copy_of is not None:
            _copy_contents(copy_of, plan, shift)
    return plan


def copy_shift(source, arrival_on):
    """The days a copy of `source` moves by so that it arrives on `arrival_on` (none when
    `arrival_on` is None). Raises NoDatesToShift when `source` has no arrival date."""
    if source is None or arrival_on is None:
        return timedelta(0)
    if source.arrival_on is None:
        raise NoDatesToShift
    return arrival_on - source.arrival_on


def _moved(day, shift):
    return day + shift if day is not None else None


def _copied_fields(source, shift):
    return {
        **{name: getattr(source, name) for name in PLAN_FIELDS_COPIED},
        "arrival_on": _moved(source.arrival_on, shift),
        "departure_on": _moved(source.departure_on, shift),
    }


def _copy_contents(source, plan, shift):
    plan.partners.set(source.partners.all())
    activities = _copy_activities(source, plan, shift)
    for related in ("invitees", "itinerary", "budget"):
        rows = list(getattr(source, related).all())
        for row in rows:
            row.pk = None
            row.plan = plan
            if related == "itinerary":
                row.day = row.day + shift
            if related == "budget" and row.activity_id:
                row.activity = activities[row.activity_id]  # the copy's own activity
        type(rows[0]).objects.bulk_create(rows) if rows else None


def _copy_activities(source, plan, shift):
    """Copy `source`'s activities (course D) to `plan`, without what was attended, each moved
    by `shift`; returns {the source activity's id: its copy}. The plan's stay, copied with
    the same shift, stays the span of its activities."""
    copies = {}
    for activity in source.activities.all():
        old_pk = activity.pk
        activity.pk = None
        activity.plan = plan
        activity.attendance_japan = activity.attendance_partner = None
        activity.starts_on, activity.ends_on = activity.starts_on + shift, activity.ends_on + shift
        activity.starts_at = _moved(activity.starts_at, shift)
        activity.ends_at = _moved(activity.ends_at, shift)
        copies[old_pk] = activity
    Activity.objects.bulk_create(copies.values())
    return copies


# The plan an edit locks: every save reads it, by a query compiled once per process.
_LOCKED = PreparedQuery(lambda pk: InvitationPlan.objects.select_for_update().filter(pk=pk))


@contextmanager
def editing(plan, *, by, expected_version):
    """Lock `plan` for one edit by `by`; raise its version when the block succeeds.

    Raises PermissionDenied (not an editor), NotEditable (wrong state) or StaleEdit
    (someone saved in between). Yields the locked plan.
    """
    if not by.has_perm("applications.view_plan", plan):
        raise PermissionDenied  # checked before the state, which is not theirs to learn
    if plan.state not in PlanState.editable_states():
        raise NotEditable
    if not by.has_perm("applications.edit_plan", plan):
        raise PermissionDenied
    with transaction.atomic():
        locked = _LOCKED.get(pk=plan.pk)
        if not locked.is_editable:
            raise NotEditable
        if locked.version != expected_version:
            raise StaleEdit
        yield locked
        InvitationPlan.objects.filter(pk=plan.pk).update(
            version=F("version") + 1, updated_at=timezone.now()
        )
    plan.version = expected_version + 1


def move_itinerary_item(item, step, *, by, expected_version):
    """Swap `item` with its neighbour in the same day (step -1 up, +1 down)."""
    with editing(item.plan, by=by, expected_version=expected_version):
        day = list(item.plan.itinerary.filter(day=item.day))
        index = next(i for i, other in enumerate(day) if other.pk == item.pk)
        target = index + step
        if 0 <= target < len(day):
            day[index], day[target] = day[target], day[index]
            for position, other in enumerate(day):
                other.position = position
            ItineraryItem.objects.bulk_update(day, ["position"])


def copy_itinerary_day(plan, from_day, to_day, *, by, expected_version):
    """Copy every item of `from_day` to `to_day` (after what that day already has)."""
    with editing(plan, by=by, expected_version=expected_version):
        start = plan.itinerary.filter(day=to_day).count()
        copies = []
        for offset, item in enumerate(plan.itinerary.filter(day=from_day)):
            item.pk = None
            item.day = to_day
            item.position = start + offset
            copies.append(item)
        ItineraryItem.objects.bulk_create(copies)
    return len(copies)


def add_attachment(plan, kind, uploaded, *, by, expected_version):
    """Store a checked PDF (see forms.AttachmentForm) with its size and SHA-256."""
    digest = hashlib.sha256()
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    with editing(plan, by=by, expected_version=expected_version):
        attachment = Attachment(
            plan=plan,
            kind=kind,
            original_name=uploaded.name[:200],
            size=uploaded.size,
            sha256=digest.hexdigest(),
            uploaded_by=by,
        )
        attachment.file.save(attachment.original_name, uploaded, save=False)
        attachment.save()
    return attachment


def remove_attachment(attachment, *, by, expected_version):
    with editing(attachment.plan, by=by, expected_version=expected_version):
        attachment.file.delete(save=False)
        attachment.delete()
