"""The scale data's programs, courses, calls, host institutions (one administrator each, and
an officer) and partner institutions abroad, each written with bulk_create."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from accounts.models import User
from common.dates import JAPAN
from demo.calls import ASEAN, LINE_CAPS, SSP_COURSES, STUDENTS
from institutions.models import Institution, Membership, PartnerInstitution
from programs.models import Call, Course, Program, fiscal_year_of

from .tables import (
    BATCH,
    COUNTRY_WEIGHTS,
    EMAIL_DOMAIN,
    INSTITUTION_PREFIX,
    INSTITUTIONS,
    KIND_WEIGHTS,
    PREFECTURE_WEIGHTS,
    PROGRAM_CODES,
    weighted,
)


def create_programs():
    ssp = Program.objects.create(
        code="scale",
        name_en="Sakura Science Exchange Program (scale data)",
        name_ja="さくらサイエンスプログラム（大規模データ）",
    )
    nexus = Program.objects.create(
        code="scalenx",
        name_en="NEXUS (ASEAN, scale data)",
        name_ja="NEXUS（ASEAN・大規模データ）",
        eligible_countries=ASEAN,
    )
    courses = []
    for data in SSP_COURSES:
        data = dict(data)
        courses.append(
            Course(
                program=ssp,
                min_invitees=1,
                age_limit=40,
                eligible_categories=STUDENTS if data["code"] != "D" else STUDENTS[1:],
                line_caps_jpy=LINE_CAPS,
                **data,
            )
        )
    courses.append(
        Course(
            program=nexus,
            code="N",
            name_en="Joint Research with ASEAN",
            name_ja="ASEAN共同研究コース",
            max_days=21,
            min_invitees=1,
            max_invitees=8,
            age_limit=40,
            eligible_categories=STUDENTS[1:],
            per_person_cap_jpy=700_000,
            per_plan_cap_jpy=5_600_000,
            line_caps_jpy=LINE_CAPS,
        )
    )
    return Course.objects.bulk_create(courses)


def create_calls(years):
    last = fiscal_year_of(timezone.localdate())
    programs = list(Program.objects.filter(code__in=PROGRAM_CODES).order_by("code"))
    calls = []
    for year in range(last - years + 1, last + 1):
        for program in programs:
            for round_ in (1, 2, 3):
                opens = date(year, 1 + 3 * round_, 1) if round_ < 3 else date(year, 10, 1)
                closes = opens + timedelta(days=45)
                starts = closes + timedelta(days=60)
                if year < last:
                    status = Call.Status.ARCHIVED
                else:
                    status = {
                        1: Call.Status.DECIDED,
                        2: Call.Status.REVIEWING,
                        3: Call.Status.PUBLISHED,
                    }[round_]
                calls.append(
                    Call(
                        program=program,
                        fiscal_year=year,
                        round=round_,
                        opens_at=datetime.combine(opens, time(10), tzinfo=JAPAN),
                        closes_at=datetime.combine(closes, time(12), tzinfo=JAPAN),
                        exchange_starts_on=starts,
                        exchange_ends_on=date(year + 1, 3, 20),
                        budget_jpy=300_000_000,
                        status=status,
                    )
                )
    calls = Call.objects.bulk_create(calls)
    through = Call.courses.through
    by_program = {}
    for course in Course.objects.filter(program__code__in=PROGRAM_CODES):
        by_program.setdefault(course.program_id, []).append(course)
    links = [
        through(call_id=call.pk, course_id=course.pk)
        for call in calls
        for course in by_program[call.program_id]
    ]
    through.objects.bulk_create(links, batch_size=BATCH)
    for call in calls:
        call.course_list = by_program[call.program_id]
        call.is_current = call.fiscal_year == last
    return calls


def create_institutions(rng):
    institutions = [
        Institution(
            kind=weighted(rng, KIND_WEIGHTS),
            name_en=f"{INSTITUTION_PREFIX} {n:03d}",
            name_ja=f"スケール大学{n:03d}",
            prefecture=weighted(rng, PREFECTURE_WEIGHTS),
        )
        for n in range(1, INSTITUTIONS + 1)
    ]
    institutions = Institution.objects.bulk_create(institutions, batch_size=BATCH)
    users = [
        User(
            email=f"coordinator-{n:03d}@{EMAIL_DOMAIN}",
            full_name=f"Coordinator {n:03d}",
            password="!",
        )
        for n in range(1, INSTITUTIONS + 1)
    ]
    officer = User(
        email=f"officer@{EMAIL_DOMAIN}", full_name="Scale Officer", password="!", is_staff=True
    )
    users = User.objects.bulk_create([*users, officer], batch_size=BATCH)
    officer = users.pop()
    Membership.objects.bulk_create(
        [
            Membership(user=user, institution=institution, role=Membership.Role.ADMINISTRATOR)
            for user, institution in zip(users, institutions, strict=True)
        ],
        batch_size=BATCH,
    )
    return institutions, users, officer


def create_partners(rng, institutions):
    """Two to five partners abroad per host, each in a different country."""
    rows = []
    for institution in institutions:
        countries = set()
        while len(countries) < rng.randint(2, 5):
            countries.add(weighted(rng, COUNTRY_WEIGHTS))
        for country in sorted(countries):
            rows.append(
                PartnerInstitution(
                    host=institution,
                    name=f"University {rng.randint(1, 999)} of {country}",
                    country=country,
                    kind=PartnerInstitution.Kind.UNIVERSITY,
                )
            )
    rows = PartnerInstitution.objects.bulk_create(rows, batch_size=BATCH)
    partners = {}
    for partner in rows:
        partners.setdefault(partner.host_id, {})[str(partner.country)] = partner
    return partners
