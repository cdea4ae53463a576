"""Demo programs, courses and calls: the Sakura Science Exchange Program's courses A–D as
in the FY2024 guidelines, NEXUS for ASEAN, and three calls of the current fiscal year (one
decided, two open now)."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from common.dates import JAPAN
from programs.models import (
    AttachmentKind,
    Call,
    Course,
    ParticipantCategory,
    Program,
    fiscal_year_of,
)

STUDENTS = [
    ParticipantCategory.HIGH_SCHOOL,
    ParticipantCategory.UNDERGRADUATE,
    ParticipantCategory.GRADUATE,
    ParticipantCategory.POSTDOC,
    ParticipantCategory.RESEARCHER,
    ParticipantCategory.TEACHER,
    ParticipantCategory.ESCORT,
]
AFRICA_AND_INDIA = [
    "IN",
    "DZ",
    "AO",
    "BJ",
    "BW",
    "BF",
    "BI",
    "CV",
    "CM",
    "CF",
    "TD",
    "KM",
    "CG",
    "CD",
    "CI",
    "DJ",
    "EG",
    "GQ",
    "ER",
    "SZ",
    "ET",
    "GA",
    "GM",
    "GH",
    "GN",
    "GW",
    "KE",
    "LS",
    "LR",
    "LY",
    "MG",
    "MW",
    "ML",
    "MR",
    "MU",
    "MA",
    "MZ",
    "NA",
    "NE",
    "NG",
    "RW",
    "ST",
    "SN",
    "SC",
    "SL",
    "SO",
    "ZA",
    "SS",
    "SD",
    "TZ",
    "TG",
    "TN",
    "UG",
    "ZM",
    "ZW",
]
ASEAN = ["BN", "KH", "ID", "LA", "MY", "MM", "PH", "SG", "TH", "VN", "TL"]

# Courses of the Sakura Science Exchange Program, FY2024 guidelines.
SSP_COURSES = [
    {
        "code": "A",
        "name_en": "Science and Technology Experience",
        "name_ja": "科学技術体験コース",
        "max_days": 7,
        "max_invitees": 8,
        "per_person_cap_jpy": 450_000,
        "per_plan_cap_jpy": 3_600_000,
        # A company host is funded for international airfare only (guidelines FY2024).
        "company_airfare_only": True,
    },
    {
        "code": "B",
        "name_en": "Collaborative Research Activities",
        "name_ja": "共同研究活動コース",
        "max_days": 21,
        "max_invitees": 8,
        "per_person_cap_jpy": 700_000,
        "per_plan_cap_jpy": 5_600_000,
        # A company host is funded for international airfare only (guidelines FY2024).
        "company_airfare_only": True,
    },
    {
        "code": "C",
        "name_en": "Science and Technology Training",
        "name_ja": "科学技術研修コース",
        "max_days": 10,
        "max_invitees": 12,
        "per_person_cap_jpy": 500_000,
        "per_plan_cap_jpy": 6_000_000,
        # A company host is funded for international airfare only (guidelines FY2024).
        "company_airfare_only": True,
    },
    {
        "code": "D",
        "name_en": "Annual Mutual Exchange",
        "name_ja": "年間相互交流コース",
        "max_days": 14,
        "max_invitees": 10,
        "per_person_cap_jpy": 600_000,
        "per_plan_cap_jpy": 8_000_000,
        "eligible_countries": AFRICA_AND_INDIA,
        "first_stay_required": False,  # no first-stay rule in course D (guidelines FY2024)
    },
]

# Course D's plans are made of activities (invitations, dispatches, online sessions), each
# kind with its limits: demo figures, not the agency's (set on the rule sets, demo/rules.py).
COURSE_D_ACTIVITY_LIMITS = {
    "invitation": {"max_people": 10, "max_days": 14, "max_jpy": 6_000_000},
    "dispatch": {"max_people": 10, "max_days": 14, "max_jpy": 6_000_000},
    "online": {"max_people": 200},
}
ACTIVITIES_BY_COURSE = {"D": COURSE_D_ACTIVITY_LIMITS}

# Demo caps per unit: a night's accommodation and a day's allowance.
LINE_CAPS = {"accommodation": 15_000, "per_diem": 5_000}


def japan_time(day, hour, minute=0):
    return datetime.combine(day, time(hour, minute), tzinfo=JAPAN)


def seed_programs():
    ssp, _ = Program.objects.update_or_create(
        code="ssp",
        defaults={
            "name_en": "Sakura Science Exchange Program",
            "name_ja": "さくらサイエンスプログラム",
            "eligible_countries": [],
        },
    )
    nexus, _ = Program.objects.update_or_create(
        code="nexus",
        defaults={
            "name_en": "NEXUS (ASEAN)",
            "name_ja": "NEXUS（ASEAN）",
            "eligible_countries": ASEAN,
        },
    )
    for data in SSP_COURSES:
        data = dict(data)
        code = data.pop("code")
        categories = STUDENTS if code != "D" else STUDENTS[1:]
        Course.objects.update_or_create(
            program=ssp,
            code=code,
            defaults=dict(
                min_invitees=1,
                age_limit=40,
                eligible_categories=categories,
                line_caps_jpy=LINE_CAPS,
                required_attachments=[AttachmentKind.PARTNER_CONSENT],
                **data,
            ),
        )
    Course.objects.update_or_create(
        program=nexus,
        code="N",
        defaults={
            "name_en": "Joint Research with ASEAN",
            "name_ja": "ASEAN共同研究コース",
            "max_days": 21,
            "min_invitees": 1,
            "max_invitees": 8,
            "age_limit": 40,
            "eligible_categories": STUDENTS[1:],
            "per_person_cap_jpy": 700_000,
            "per_plan_cap_jpy": 5_600_000,
            "line_caps_jpy": LINE_CAPS,
            "required_attachments": [AttachmentKind.PARTNER_CONSENT],
        },
    )
    return {"ssp": ssp, "nexus": nexus}


def seed_calls(programs):
    today = timezone.localdate()
    fiscal_year = fiscal_year_of(today)
    ssp = programs["ssp"]
    calls = [
        # Closed earlier this fiscal year, decisions released.
        {
            "program": ssp,
            "fiscal_year": fiscal_year,
            "round": 2,
            "status": Call.Status.DECIDED,
            "opens_at": japan_time(today - timedelta(days=150), 10),
            "closes_at": japan_time(today - timedelta(days=90), 17),
            "exchange_starts_on": today - timedelta(days=30),
            "exchange_ends_on": today + timedelta(days=100),
            "budget_jpy": 300_000_000,
        },
        # Open now, closing in three weeks at 17:00 Japan time.
        {
            "program": ssp,
            "fiscal_year": fiscal_year,
            "round": 3,
            "status": Call.Status.PUBLISHED,
            "opens_at": japan_time(today - timedelta(days=14), 10),
            "closes_at": japan_time(today + timedelta(days=21), 17),
            "exchange_starts_on": today + timedelta(days=80),
            "exchange_ends_on": today + timedelta(days=200),
            "budget_jpy": 450_000_000,
        },
        # Closed ten days ago, in review: twenty plans, three reviewers, the ranking and its
        # cut line (demo/ranking.py).
        {
            "program": programs["nexus"],
            "fiscal_year": fiscal_year,
            "round": 1,
            "status": Call.Status.REVIEWING,
            "opens_at": japan_time(today - timedelta(days=70), 10),
            "closes_at": japan_time(today - timedelta(days=10), 17),
            "exchange_starts_on": today + timedelta(days=40),
            "exchange_ends_on": today + timedelta(days=200),
            "budget_jpy": 15_000_000,
        },
        {
            "program": programs["nexus"],
            "fiscal_year": fiscal_year,
            "round": 2,
            "status": Call.Status.PUBLISHED,
            "opens_at": japan_time(today - timedelta(days=7), 10),
            "closes_at": japan_time(today + timedelta(days=35), 17),
            "exchange_starts_on": today + timedelta(days=90),
            "exchange_ends_on": today + timedelta(days=220),
            "budget_jpy": 120_000_000,
        },
    ]
    for data in calls:
        call, _ = Call.objects.update_or_create(
            program=data.pop("program"),
            fiscal_year=data.pop("fiscal_year"),
            round=data.pop("round"),
            defaults=data,
        )
        call.courses.set(call.program.courses.all())
