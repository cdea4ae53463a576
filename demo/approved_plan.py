"""The demo's approved plan of the decided call: drafted, submitted, decided and released
through the real functions, then dated back; with registered participants (one of them with
a portal account) and their letters."""

from contextlib import contextmanager
from datetime import date, time, timedelta

from allauth.account.models import EmailAddress
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import User
from applications.domain.declarations import required_declarations
from applications.domain.editing import add_attachment, create_plan
from applications.domain.states import submit_plan
from applications.models import (
    BudgetLine,
    InvitationPlan,
    ItineraryItem,
    PlannedInvitees,
    PlanState,
)
from demo.screening import answer_screening
from letters.domain.letters import issue_letter
from participants.models import Participant
from programs.models import AttachmentKind, Call
from reviews.domain.decisions import decide, release_decisions
from reviews.models import Decision

from .people import give_demo_password
from .plans import DEMO_PDF

TITLE_EN = "Marine biology summer lab"


@contextmanager
def open_again(call):
    """`call`, closed months ago, open for a moment: the demo's approved plan is submitted
    through the real rules, which refuse anything after the deadline. Then as it was."""
    was = Call.objects.filter(pk=call.pk).values("status", "closes_at").get()
    Call.objects.filter(pk=call.pk).update(
        status=Call.Status.PUBLISHED, closes_at=timezone.now() + timedelta(hours=1)
    )
    try:
        yield
    finally:
        Call.objects.filter(pk=call.pk).update(**was)


def seed_approved_plan(institutions, *, warn):
    """An approved plan of the decided call, with registered participants; one of them
    (participant@example.org) has activated their portal account."""
    call = Call.objects.get(program__code="ssp", status=Call.Status.DECIDED)
    host = institutions["sakura"]
    plan = InvitationPlan.objects.filter(call=call, host=host, title_en=TITLE_EN).first()
    if plan is None:
        plan = approve_demo_plan(call, host)
    elif not plan.versions.exists():
        warn(
            f"{plan.reference} was made by an older seed_demo: it has no submitted "
            "version, budget or decision. Start from an empty database to rebuild it."
        )
    partner = host.partners.get(country="TH")
    people = [
        ("SRISUK", "Malee", "มาลี ศรีสุข", "participant@example.org", "female", "graduate"),
        ("CHAIYO", "Somchai", "สมชาย ไชโย", "somchai@example.org", "male", "graduate"),
        ("WONG", "Anan", "อนันต์ วงศ์", "anan@example.org", "male", "escort"),
    ]
    for family, given, native, email, gender, category in people:
        participant, _created = Participant.objects.update_or_create(
            plan=plan,
            email=email,
            defaults={
                "family_name": family,
                "given_name": given,
                "native_name": native,
                "date_of_birth": date(2000, 5, 17),
                "gender": gender,
                "nationality": "TH",
                "home_institution": partner,
                "category": category,
                "first_stay_in_japan": True,
            },
        )
    # The first participant has accepted their invitation.
    participant = Participant.objects.get(plan=plan, email="participant@example.org")
    user, created = User.objects.get_or_create(
        email="participant@example.org",
        defaults={"full_name": "SRISUK Malee", "preferred_language": "en"},
    )
    if created or not user.has_usable_password():
        give_demo_password(user)
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    Participant.objects.filter(pk=participant.pk).update(user=user)
    # Their letters, as a worker would issue them (idempotent: unchanged data, no new one).
    for person in plan.participants.all():
        issue_letter(person)


def approve_demo_plan(call, host):
    """The plan goes the way real plans go, through the same functions: drafted by the
    coordinator, submitted (a frozen version), decided by the programme officer with an
    approved amount and released (a history row at each step). Then its dates are set
    back to when each step would have happened."""
    lead = User.objects.get(email="coordinator@example.org")
    officer = User.objects.get(email="officer@example.org")
    plan = create_plan(call=call, course=call.courses.get(code="A"), host=host, by=lead)
    start = timezone.localdate() + timedelta(days=20)
    InvitationPlan.objects.filter(pk=plan.pk).update(
        title_en=TITLE_EN,
        title_ja="海洋生物学サマーラボ",
        field_of_science="biology",
        objectives="Introduce graduate students to field and laboratory marine biology.",
        expected_outcomes="A joint sampling campaign; students apply for graduate study.",
        arrival_on=start,
        departure_on=start + timedelta(days=6),
        contact_name=lead.full_name,
        contact_phone="+81-3-1111-2222",
        contact_email=lead.email,
    )
    plan.refresh_from_db()
    plan.partners.set([host.partners.get(country="TH")])
    PlannedInvitees.objects.create(plan=plan, country="TH", category="graduate", count=4)
    PlannedInvitees.objects.create(plan=plan, country="TH", category="escort", count=1)
    days = [
        ("travel", "Arrival and welcome dinner", "到着・歓迎会", "Haneda Airport"),
        ("lecture", "Lecture: coral reef ecology", "講義：サンゴ礁の生態学", "Room 101"),
        ("lab_work", "Lab work: plankton sampling", "実習：プランクトン採集", "Marine Lab"),
        (
            "student_exchange",
            "Exchange with Japanese students",
            "日本人学生との交流",
            "Student hall",
        ),
        ("site_visit", "Visit: Tokyo Sea Life Park", "見学：葛西臨海水族園", "Kasai"),
        ("cultural", "Tea ceremony", "茶道体験", "Culture centre"),
        ("travel", "Departure", "帰国", "Haneda Airport"),
    ]
    for offset, (kind, title_en, title_ja, place) in enumerate(days):
        ItineraryItem.objects.create(
            plan=plan,
            day=start + timedelta(days=offset),
            start_time=time(9, 30),
            end_time=time(12, 0) if kind != "travel" else time(18, 0),
            kind=kind,
            title_en=title_en,
            title_ja=title_ja,
            place=place,
        )
    BudgetLine.objects.create(plan=plan, category="airfare", unit_cost_jpy=120_000, quantity=5)
    BudgetLine.objects.create(
        plan=plan,
        category="accommodation",
        unit_cost_jpy=12_000,
        quantity=30,
        note="5 people × 6 nights",
    )
    BudgetLine.objects.create(
        plan=plan, category="per_diem", unit_cost_jpy=3_000, quantity=35, note="5 × 7 days"
    )
    add_attachment(
        plan,
        AttachmentKind.PARTNER_CONSENT,
        SimpleUploadedFile("partner-consent.pdf", DEMO_PDF),
        by=lead,
        expected_version=plan.version,
    )
    answer_screening(plan, by=lead)
    with open_again(call):
        ticked = [item["code"] for item in required_declarations(plan)]
        submit_plan(plan, by=lead, declarations=ticked)
    decide(
        plan,
        Decision.Outcome.APPROVED,
        by=officer,
        approved_amount=1_050_000,  # of ¥1,065,000 requested
        conditions="Per diem is paid for the six days of the stay after arrival.",
    )
    release_decisions(call, by=officer)
    date_as_it_happened(plan, call)
    plan.refresh_from_db()
    return plan


def date_as_it_happened(plan, call):
    """Drafted three weeks and submitted a week before the call closed; reviewed from the
    next day; decided and released a month after closing."""
    drafted = call.closes_at - timedelta(days=21)
    submitted = call.closes_at - timedelta(days=7)
    released = call.closes_at + timedelta(days=30)
    InvitationPlan.objects.filter(pk=plan.pk).update(created_at=drafted, submitted_at=submitted)
    plan.attachments.update(uploaded_at=drafted + timedelta(days=2))
    plan.versions.update(created_at=submitted)
    plan.history.filter(to_state=PlanState.SUBMITTED).update(at=submitted)
    plan.history.filter(to_state=PlanState.UNDER_REVIEW).update(
        at=call.closes_at + timedelta(days=1)
    )
    plan.history.filter(to_state=PlanState.APPROVED).update(at=released)
    Decision.objects.filter(plan=plan).update(
        decided_at=released - timedelta(days=5), released_at=released
    )
