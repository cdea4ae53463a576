"""Staff select candidates among the nominations of an agency plan: each selected candidate
becomes a participant exactly once, and the round's end tells the others.

Lock order as everywhere (participants.domain.registry): the plan, then the nominations, then
the participants. Two presses of "Select" (or two staff at once) wait for each other on the
plan's row; the second finds the candidates selected already and changes nothing.
"""

from collections import defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.models import InvitationPlan
from letters.domain.batches import queue_letters
from notifications.models import Notification
from notifications.services import queue_notification
from participants.domain.eligibility import approved_places, places_left
from participants.domain.registry import save_participant
from participants.models import Direction, Participant

from ..models import Nomination, NominationRound


def _may_select(by):
    if not by.has_perm("nominations.manage_direct_invitations"):
        raise PermissionDenied


def participant_from(nomination, plan):
    """The unsaved participant a selected candidate becomes: the nomination's data, with the
    home institution matched by name among the plan's partners (else left empty)."""
    home = None
    if nomination.home_institution_name:
        home = plan.partners.filter(name__iexact=nomination.home_institution_name.strip()).first()
    return Participant(
        plan=plan,
        direction=Direction.INVITED,
        family_name=nomination.family_name,
        given_name=nomination.given_name,
        native_name=nomination.native_name,
        date_of_birth=nomination.date_of_birth,
        gender=nomination.gender,
        nationality=nomination.nationality,
        category=nomination.category,
        email=nomination.email,
        home_institution=home,
    )


def select_nominations(plan, nominations, *, by):
    """Select `nominations` of `plan`: each becomes a participant, once.

    Side effects, in one transaction with the plan's row locked: for each nomination still
    nominated, a Participant through `save_participant` (every registration rule), the
    nomination marked selected with who and when; the new participants' letters queued
    (the letters pipeline, as for any participant); a notice to each nominator concerned.
    Nominations selected already are left as they are (a second press creates nothing).
    Refused whole (ValidationError) beyond the plan's places, or when a candidate fails a
    registration rule. Returns the participants created.
    """
    _may_select(by)
    ids = [nomination.pk for nomination in nominations]
    with transaction.atomic():
        plan = InvitationPlan.objects.select_for_update().get(pk=plan.pk)
        pending = list(
            Nomination.objects.select_for_update(of=("self",))
            .select_related("nominator__user")
            .filter(plan=plan, pk__in=ids, status=Nomination.Status.NOMINATED)
            .order_by("pk")
        )
        if not pending:
            return []
        left = places_left(plan)
        if len(pending) > left:
            raise ValidationError(
                _(
                    "The plan has %(places)s places and %(left)s are left: select at most "
                    "%(left)s candidates."
                )
                % {"places": approved_places(plan), "left": max(left, 0)}
            )
        created = []
        now = timezone.now()
        for nomination in pending:
            try:
                participant, _flags = save_participant(participant_from(nomination, plan), by=by)
            except ValidationError as error:
                raise ValidationError(
                    _("%(name)s cannot become a participant: %(problems)s")
                    % {"name": nomination.passport_name, "problems": " ".join(error.messages)}
                ) from error
            nomination.status = Nomination.Status.SELECTED
            nomination.participant = participant
            nomination.decided_by = by
            nomination.decided_at = now
            nomination.save(update_fields=["status", "participant", "decided_by", "decided_at"])
            created.append(participant)
        queue_letters([participant.pk for participant in created])
        _notify_nominators(plan, pending)
    return created


def close_nominations(plan, *, by):
    """End the round: no more nominations; every candidate not selected is told so.

    Side effects, in one transaction with the plan's row locked: the round's closing time and
    who closed it; each nomination still nominated marked not selected; a notice to each
    nominator concerned. Closing a closed round changes nothing.
    """
    _may_select(by)
    with transaction.atomic():
        plan = InvitationPlan.objects.select_for_update().get(pk=plan.pk)
        nomination_round, _created = NominationRound.objects.get_or_create(plan=plan)
        if not nomination_round.is_open:
            return nomination_round
        now = timezone.now()
        nomination_round.closed_at = now
        nomination_round.closed_by = by
        nomination_round.save(update_fields=["closed_at", "closed_by"])
        others = list(
            Nomination.objects.select_for_update(of=("self",))
            .select_related("nominator__user")
            .filter(plan=plan, status=Nomination.Status.NOMINATED)
        )
        Nomination.objects.filter(pk__in=[n.pk for n in others]).update(
            status=Nomination.Status.NOT_SELECTED, decided_by=by, decided_at=now
        )
        for nomination in others:
            nomination.status = Nomination.Status.NOT_SELECTED
        _notify_nominators(plan, others)
    return nomination_round


def reopen_nominations(plan, *, by):
    """Take nominations again (e.g. a body asked for more time). Side effect: the round."""
    _may_select(by)
    NominationRound.objects.update_or_create(
        plan=plan, defaults={"closed_at": None, "closed_by": None}
    )


def _notify_nominators(plan, nominations):
    """One notice per nominator, listing their candidates just decided."""
    by_nominator = defaultdict(list)
    for nomination in nominations:
        if nomination.nominator_id is not None:
            by_nominator[nomination.nominator.user].append(nomination)
    for user, decided in by_nominator.items():
        queue_notification(
            user,
            Notification.Kind.NOMINATIONS_DECIDED,
            plan=plan,
            context={"nominations": decided},
        )
