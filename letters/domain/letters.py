"""Issuing letters: the acceptance letter a participant needs for the visa (or, for one of the
host's people dispatched abroad in course D, the dispatch certificate instead), and the
decision letter to the host. Issuing is idempotent: the same data gives back the same letter;
changed data gives a new version and keeps the old one, marked replaced."""

import hashlib
import json
import logging
import secrets

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_countries import countries

from applications.domain.checks import company_pays_all_but_airfare
from applications.domain.money import approved_amount
from applications.models import InvitationPlan, PlanState
from notifications.models import Notification
from notifications.services import queue_notification
from participants.models import Participant
from programs.models import BudgetCategory, FieldOfScience

from ..models import Letter
from .rendering import date_en, date_ja, render_letter

logger = logging.getLogger(__name__)

# Only participants of these plans get letters: the plan has been approved and the stay is
# ahead or under way.

TEMPLATES = {
    Letter.Kind.ACCEPTANCE: "letters/pdf/acceptance.html",
    Letter.Kind.HOST_DECISION: "letters/pdf/host_decision.html",
    Letter.Kind.DISPATCH: "letters/pdf/dispatch.html",
}
# A participant has one of these at a time: the certificate of their direction.
PARTICIPANT_KINDS = (Letter.Kind.ACCEPTANCE, Letter.Kind.DISPATCH)

# Shown on the letters; production sets LETTER_AGENCY in the environment-driven settings.
DEFAULT_AGENCY = {
    "name_ja": "さくら科学交流機構",
    "name_en": "Sakura Science Exchange Agency",
    "department_ja": "さくらサイエンス交流事業推進部",
    "department_en": "Department of the Sakura Science Exchange Program",
    "signatory_ja": "部長",
    "signatory_en": "Director",
    "address_ja": "〒102-0076 東京都千代田区五番町7",
    "address_en": "7 Gobancho, Chiyoda-ku, Tokyo 102-0076, Japan",
}

# The letter is bilingual by design: both words are printed, whatever the reader's language.
OUTCOME_WORDS = {
    "approved": ("採択", "approved"),
    "waitlisted": ("補欠", "placed on the waiting list"),
    "rejected": ("不採択", "not approved"),
}

# Native names are set in the fonts of their script; Han characters differ between languages.
NATIVE_NAME_LANGUAGES = {
    "CN": "zh-Hans",
    "SG": "zh-Hans",
    "TW": "zh-Hant",
    "HK": "zh-Hant",
    "MO": "zh-Hant",
    "KR": "ko",
    "TH": "th",
    "VN": "vi",
    "LA": "lo",
    "KH": "km",
    "MM": "my",
    "LK": "si",
    "BD": "bn",
    "NP": "ne",
    "MN": "mn",
}

REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


class LetterRefused(Exception):
    """The letter cannot be issued (the plan is not approved, the decision not released)."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def participant_letter(participant):
    """(kind, data) of the letter `participant` is given: a dispatch certificate for one of
    the host's people dispatched abroad (never the acceptance letter, which invites a person
    to Japan for their visa), else the acceptance letter."""
    if participant.is_dispatched:
        if participant.activity_id is None:
            raise LetterRefused(
                _("%(name)s is dispatched abroad but on no dispatch of the plan: no letter.")
                % {"name": participant.passport_name}
            )
        return Letter.Kind.DISPATCH, dispatch_data(participant)
    return Letter.Kind.ACCEPTANCE, letter_data(participant)


def person_data(participant):
    """The person as a letter names them."""
    return {
        "passport_name": participant.passport_name,
        "native_name": participant.native_name,
        "native_name_lang": NATIVE_NAME_LANGUAGES.get(participant.nationality.code, ""),
        "nationality_ja": _in_language("ja", countries.name, participant.nationality.code),
        "nationality_en": _in_language("en", countries.name, participant.nationality.code),
        "date_of_birth_ja": date_ja(participant.date_of_birth),
        "date_of_birth_en": date_en(participant.date_of_birth),
        "home_institution": (
            participant.home_institution.name if participant.home_institution else ""
        ),
    }


def dispatch_data(participant):
    """Exactly what the dispatch certificate shows: that the agency's program dispatches the
    person (name, host institution, destination partner and country, the dispatch's dates,
    its purpose and the plan's title)."""
    plan, activity = participant.plan, participant.activity
    partner = activity.partner
    country = str(activity.country or (partner.country if partner else ""))
    return {
        "kind": Letter.Kind.DISPATCH.value,
        "participant": person_data(participant),
        # The plan's own dates (its year) are no stay of this person: the dispatch has its own.
        **{key: value for key, value in _plan_data(plan).items() if key != "stay"},
        "dispatch": {
            "title_ja": activity.title_ja,
            "title_en": activity.title_en,
            "partner": partner.name if partner else "",
            "country_ja": _in_language("ja", countries.name, country) if country else "",
            "country_en": _in_language("en", countries.name, country) if country else "",
            **_period(activity.starts_on, activity.ends_on),
        },
        "agency": agency(),
        "verification": verification(),
    }


def letter_data(participant):
    """Exactly what the acceptance letter shows, as JSON-ready values (no reference, no date
    of issue: those belong to the issued version, not to the data). In a plan made of
    activities, the stay is the person's invitation, not the plan's year."""
    plan = participant.plan
    data = {
        "kind": Letter.Kind.ACCEPTANCE.value,
        "participant": person_data(participant),
        **_plan_data(plan),
        "costs": cost_coverage(plan),
        "agency": agency(),
        "verification": verification(),
    }
    activity = participant.activity if participant.activity_id else None
    if activity is not None:
        data["stay"] = _period(activity.starts_on, activity.ends_on)
    return data


def host_decision_data(plan):
    """Exactly what the decision letter to the host shows."""
    decision = getattr(plan, "decision", None)
    outcome_ja, outcome_en = OUTCOME_WORDS[decision.outcome]
    amount = approved_amount(plan, decision)
    return {
        "kind": Letter.Kind.HOST_DECISION.value,
        **_plan_data(plan),
        "decision": {
            "outcome": decision.outcome,
            "outcome_ja": outcome_ja,
            "outcome_en": outcome_en,
            "approved_amount": f"¥{amount:,}" if amount is not None else "",
            "conditions": decision.conditions,
            "released_on_ja": date_ja(timezone.localtime(decision.released_at).date()),
            "released_on_en": date_en(timezone.localtime(decision.released_at).date()),
        },
        "costs": cost_coverage(plan) if decision.outcome == "approved" else [],
        "agency": agency(),
        "verification": verification(),
    }


def cost_coverage(plan):
    """Who covers which cost: the agency the plan's budgeted categories; when a company hosts a
    plan whose rules fund a company for airfare only (`company_pays_all_but_airfare`, the same
    rule as the budget check), the agency covers only international airfare and the host the
    rest."""
    categories = list(dict.fromkeys(plan.budget.order_by("pk").values_list("category", flat=True)))
    company_pays_the_rest = company_pays_all_but_airfare(plan)
    labels = dict(BudgetCategory.choices)
    rows = []
    for category in categories:
        by_agency = not company_pays_the_rest or category == BudgetCategory.AIRFARE
        rows.append(
            {
                "category": category,
                "label_ja": _in_language("ja", str, labels.get(category, category)),
                "label_en": _in_language("en", str, labels.get(category, category)),
                "covered_by": "agency" if by_agency else "host",
            }
        )
    if company_pays_the_rest and BudgetCategory.AIRFARE not in categories:
        rows.insert(
            0,
            {
                "category": BudgetCategory.AIRFARE.value,
                "label_ja": _in_language("ja", str, labels[BudgetCategory.AIRFARE]),
                "label_en": _in_language("en", str, labels[BudgetCategory.AIRFARE]),
                "covered_by": "agency",
            },
        )
    return rows


def agency():
    return {**DEFAULT_AGENCY, **getattr(settings, "LETTER_AGENCY", {})}


def verification():
    """Where the letter's QR code and printed address send a reader: the portal's address
    (SITE_URL). Part of the data, so that a letter issued before the portal moved is issued
    again at the new address."""
    return {"site": settings.SITE_URL.rstrip("/")}


def data_hash(data):
    """SHA-256 of the data as canonical JSON: equal data, equal fingerprint."""
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def issue_letter(participant):
    """Issue the participant's letter (`participant_letter`: the acceptance letter, or the
    dispatch certificate of a dispatched participant), or give back the current one if the
    data it shows has not changed.

    Side effects, in one transaction with the plan and then the participant locked (the one
    lock order, see `participants.domain.registry`): renders and stores a
    PDF under MEDIA_ROOT; creates a Letter (version n+1, status current); marks the previous
    current letter replaced (kept, pointing to the new one); sets
    participant.letters_issued_at when it was empty; a current letter of the other kind (the
    person's activity changed direction) is marked replaced by the new one. Raises
    LetterRefused unless the plan is approved or in progress.
    """
    with transaction.atomic():
        participant = lock_for_letter(participant)
        plan = participant.plan
        if plan.state not in PlanState.registration_open():
            raise LetterRefused(
                _(
                    "The plan %(reference)s is not approved (its state is “%(state)s”): "
                    "no letter can be issued."
                )
                % {"reference": plan.reference, "state": plan.get_state_display()}
            )
        started = timezone.now()
        kind, data = participant_letter(participant)
        letter = _issue(
            kind,
            plan=plan,
            participant=participant,
            data=data,
            stem=f"{plan.reference}-P{participant.pk:04d}",
        )
        Letter.objects.filter(
            participant=participant, status=Letter.Status.CURRENT, kind__in=PARTICIPANT_KINDS
        ).exclude(kind=kind).update(
            status=Letter.Status.REPLACED, replaced_at=letter.issued_at, replaced_by=letter
        )
        if participant.letters_issued_at is None:
            Participant.objects.filter(pk=participant.pk).update(letters_issued_at=letter.issued_at)
        if letter.issued_at >= started and participant.user is not None:
            queue_notification(
                participant.user,
                Notification.Kind.LETTER_ISSUED,
                plan=plan,
                context={"letter": letter},
            )
    return letter


def lock_for_letter(participant):
    """Lock the participant's plan, then the participant (the one lock order, written down in
    `participants.domain.registry`); returns the participant as locked, with its plan.

    The plan is locked FOR KEY SHARE: the letter and its notice point at the plan, and that is
    the lock their foreign keys take anyway, so it waits for a registration or an import that
    holds the plan (FOR UPDATE) but not for the letters of other participants of the plan,
    which several workers issue side by side. Taken only after the participant, it made a
    correction and a letter of the same person wait for each other (a deadlock).
    """
    plan_id = Participant.objects.values_list("plan_id", flat=True).get(pk=participant.pk)
    if connection.vendor == "postgresql":  # SQLite (make run) locks the whole file instead
        with connection.cursor() as cursor:
            # Django's select_for_update() has no FOR KEY SHARE.
            cursor.execute(
                f"SELECT 1 FROM {InvitationPlan._meta.db_table} WHERE id = %s FOR KEY SHARE",
                [plan_id],
            )
    return (
        Participant.objects.select_for_update(of=("self",))
        .select_related(
            "plan__host", "plan__course__program", "home_institution", "activity__partner"
        )
        .get(pk=participant.pk)
    )


def issue_host_decision_letter(plan):
    """Issue the letter announcing the released decision to the host (idempotent as above).

    Side effects, with the plan's row locked: stores a PDF and a Letter of kind host_decision,
    marking the previous one replaced when the decision's data changed. Raises LetterRefused
    while the decision is not made or not released.
    """
    with transaction.atomic():
        plan = (
            InvitationPlan.objects.select_for_update(of=("self",))
            .select_related("host", "course__program", "decision")
            .get(pk=plan.pk)
        )
        decision = getattr(plan, "decision", None)
        if decision is None or decision.released_at is None:
            raise LetterRefused(
                _("The decision on %(reference)s has not been released.")
                % {"reference": plan.reference}
            )
        return _issue(
            Letter.Kind.HOST_DECISION,
            plan=plan,
            participant=None,
            data=host_decision_data(plan),
            stem=f"{plan.reference}-D",
        )


def _issue(kind, *, plan, participant, data, stem):
    """The current letter if its data is unchanged; otherwise a new version. Caller locks."""
    digest = data_hash(data)
    letters = Letter.objects.filter(kind=kind, plan=plan, participant=participant)
    current = letters.filter(status=Letter.Status.CURRENT).first()
    if current is not None and current.data_hash == digest:
        return current
    version = (letters.aggregate(last=Max("version"))["last"] or 0) + 1
    # A random check code: references cannot be guessed from a plan's number, so the public
    # verification page cannot be walked to collect names.
    check = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))
    reference = f"{stem}-v{version}-{check}"
    issued_at = timezone.now()
    pdf = render_letter(TEMPLATES[kind], data, reference=reference, issued_at=issued_at)
    letter = Letter(
        kind=kind,
        plan=plan,
        participant=participant,
        reference=reference,
        version=version,
        data_hash=digest,
        data=data,
        sha256=hashlib.sha256(pdf).hexdigest(),
        issued_at=issued_at,
    )
    letter.file.save(letter.download_name, ContentFile(pdf), save=False)
    try:
        if current is not None:
            Letter.objects.filter(pk=current.pk).update(
                status=Letter.Status.REPLACED, replaced_at=issued_at
            )
        letter.save()
        if current is not None:
            Letter.objects.filter(pk=current.pk).update(replaced_by=letter)
    except Exception:
        letter.file.delete(save=False)
        raise
    logger.info("Issued letter %s (%s)", reference, kind)
    return letter


def _plan_data(plan):
    host, course = plan.host, plan.course
    field = plan.field_of_science
    field_label = dict(FieldOfScience.choices).get(field, field)
    return {
        "host": {"name_ja": host.name_ja, "name_en": host.name_en, "address": host.address},
        "plan": {
            "reference": plan.reference,
            "title_ja": plan.title_ja,
            "title_en": plan.title_en,
            "program_ja": course.program.name_ja,
            "program_en": course.program.name_en,
            "course_code": course.code,
            "course_ja": course.name_ja,
            "course_en": course.name_en,
        },
        "purpose": {
            "field_ja": _in_language("ja", str, field_label) if field else "",
            "field_en": _in_language("en", str, field_label) if field else "",
            "objectives": _shortened(plan.objectives, 400),
        },
        "stay": {
            "arrival_ja": date_ja(plan.arrival_on) if plan.arrival_on else "",
            "arrival_en": date_en(plan.arrival_on) if plan.arrival_on else "",
            "departure_ja": date_ja(plan.departure_on) if plan.departure_on else "",
            "departure_en": date_en(plan.departure_on) if plan.departure_on else "",
            "days": plan.stay_days or 0,
        },
    }


def _period(first, last):
    """An activity's days as a letter prints them (the keys of a stay in Japan)."""
    return {
        "arrival_ja": date_ja(first),
        "arrival_en": date_en(first),
        "departure_ja": date_ja(last),
        "departure_en": date_en(last),
        "days": (last - first).days + 1,
    }


def _shortened(text, limit):
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _in_language(language, function, *args):
    with translation.override(language):
        return str(function(*args))
