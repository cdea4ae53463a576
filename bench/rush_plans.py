"""The deadline rush's plans (bench/rush.py): made before the run, checked against what the
simulated coordinators were told after it. Runs inside Django, on the rush database."""

from datetime import time as clock_time
from datetime import timedelta

# Institutions of one, two or three coordinators, in this rotation (1.6 on average).
INSTITUTION_SIZES = [1, 2, 1, 3, 1]
INSTITUTION_KINDS = ["university", "university", "kosen", "university", "research_agency"]
PARTNER_COUNTRIES = ["TH", "VN", "ID", "IN", "PH", "MY", "CN", "MN"]
PREFECTURES = ["13", "27", "14", "23", "40", "26", "01", "04", "34", "46"]
INVITEES = [("graduate", 5), ("escort", 1)]
ITINERARY = [
    ("lecture", "Welcome and safety lecture", "歓迎・安全講習"),
    ("lab_work", "Laboratory practice", "実験実習"),
    ("site_visit", "Visit to a research institute", "研究所見学"),
]
BUDGET = [
    ("airfare", 150_000, 6, ""),
    ("accommodation", 12_000, 36, "6 people × 6 nights"),
    ("per_diem", 3_000, 42, ""),
]


def create_rush_data(users, closes_at):
    """One open call closing at `closes_at`; `users` coordinators, each leading a draft.

    Plans are made the way coordinators make them (create_plan, add_attachment) and are
    complete except for the objectives, which the simulated coordinator writes.
    Returns the plans.
    """
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import User
    from applications.domain.editing import add_attachment, create_plan
    from applications.models import BudgetLine, InvitationPlan, ItineraryItem, PlannedInvitees
    from demo.calls import LINE_CAPS, SSP_COURSES, STUDENTS
    from demo.plans import DEMO_PDF
    from institutions.models import Institution, Membership, PartnerInstitution
    from programs.models import AttachmentKind, Call, Course, Program, fiscal_year_of
    from screening.models import ScreeningAnswers

    today = timezone.localdate()
    with transaction.atomic():
        program = Program.objects.create(
            code="rush", name_en="Deadline Rush Program", name_ja="締切ラッシュプログラム"
        )
        course = Course.objects.create(
            program=program,
            min_invitees=1,
            age_limit=40,
            eligible_categories=STUDENTS,
            line_caps_jpy=LINE_CAPS,
            required_attachments=[AttachmentKind.PARTNER_CONSENT],
            **SSP_COURSES[0],
        )
        call = Call.objects.create(
            program=program,
            fiscal_year=fiscal_year_of(today),
            round=1,
            status=Call.Status.PUBLISHED,
            opens_at=timezone.now() - timedelta(days=30),
            closes_at=closes_at,
            exchange_starts_on=today + timedelta(days=80),
            exchange_ends_on=today + timedelta(days=200),
            budget_jpy=2_000_000_000,
        )
        call.courses.add(course)

        plans, number, index = [], 0, 0
        while number < users:
            size = min(INSTITUTION_SIZES[index % len(INSTITUTION_SIZES)], users - number)
            institution = Institution.objects.create(
                kind=INSTITUTION_KINDS[index % len(INSTITUTION_KINDS)],
                name_en=f"Rush University {index + 1:03d}",
                name_ja=f"締切大学{index + 1}",
                prefecture=PREFECTURES[index % len(PREFECTURES)],
                address="東京都千代田区1-1",
            )
            partner = PartnerInstitution.objects.create(
                host=institution,
                name=f"Partner University {index + 1:03d}",
                country=PARTNER_COUNTRIES[index % len(PARTNER_COUNTRIES)],
                kind=PartnerInstitution.Kind.UNIVERSITY,
            )
            for seat in range(size):
                number += 1
                user = User.objects.create_user(
                    email=f"coordinator{number:03d}@rush.invalid",
                    full_name=f"Rush Coordinator {number:03d}",
                    preferred_language="ja" if number % 3 == 0 else "en",
                )
                Membership.objects.create(
                    user=user,
                    institution=institution,
                    role=Membership.Role.ADMINISTRATOR if seat == 0 else Membership.Role.MEMBER,
                )
                plan = create_plan(call=call, course=course, host=institution, by=user)
                arrival = call.exchange_starts_on + timedelta(days=10 + number % 30)
                InvitationPlan.objects.filter(pk=plan.pk).update(
                    title_en=f"Hands-on research week {number:03d}",
                    title_ja=f"研究体験週間 {number:03d}",
                    field_of_science="engineering",
                    expected_outcomes="Joint workshop paper; students apply for graduate study.",
                    arrival_on=arrival,
                    departure_on=arrival + timedelta(days=6),
                    contact_name=user.full_name,
                    contact_phone="+81-3-0000-0000",
                    contact_email=user.email,
                )
                plan.partners.add(partner)
                ScreeningAnswers.objects.create(
                    plan=plan,
                    tied_to_listed_entity="no",
                    listed_technology="no",
                    specific_category="no",
                )
                PlannedInvitees.objects.bulk_create(
                    PlannedInvitees(plan=plan, country=partner.country, category=cat, count=count)
                    for cat, count in INVITEES
                )
                ItineraryItem.objects.bulk_create(
                    ItineraryItem(
                        plan=plan,
                        day=arrival + timedelta(days=offset + 1),
                        start_time=clock_time(9, 30),
                        end_time=clock_time(16),
                        kind=kind,
                        title_en=title_en,
                        title_ja=title_ja,
                        place=institution.name_ja,
                    )
                    for offset, (kind, title_en, title_ja) in enumerate(ITINERARY)
                )
                BudgetLine.objects.bulk_create(
                    BudgetLine(plan=plan, category=c, unit_cost_jpy=u, quantity=q, note=n)
                    for c, u, q, n in BUDGET
                )
                add_attachment(
                    plan,
                    AttachmentKind.PARTNER_CONSENT,
                    SimpleUploadedFile("partner-consent.pdf", DEMO_PDF),
                    by=user,
                    expected_version=plan.version,
                )
                plans.append(plan)
            index += 1
    return plans


def signed_in_sessions(plans):
    """A session cookie of each plan's lead, made with force_login, and the plan's pages."""
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    sessions = []
    for plan in plans:
        client = Client()
        client.force_login(plan.lead, backend="allauth.account.auth_backends.AuthenticationBackend")
        sessions.append(
            {
                "email": plan.lead.email,
                "cookie": settings.SESSION_COOKIE_NAME,
                "session": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "plan": plan.pk,
                "reference": plan.reference,
                "urls": {
                    "list": reverse("plan_list"),
                    "detail": reverse("plan_detail", args=[plan.pk]),
                    "basics": reverse("plan_edit_basics", args=[plan.pk]),
                    "partners": reverse("plan_edit_partners", args=[plan.pk]),
                    "itinerary": reverse("plan_edit_itinerary", args=[plan.pk]),
                    "budget": reverse("plan_edit_budget", args=[plan.pk]),
                    "submit": reverse("plan_submit", args=[plan.pk]),
                },
            }
        )
    return sessions


def check_value(stored, recorded, initial):
    """ "kept", "unconfirmed" (saved though the user saw an error) or "lost"."""
    expected = initial if recorded["confirmed"] is None else recorded["confirmed"]
    if stored == expected:
        return "kept"
    if stored in recorded["unconfirmed"]:
        return "unconfirmed"
    return "lost"


def check_drafts(plans, results):
    """Compare what each simulated coordinator was told with what the database holds.

    Returns (counts, problems): counts of plans checked, lost and submitted; one line per
    problem found.
    """
    from applications.models import InvitationPlan, PlanState

    problems, lost, unconfirmed, submitted, checked = [], set(), set(), 0, 0
    stored_plans = (
        InvitationPlan.objects.filter(pk__in=[plan.pk for plan in plans])
        .prefetch_related("budget", "itinerary", "invitees", "partners", "history", "versions")
        .in_bulk()
    )
    initial_titles = {title for _kind, title, _ja in ITINERARY}
    for plan_id, plan in stored_plans.items():
        recorded = results.get(str(plan_id))
        if recorded is None:  # never reached by a user: must be as it was made
            recorded = {
                "objectives": {"confirmed": None, "unconfirmed": []},
                "budget_note": {"confirmed": None, "unconfirmed": []},
                "itinerary": {"confirmed": [], "unconfirmed": []},
                "submit": {"confirmed": False, "attempted": False},
            }
        checked += 1
        lines = {line.pk: line for line in plan.budget.all()}
        first_line = min(lines)
        outcomes = {
            "objectives": check_value(plan.objectives, recorded["objectives"], ""),
            "budget note": check_value(lines[first_line].note, recorded["budget_note"], ""),
        }
        titles = [item.title_en for item in plan.itinerary.all()]
        added = [title for title in titles if title not in initial_titles]
        confirmed_titles = set(recorded["itinerary"]["confirmed"])
        missing = (initial_titles - set(titles)) | (confirmed_titles - set(added))
        strangers = set(added) - confirmed_titles - set(recorded["itinerary"]["unconfirmed"])
        if missing or len(added) != len(set(added)) or strangers:
            outcomes["itinerary"] = "lost"
        elif set(added) - confirmed_titles:
            outcomes["itinerary"] = "unconfirmed"
        people = sum(row.count for row in plan.invitees.all())
        if people != sum(count for _category, count in INVITEES) or len(plan.partners.all()) != 1:
            outcomes["invitees and partners"] = "lost"
        if len(lines) != len(BUDGET):
            outcomes["budget lines"] = "lost"
        for part, outcome in outcomes.items():
            if outcome == "lost":
                lost.add(plan_id)
                problems.append(f"{plan.reference}: {part} lost")
            elif outcome == "unconfirmed":
                unconfirmed.add(plan_id)
                problems.append(f"{plan.reference}: {part} saved, but the user saw an error")

        history = [(step.from_state, step.to_state) for step in plan.history.all()]
        versions = list(plan.versions.all())
        if recorded["submit"]["confirmed"]:
            submitted += 1
            if plan.state != PlanState.SUBMITTED:
                problems.append(f"{plan.reference}: submission confirmed, but it is {plan.state}")
            if history != [(PlanState.DRAFT, PlanState.SUBMITTED)] or len(versions) != 1:
                problems.append(
                    f"{plan.reference}: {len(history)} history rows and {len(versions)} versions"
                    " after one submission"
                )
            elif versions[0].data["fields"]["objectives"] != plan.objectives:
                problems.append(f"{plan.reference}: the submitted version lacks the last save")
        elif plan.state != PlanState.DRAFT and not recorded["submit"]["attempted"]:
            problems.append(f"{plan.reference}: never submitted, but it is {plan.state}")
        elif plan.state != PlanState.DRAFT:
            unconfirmed.add(plan_id)
            problems.append(f"{plan.reference}: submitted, but the user saw an error")
    counts = {
        "checked": checked,
        "lost": len(lost),
        "unconfirmed": len(unconfirmed),
        "submitted": submitted,
    }
    return counts, problems


def outbox_figures(plans, queue):
    """Notifications the submissions queued, and the tasks waiting in this run's own queue."""
    import redis
    from django.conf import settings

    from notifications.models import Notification

    rows = Notification.objects.filter(plan__in=plans).count()
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    published = broker.llen(queue)
    return rows, published
