"""Demo data for local use: programs, courses, calls, institutions, partners and one user per role.

Idempotent: running it again updates the same rows. The open call is kept open around today.
"""

from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from applications.domain.editing import add_attachment, create_plan
from applications.domain.states import submit_plan
from applications.models import (
    BudgetLine,
    InvitationPlan,
    ItineraryItem,
    PlannedInvitees,
    PlanState,
)
from institutions.models import Institution, Membership, PartnerInstitution
from letters.domain.letters import issue_letter
from participants.models import Participant
from programs.models import (
    AttachmentKind,
    Call,
    Course,
    ParticipantCategory,
    Program,
    fiscal_year_of,
)
from reviews.domain.decisions import decide, release_decisions
from reviews.models import Criterion, Decision, ReviewerProfile, ReviewSetup

JAPAN = ZoneInfo("Asia/Tokyo")
DEMO_PASSWORD = "sakura-demo-2026"
# The TOTP secret of the demo staff and reviewer accounts: add it to an authenticator app,
# or run `python manage.py demo_totp_code` to print the current code. Local use only.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

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
    },
    {
        "code": "B",
        "name_en": "Collaborative Research Activities",
        "name_ja": "共同研究活動コース",
        "max_days": 21,
        "max_invitees": 8,
        "per_person_cap_jpy": 700_000,
        "per_plan_cap_jpy": 5_600_000,
    },
    {
        "code": "C",
        "name_en": "Science and Technology Training",
        "name_ja": "科学技術研修コース",
        "max_days": 10,
        "max_invitees": 12,
        "per_person_cap_jpy": 500_000,
        "per_plan_cap_jpy": 6_000_000,
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
    },
]

INSTITUTIONS = [
    {
        "key": "sakura",
        "kind": Institution.Kind.UNIVERSITY,
        "name_en": "Sakura University of Science",
        "name_ja": "さくら科学大学",
        "prefecture": "13",
        "postal_code": "152-8550",
        "address": "東京都目黒区大岡山2-12-1",
    },
    {
        "key": "kirishima",
        "kind": Institution.Kind.KOSEN,
        "name_en": "National Institute of Technology, Kirishima College",
        "name_ja": "霧島工業高等専門学校",
        "prefecture": "46",
        "postal_code": "899-5193",
        "address": "鹿児島県霧島市隼人町真孝1460-1",
    },
    {
        "key": "hikari",
        "kind": Institution.Kind.COMPANY,
        "name_en": "Hikari Materials Co., Ltd.",
        "name_ja": "ひかりマテリアル株式会社",
        "prefecture": "27",
        "postal_code": "530-0001",
        "address": "大阪府大阪市北区梅田1-1-1",
    },
]

PARTNERS = {
    "sakura": [
        ("Chulalongkorn University", "จุฬาลงกรณ์มหาวิทยาลัย", "TH", "Bangkok"),
        ("Vietnam National University, Hanoi", "Đại học Quốc gia Hà Nội", "VN", "Hanoi"),
        ("Indian Institute of Technology Bombay", "भारतीय प्रौद्योगिकी संस्थान मुंबई", "IN", "Mumbai"),
    ],
    "kirishima": [
        ("Institut Teknologi Bandung", "", "ID", "Bandung"),
        ("University of Nairobi", "", "KE", "Nairobi"),
    ],
    "hikari": [("Universiti Malaya", "", "MY", "Kuala Lumpur")],
}

USERS = [
    # email, full name, language, flags, memberships
    ("admin@example.org", "Operator Admin", "en", {"is_staff": True, "is_superuser": True}, []),
    ("officer@example.org", "佐藤 花子 (Hanako Sato)", "ja", {"is_staff": True}, []),
    ("reviewer@example.org", "Prof. Kenji Watanabe", "en", {"is_reviewer": True}, []),
    (
        "coordinator@example.org",
        "田中 一郎 (Ichiro Tanaka)",
        "ja",
        {},
        [("sakura", Membership.Role.ADMINISTRATOR)],
    ),
    ("colleague@example.org", "Emily Carter", "en", {}, [("sakura", Membership.Role.MEMBER)]),
    (
        "kosen@example.org",
        "鈴木 美咲 (Misaki Suzuki)",
        "ja",
        {},
        [("kirishima", Membership.Role.ADMINISTRATOR)],
    ),
    (
        "company@example.org",
        "高橋 健 (Ken Takahashi)",
        "ja",
        {},
        [("hikari", Membership.Role.ADMINISTRATOR)],
    ),
    # One person, two roles: coordinates at the KOSEN and reviews for the agency.
    (
        "professor@example.org",
        "山本 直樹 (Naoki Yamamoto)",
        "ja",
        {"is_reviewer": True},
        [("kirishima", Membership.Role.MEMBER)],
    ),
]


# Demo caps per unit: a night's accommodation and a day's allowance.
LINE_CAPS = {"accommodation": 15_000, "per_diem": 5_000}
DEMO_PDF = b"%PDF-1.4\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"


def japan_time(day, hour, minute=0):
    return datetime.combine(day, time(hour, minute), tzinfo=JAPAN)


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


class Command(BaseCommand):
    help = "Create or update the demo data (idempotent). Passwords are printed: local use only."

    @transaction.atomic
    def handle(self, *args, **options):
        programs = self.seed_programs()
        self.seed_calls(programs)
        institutions = self.seed_institutions()
        self.seed_users(institutions)
        self.seed_plans(institutions)
        self.seed_review()
        self.seed_approved_plan(institutions)
        self.stdout.write(self.style.SUCCESS("Demo data ready. Sign in with any of:"))
        for email, name, *_rest in USERS:
            self.stdout.write(f"  {email:28} {DEMO_PASSWORD}   {name}")
        self.stdout.write(
            f"  {'participant@example.org':28} {DEMO_PASSWORD}   SRISUK Malee (participant)"
        )
        self.stdout.write(
            f"Staff and reviewers use two-factor: TOTP secret {DEMO_TOTP_SECRET} "
            "(or run: python manage.py demo_totp_code)."
        )

    def seed_programs(self):
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

    def seed_calls(self, programs):
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
            {
                "program": programs["nexus"],
                "fiscal_year": fiscal_year,
                "round": 1,
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

    def seed_institutions(self):
        institutions = {}
        for data in INSTITUTIONS:
            data = dict(data)
            key = data.pop("key")
            institution, _ = Institution.objects.update_or_create(
                name_en=data.pop("name_en"), defaults=data
            )
            institutions[key] = institution
            for name, local, country, city in PARTNERS[key]:
                PartnerInstitution.objects.update_or_create(
                    host=institution,
                    name=name,
                    country=country,
                    defaults={
                        "name_local": local,
                        "city": city,
                        "kind": PartnerInstitution.Kind.UNIVERSITY,
                    },
                )
        return institutions

    def seed_plans(self, institutions):
        """A complete draft (ready to submit) at Sakura, a submitted plan at Kirishima."""
        call = Call.objects.get(program__code="ssp", status=Call.Status.PUBLISHED)
        course = call.courses.get(code="A")
        demo = [
            (
                institutions["sakura"],
                "coordinator@example.org",
                False,
                "Hands-on perovskite solar cells",
                "ペロブスカイト太陽電池の実習",
                "TH",
            ),
            (
                institutions["kirishima"],
                "kosen@example.org",
                True,
                "Robotics for disaster response",
                "災害対応ロボット工学",
                "ID",
            ),
        ]
        for host, email, submit, title_en, title_ja, country in demo:
            if InvitationPlan.objects.filter(call=call, host=host, title_en=title_en).exists():
                continue
            lead = User.objects.get(email=email)
            plan = create_plan(call=call, course=course, host=host, by=lead)
            start = call.exchange_starts_on + timedelta(days=10)
            InvitationPlan.objects.filter(pk=plan.pk).update(
                title_en=title_en,
                title_ja=title_ja,
                field_of_science="engineering",
                objectives="Give talented students a first experience of research in Japan.",
                expected_outcomes="Joint workshop paper; students apply for graduate study.",
                arrival_on=start,
                departure_on=start + timedelta(days=6),
                contact_name=lead.full_name,
                contact_phone="+81-3-0000-0000",
                contact_email=email,
            )
            plan.refresh_from_db()
            plan.partners.set(host.partners.filter(country=country)[:1])
            PlannedInvitees.objects.create(plan=plan, country=country, category="graduate", count=5)
            PlannedInvitees.objects.create(plan=plan, country=country, category="escort", count=1)
            for offset, (kind, title) in enumerate(
                [
                    ("lecture", "Welcome and safety lecture"),
                    ("lab_work", "Laboratory practice"),
                    ("site_visit", "Visit to a research institute"),
                ]
            ):
                ItineraryItem.objects.create(
                    plan=plan,
                    day=start + timedelta(days=offset + 1),
                    start_time=time(9, 30),
                    end_time=time(16, 0),
                    kind=kind,
                    title_en=title,
                    place=host.name_ja,
                )
            BudgetLine.objects.create(
                plan=plan, category="airfare", unit_cost_jpy=120_000, quantity=6
            )
            BudgetLine.objects.create(
                plan=plan,
                category="accommodation",
                unit_cost_jpy=12_000,
                quantity=36,
                note="6 people × 6 nights",
            )
            BudgetLine.objects.create(
                plan=plan, category="per_diem", unit_cost_jpy=3_000, quantity=42
            )
            add_attachment(
                plan,
                AttachmentKind.PARTNER_CONSENT,
                SimpleUploadedFile("partner-consent.pdf", DEMO_PDF),
                by=lead,
                expected_version=plan.version,
            )
            if submit:
                submit_plan(plan, by=lead)

    def seed_approved_plan(self, institutions):
        """An approved plan of the decided call, with registered participants; one of them
        (participant@example.org) has activated their portal account."""
        call = Call.objects.get(program__code="ssp", status=Call.Status.DECIDED)
        host = institutions["sakura"]
        plan = InvitationPlan.objects.filter(call=call, host=host).first()
        if plan is None:
            plan = self.approve_demo_plan(call, host)
        elif not plan.versions.exists():
            self.stdout.write(
                self.style.WARNING(
                    f"{plan.reference} was made by an older seed_demo: it has no submitted "
                    "version, budget or decision. Start from an empty database to rebuild it."
                )
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
        if created or not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        EmailAddress.objects.update_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )
        Participant.objects.filter(pk=participant.pk).update(user=user)
        # Their letters, as a worker would issue them (idempotent: unchanged data, no new one).
        for person in plan.participants.all():
            issue_letter(person)

    def approve_demo_plan(self, call, host):
        """The plan goes the way real plans go, through the same functions: drafted by the
        coordinator, submitted (a frozen version), decided by the programme officer with an
        approved amount and released (a history row at each step). Then its dates are set
        back to when each step would have happened."""
        lead = User.objects.get(email="coordinator@example.org")
        officer = User.objects.get(email="officer@example.org")
        plan = create_plan(call=call, course=call.courses.get(code="A"), host=host, by=lead)
        start = timezone.localdate() + timedelta(days=20)
        InvitationPlan.objects.filter(pk=plan.pk).update(
            title_en="Marine biology summer lab",
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
        with open_again(call):
            submit_plan(plan, by=lead)
        decide(
            plan,
            Decision.Outcome.APPROVED,
            by=officer,
            approved_amount=1_050_000,  # of ¥1,065,000 requested
            conditions="Per diem is paid for the six days of the stay after arrival.",
        )
        release_decisions(call, by=officer)
        self.date_as_it_happened(plan, call)
        plan.refresh_from_db()
        return plan

    def date_as_it_happened(self, plan, call):
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

    def seed_review(self):
        """Criteria and set-up for the open call; fields of expertise for the reviewers."""
        call = Call.objects.get(program__code="ssp", status=Call.Status.PUBLISHED)
        ReviewSetup.objects.update_or_create(
            call=call,
            defaults={
                "reviewers_per_plan": 2,
                "max_load": 20,
                "deadline": call.closes_at + timedelta(days=30),
            },
        )
        criteria = [
            ("Scientific and educational value", "科学技術・教育上の意義", 3),
            ("Quality and feasibility of the programme", "計画の質と実現可能性", 2),
            ("Lasting exchange and follow-up", "継続的な交流・波及効果", 1),
        ]
        for position, (name_en, name_ja, weight) in enumerate(criteria):
            Criterion.objects.update_or_create(
                call=call,
                name_en=name_en,
                defaults={"name_ja": name_ja, "weight": weight, "position": position},
            )
        for email, fields in [
            ("reviewer@example.org", ["engineering", "materials"]),
            ("professor@example.org", ["engineering", "informatics"]),
        ]:
            ReviewerProfile.objects.update_or_create(
                user=User.objects.get(email=email), defaults={"fields_of_science": fields}
            )

    def seed_users(self, institutions):
        for email, name, language, flags, memberships in USERS:
            user, created = User.objects.update_or_create(
                email=email, defaults=dict(full_name=name, preferred_language=language, **flags)
            )
            if created or not user.check_password(DEMO_PASSWORD):
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
            EmailAddress.objects.update_or_create(
                user=user, email=email, defaults={"verified": True, "primary": True}
            )
            if (
                user.must_use_two_factor
                and not Authenticator.objects.filter(
                    user=user, type=Authenticator.Type.TOTP
                ).exists()
            ):
                TOTP.activate(user, DEMO_TOTP_SECRET)
            for key, role in memberships:
                Membership.objects.update_or_create(
                    user=user, institution=institutions[key], defaults={"role": role}
                )
