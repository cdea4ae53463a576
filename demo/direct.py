"""The agency's direct invitations in the demo (JST Direct Invitation Program): the agency as
host institution, its program, seven-day course and this fiscal year's call (never open for
applications), one approved plan with a nominating body abroad, its contact's account and
three nominations, one of them selected into a participant with letters. Every step goes
through the real services; running the seed again changes nothing."""

from datetime import date, datetime, time, timedelta

from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts.models import User
from applications.models import (
    BudgetLine,
    InvitationPlan,
    ItineraryItem,
    PlannedInvitees,
    PlanState,
)
from common.dates import JAPAN
from demo.screening import answer_screening
from institutions.models import Institution, PartnerInstitution
from letters.domain.letters import issue_letter
from nominations.domain.plans import approve_direct_plan, create_direct_plan
from nominations.domain.selection import select_nominations
from nominations.models import NominatingBody, Nomination, Nominator
from programs.models import Call, Course, ParticipantCategory, Program, fiscal_year_of

from .people import give_demo_password

NOMINATOR_EMAIL = "nominator@example.org"
CANDIDATES = [
    # family, given, native, email, gender, category, selected
    ("NGUYEN", "Thi Lan", "Nguyễn Thị Lan", "lan@example.org", "female", "graduate", True),
    ("TRAN", "Van Minh", "Trần Văn Minh", "minh@example.org", "male", "postdoc", False),
    ("LE", "Hoang Anh", "Lê Hoàng Anh", "hoanganh@example.org", "male", "undergraduate", False),
]


def seed_direct():
    agency = seed_agency()
    call = seed_direct_call()
    plan = seed_direct_plan(agency, call)
    body = NominatingBody.objects.update_or_create(
        name_en="Ministry of Science and Technology of Viet Nam",
        defaults={"name_ja": "ベトナム科学技術省", "country": "VN", "kind": "ministry"},
    )[0]
    nominator = seed_nominator(plan, body)
    seed_nominations(plan, body, nominator)
    return plan


def seed_agency():
    agency, _created = Institution.objects.update_or_create(
        kind=Institution.Kind.AGENCY,
        defaults={
            "name_en": "Japan Science and Technology Agency",
            "name_ja": "国立研究開発法人科学技術振興機構",
            "prefecture": "13",
            "postal_code": "102-8666",
            "address": "東京都千代田区四番町5-3",
        },
    )
    PartnerInstitution.objects.update_or_create(
        host=agency,
        name="Hanoi University of Science and Technology",
        defaults={"country": "VN", "city": "Hanoi", "kind": PartnerInstitution.Kind.UNIVERSITY},
    )
    return agency


def seed_direct_call():
    """The program, its seven-day course and this fiscal year's call. The call's window for
    applications is an instant at the fiscal year's start: it never takes applications."""
    program, _created = Program.objects.update_or_create(
        code="direct",
        defaults={
            "name_en": "JST Direct Invitation Program",
            "name_ja": "JST直接招へいプログラム",
            "agency_hosted": True,
            "eligible_countries": [],
        },
    )
    course, _created = Course.objects.update_or_create(
        program=program,
        code="DIP",
        defaults={
            "name_en": "Direct invitation (seven days)",
            "name_ja": "直接招へい（7日間）",
            "max_days": 7,
            "min_invitees": 1,
            "max_invitees": 10,
            "age_limit": 40,
            "eligible_categories": [
                ParticipantCategory.UNDERGRADUATE,
                ParticipantCategory.GRADUATE,
                ParticipantCategory.POSTDOC,
                ParticipantCategory.RESEARCHER,
                ParticipantCategory.ESCORT,
            ],
            "per_person_cap_jpy": 500_000,
            "per_plan_cap_jpy": 5_000_000,
            "required_attachments": [],
        },
    )
    today = timezone.localdate()
    fiscal_year = fiscal_year_of(today)
    start = datetime.combine(date(fiscal_year, 4, 1), time(0), tzinfo=JAPAN)
    call, _created = Call.objects.update_or_create(
        program=program,
        fiscal_year=fiscal_year,
        round=1,
        defaults={
            "status": Call.Status.PUBLISHED,
            "opens_at": start,
            "closes_at": start,
            "exchange_starts_on": today - timedelta(days=30),
            "exchange_ends_on": today + timedelta(days=200),
            "budget_jpy": 60_000_000,
        },
    )
    call.courses.set([course])
    return call


def seed_direct_plan(agency, call):
    """An agency-hosted plan, drafted by the officer and approved without submission."""
    plan = InvitationPlan.objects.filter(call=call, host=agency).first()
    if plan is not None:
        return plan
    officer = User.objects.get(email="officer@example.org")
    start = timezone.localdate() + timedelta(days=45)
    plan = create_direct_plan(
        call=call,
        course=call.courses.get(),
        by=officer,
        title_en="Young leaders in semiconductor science",
        title_ja="半導体科学の若手リーダー招へい",
        field_of_science="engineering",
        arrival_on=start,
        departure_on=start + timedelta(days=6),
    )
    InvitationPlan.objects.filter(pk=plan.pk).update(
        objectives="Introduce future leaders of Viet Nam's semiconductor research to Japan.",
        expected_outcomes="Joint research proposals; lasting ties between laboratories.",
        contact_name=officer.full_name,
        contact_phone="+81-3-5214-0000",
        contact_email=officer.email,
    )
    plan.partners.set(agency.partners.filter(country="VN"))
    PlannedInvitees.objects.create(plan=plan, country="VN", category="graduate", count=3)
    PlannedInvitees.objects.create(plan=plan, country="VN", category="postdoc", count=1)
    days = [
        ("travel", "Arrival and welcome", "到着・歓迎会", "Narita Airport"),
        ("lecture", "Lecture: Japan's semiconductor research", "講義：日本の半導体研究", "JST"),
        ("site_visit", "Visit: a national laboratory", "見学：国立研究所", "Tsukuba"),
        ("lab_work", "Lab work: device fabrication", "実習：デバイス作製", "Tsukuba"),
        ("student_exchange", "Exchange with students", "学生との交流", "Tokyo"),
        ("cultural", "Culture day", "文化体験", "Tokyo"),
        ("travel", "Departure", "帰国", "Narita Airport"),
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
    BudgetLine.objects.create(plan=plan, category="airfare", unit_cost_jpy=120_000, quantity=4)
    BudgetLine.objects.create(
        plan=plan, category="accommodation", unit_cost_jpy=12_000, quantity=24, note="4 × 6"
    )
    BudgetLine.objects.create(
        plan=plan, category="per_diem", unit_cost_jpy=3_000, quantity=28, note="4 × 7 days"
    )
    answer_screening(plan, by=officer)
    return approve_direct_plan(plan, by=officer)


def seed_nominator(plan, body):
    user, created = User.objects.get_or_create(
        email=NOMINATOR_EMAIL,
        defaults={"full_name": "Pham Quoc Dung", "preferred_language": "en"},
    )
    if created or not user.has_usable_password():
        give_demo_password(user)
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    Nominator.objects.get_or_create(user=user, body=body, plan=plan)
    return user


def seed_nominations(plan, body, user):
    nominator = Nominator.objects.get(user=user, body=body, plan=plan)
    born = plan.arrival_on.replace(year=plan.arrival_on.year - 27)
    chosen = []
    for family, given, native, email, gender, category, selected in CANDIDATES:
        nomination, _created = Nomination.objects.get_or_create(
            plan=plan,
            email=email,
            defaults={
                "body": body,
                "nominator": nominator,
                "family_name": family,
                "given_name": given,
                "native_name": native,
                "date_of_birth": born,
                "gender": gender,
                "nationality": "VN",
                "category": category,
                "home_institution_name": "Hanoi University of Science and Technology",
                "motivation": "Among the best young researchers of the ministry's programmes.",
            },
        )
        if selected:
            chosen.append(nomination)
    officer = User.objects.get(email="officer@example.org")
    if plan.state == PlanState.APPROVED:
        select_nominations(plan, chosen, by=officer)  # a second run selects nobody again
    for nomination in Nomination.objects.filter(plan=plan, participant__isnull=False):
        issue_letter(nomination.participant)  # as a worker would (unchanged data: no new one)
