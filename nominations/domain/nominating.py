"""A body's contact nominates candidates: each is checked against the course's rules (the
rules in force for the call, `plan_rules`) at the field it concerns, before staff see it."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_countries import countries

from participants.domain.eligibility import age_on_arrival
from programs.domain.rules import plan_rules
from programs.models import ParticipantCategory

from ..models import Nomination


def nomination_problems(nomination):
    """{field: [message]} for every rule of the plan's course the candidate does not meet:
    category allowed, under the age limit on arrival (escorts aside), nationality eligible."""
    plan = nomination.plan
    rules = plan_rules(plan)
    course = plan.course
    problems = {}
    if rules.eligible_categories and nomination.category not in rules.eligible_categories:
        label = dict(ParticipantCategory.choices).get(nomination.category, nomination.category)
        problems["category"] = [
            _("The category “%(category)s” is not eligible for course %(course)s.")
            % {"category": label, "course": course.code}
        ]
    age = age_on_arrival(nomination.date_of_birth, plan)
    escort = nomination.category == ParticipantCategory.ESCORT
    if rules.age_limit and age is not None and age >= rules.age_limit and not escort:
        problems["date_of_birth"] = [
            _("Aged %(age)s on arrival (%(arrival)s); the course requires under %(limit)s.")
            % {"age": age, "arrival": plan.arrival_on, "limit": rules.age_limit}
        ]
    eligible = set(course.get_eligible_countries())
    nationality = str(nomination.nationality or "")
    if eligible and nationality not in eligible:
        problems["nationality"] = [
            _("Nationality %(country)s is not eligible for course %(course)s.")
            % {"country": countries.name(nationality) or nationality, "course": course.code}
        ]
    return problems


def save_nomination(nomination, *, by):
    """Create or change a nomination of the nominator's own body for its plan.

    Side effects: the row. Refused (PermissionDenied) for anyone who does not nominate for
    this body and plan, once the round is closed, or once staff decided on the nomination;
    ValidationError ({field: [message]}) when the candidate does not meet the course's rules.
    """
    allowed = (
        by.has_perm("nominations.edit_nomination", nomination)
        if nomination.pk
        else by.has_perm("nominations.nominate", nomination.plan)
    )
    if not allowed:
        raise PermissionDenied
    if nomination.pk is None:
        nominator = by.nominator_roles.filter(plan=nomination.plan, body=nomination.body).first()
        if nominator is None:
            raise PermissionDenied
        nomination.nominator = nominator
    problems = nomination_problems(nomination)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        nomination.save()
    return nomination


def withdraw_nomination(nomination, *, by):
    """The nominator takes a candidate back before staff decide. Side effect: the status."""
    if not by.has_perm("nominations.edit_nomination", nomination):
        raise PermissionDenied
    changed = Nomination.objects.filter(
        pk=nomination.pk, status=Nomination.Status.NOMINATED
    ).update(status=Nomination.Status.WITHDRAWN)
    if changed != 1:
        raise ValidationError(_("Staff have already decided on this nomination."))
    nomination.refresh_from_db()
    return nomination
