"""The host's export-control pre-check of a plan: questions, answers, security forms, and the
check that submission runs (registered with `applications.domain.checks` in apps.py).

The questions follow METI's guidance for receiving foreign researchers (安全保障輸出管理): ties to
entities on the End User List; listed technology, unless an exemption applies (basic
scientific research, publicly available knowledge); the "specific category" (特定類型) of
people under a foreign government's strong influence.
"""

import hashlib

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import (
    Exemption,
    ScreeningAccess,
    ScreeningAnswers,
    ScreeningMatch,
    SecurityForm,
    SecurityFormRequirement,
    Yes,
)

SECTION = "screening"


def security_forms_required(course):
    """Whether `course` asks for the security forms (course D in the demo): data on
    `SecurityFormRequirement`, the one place that answers it."""
    return SecurityFormRequirement.objects.filter(course=course, required=True).exists()


def plan_needs_security_forms(plan):
    """security_forms_required() of the plan's course, from what was read with the plan when
    the view used applications.domain.checks.with_check_facts()."""
    if getattr(plan, "check_facts", False):
        requirement = getattr(plan.course, "security_form_requirement", None)
        return bool(requirement and requirement.required)
    return security_forms_required(plan.course)


def answers_of(plan):
    """The plan's answers, or an unsaved empty row (read with the plan when the view used
    applications.domain.checks.with_check_facts())."""
    if getattr(plan, "check_facts", False):
        return getattr(plan, "screening", None) or ScreeningAnswers(plan=plan)
    return ScreeningAnswers.objects.filter(plan=plan).first() or ScreeningAnswers(plan=plan)


def missing_security_forms(plan):
    """The forms still missing: "host" and/or the partners (objects) without one."""
    if not plan_needs_security_forms(plan):
        return []
    forms = list(plan.security_forms.values_list("partner_id", flat=True))
    missing = [] if None in forms else ["host"]
    missing += [partner for partner in plan.partners.all() if partner.pk not in forms]
    return missing


def check_screening(plan, problems):
    """Add the screening's problems (section "screening", at their fields), all at once."""
    answers = answers_of(plan)
    for field in ("tied_to_listed_entity", "listed_technology", "specific_category"):
        if not getattr(answers, field):
            problems.add(
                SECTION,
                field,
                _("Answer: %(question)s")
                % {"question": ScreeningAnswers._meta.get_field(field).verbose_name},
            )
    if answers.listed_technology == Yes.YES and not answers.exemption:
        problems.add(
            SECTION, "exemption", _("Say whether an exemption applies to the listed technology.")
        )
    needs_explanation = (
        answers.tied_to_listed_entity == Yes.YES
        or answers.specific_category == Yes.YES
        or (answers.listed_technology == Yes.YES and answers.exemption == Exemption.NONE)
    )
    if needs_explanation and not answers.explanation.strip():
        problems.add(
            SECTION,
            "explanation",
            _("Explain the tie, the technology or the invitee's category, and how it is managed."),
        )
    for missing in missing_security_forms(plan):
        if missing == "host":
            problems.add(SECTION, "security_forms", _("Attach the host's security form (PDF)."))
        else:
            problems.add(
                SECTION,
                "security_forms",
                _("Attach the security form of %(partner)s (PDF).") % {"partner": missing.name},
            )


def save_answers(plan, data, *, by):
    """Store the host's answers. Side effects: the plan's ScreeningAnswers row saved."""
    answers = answers_of(plan)
    for field, value in data.items():
        setattr(answers, field, value)
    answers.updated_by = by
    answers.save()
    return answers


def add_security_form(plan, uploaded, *, partner, by):
    """Store a checked PDF (see forms.SecurityFormForm) for the host (partner None) or a
    partner, replacing that institution's earlier form. Side effects: file and row saved."""
    digest = hashlib.sha256()
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    with transaction.atomic():
        plan.security_forms.filter(partner=partner).delete()
        return SecurityForm.objects.create(
            plan=plan,
            partner=partner,
            file=uploaded,
            original_name=uploaded.name[:255],
            size=uploaded.size,
            sha256=digest.hexdigest(),
            uploaded_by=by,
        )


def matches_of_plan(plan):
    """Every match of the plan's partner institutions and its participants' home institutions."""
    return (
        ScreeningMatch.objects.filter(Q(partner__plans=plan) | Q(partner__participants__plan=plan))
        .select_related("partner", "entity__source_list", "resolved_by")
        .distinct()
    )


def record_view(actor, what, matches):
    """A row in the screening audit log: `actor` saw `matches` matches on page `what`."""
    return ScreeningAccess.objects.create(actor=actor, what=what[:300], matches=matches)


def resolve_match(match, *, by, reason):
    """Staff record why a match is no obstacle (or was cleared with the host).

    Side effects: the match's resolved_at, resolved_by and resolution saved. Approval of the
    plans that invite from this partner may then proceed.
    """
    reason = reason.strip()
    if not reason:
        raise ValueError("a resolution needs a reason")
    ScreeningMatch.objects.filter(pk=match.pk).update(
        resolved_at=timezone.now(), resolved_by=by, resolution=reason
    )
    match.refresh_from_db()
    return match
