"""A large, realistic multi-year dataset for load and report testing (issue 8, "Scale").

Everything it creates hangs off two programs whose codes start with "scale" (`scale`, with
courses A–D, and `scalenx`, with course N), institutions named "Scale University NNN" and
users with addresses at scale.invalid, so `--reset` can delete exactly what it made.
Rows are written with bulk_create in batches, so the number of queries does not grow with
the number of rows. Deterministic for a given --seed.
"""

import random
import time as clock
from collections import Counter
from datetime import date, datetime, time, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import User
from applications.models import (
    BudgetLine,
    InvitationPlan,
    ItineraryItem,
    PlannedInvitees,
    PlanState,
)
from institutions.models import Institution, Membership, PartnerInstitution
from participants.models import Participant
from programs.models import (
    BudgetCategory,
    Call,
    Course,
    FieldOfScience,
    ParticipantCategory,
    Program,
    fiscal_year_of,
)
from reviews.models import Decision
from sakura.management.commands.seed_demo import (
    ASEAN,
    JAPAN,
    LINE_CAPS,
    SSP_COURSES,
    STUDENTS,
)

BATCH = 2_000
PROGRAM_CODES = ("scale", "scalenx")
EMAIL_DOMAIN = "scale.invalid"
INSTITUTION_PREFIX = "Scale University"
INSTITUTIONS = 300

# Nationalities weighted like the real program: most invitees come from Asia.
COUNTRY_WEIGHTS = {
    "CN": 20,
    "IN": 10,
    "ID": 9,
    "TH": 8,
    "VN": 8,
    "PH": 6,
    "MY": 6,
    "MN": 3,
    "BD": 3,
    "LK": 3,
    "KH": 2,
    "LA": 2,
    "MM": 2,
    "NP": 2,
    "TW": 2,
    "KR": 2,
    "KE": 1,
    "EG": 1,
    "PK": 1,
    "UZ": 1,
    "KZ": 1,
    "BR": 1,
    "MX": 1,
    "TR": 1,
    "NG": 1,
    "ZA": 1,
    "BT": 1,
}
# Course D is for India and Africa only.
D_COUNTRY_WEIGHTS = {"IN": 10, "KE": 3, "EG": 3, "NG": 2, "ZA": 2, "ET": 1, "GH": 1, "TZ": 1}
NEXUS_COUNTRY_WEIGHTS = {c: w for c, w in COUNTRY_WEIGHTS.items() if c in ASEAN}

# A handful of (family, given, native) names per country; others get romanised names only.
NAMES = {
    "CN": [
        ("Wang", "Fang", "王芳"),
        ("Li", "Wei", "李伟"),
        ("Zhang", "Min", "张敏"),
        ("Liu", "Yang", "刘洋"),
        ("Chen", "Jing", "陈静"),
        ("Zhao", "Lei", "赵磊"),
    ],
    "TW": [("Lin", "Yi-Chen", "林怡君"), ("Huang", "Chih-Hao", "黃志豪")],
    "KR": [("Kim", "Minji", "김민지"), ("Park", "Jisoo", "박지수"), ("Lee", "Seojun", "이서준")],
    "TH": [("Srisuk", "Anong", "อนงค์ ศรีสุข"), ("Chaiyaporn", "Niran", "นิรันดร์ ชัยพร")],
    "MN": [("Bat-Erdene", "Enkhjin", "Бат-Эрдэнэ Энхжин"), ("Dorj", "Saruul", "Дорж Саруул")],
    "IN": [
        ("Sharma", "Priya", "प्रिया शर्मा"),
        ("Patel", "Rahul", "राहुल पटेल"),
        ("Iyer", "Lakshmi", ""),
        ("Singh", "Arjun", "अर्जुन सिंह"),
    ],
    "BD": [("Rahman", "Nusrat", "নুসরাত রহমান"), ("Hossain", "Tanvir", "তানভীর হোসেন")],
    "LK": [("Perera", "Dilini", ""), ("Fernando", "Kasun", "")],
    "NP": [("Shrestha", "Sita", "सीता श्रेष्ठ"), ("Gurung", "Bikash", "")],
    "KH": [("Sok", "Dara", "សុខ ដារា"), ("Chan", "Sophea", "ចាន់ សុភា")],
    "LA": [("Phommachanh", "Noy", "ນ້ອຍ ພົມມະຈັນ"), ("Keomany", "Somphone", "")],
    "MM": [("Aung", "Thiri", "သီရိအောင်"), ("Win", "Zaw", "ဇော်ဝင်း")],
    "EG": [("Hassan", "Mariam", "مريم حسن"), ("Mahmoud", "Omar", "عمر محمود")],
    "ID": [("Santoso", "Dewi", ""), ("Wijaya", "Budi", ""), ("Saputra", "Rizky", "")],
    "VN": [
        ("Nguyen", "Thi Lan", "Nguyễn Thị Lan"),
        ("Tran", "Van Minh", "Trần Văn Minh"),
        ("Le", "Hoang Anh", "Lê Hoàng Anh"),
    ],
    "PH": [("Santos", "Maria", ""), ("Reyes", "Jose", ""), ("Cruz", "Angelica", "")],
    "MY": [("Abdullah", "Nur Aisyah", ""), ("Tan", "Wei Ling", "陈慧玲"), ("Raj", "Kavitha", "")],
    "KE": [("Otieno", "Grace", ""), ("Kamau", "Brian", "")],
}
FALLBACK_NAMES = [
    ("Garcia", "Ana", ""),
    ("Okafor", "Chidi", ""),
    ("Silva", "Lucas", ""),
    ("Karimov", "Aziz", ""),
    ("Yilmaz", "Elif", ""),
    ("Mensah", "Kofi", ""),
]

# Prefecture codes (JIS X 0401) with a heavier weight for the big university regions.
PREFECTURE_WEIGHTS = {f"{code:02d}": 1 for code in range(1, 48)}
PREFECTURE_WEIGHTS.update(
    {"13": 25, "27": 10, "14": 7, "23": 7, "40": 6, "26": 6, "01": 5, "04": 3, "34": 3}
)
KIND_WEIGHTS = {
    Institution.Kind.UNIVERSITY: 70,
    Institution.Kind.KOSEN: 10,
    Institution.Kind.HIGH_SCHOOL: 8,
    Institution.Kind.RESEARCH_AGENCY: 7,
    Institution.Kind.COMPANY: 3,
    Institution.Kind.LOCAL_GOVERNMENT: 2,
}
CATEGORY_WEIGHTS = {
    ParticipantCategory.HIGH_SCHOOL: 12,
    ParticipantCategory.UNDERGRADUATE: 35,
    ParticipantCategory.GRADUATE: 30,
    ParticipantCategory.POSTDOC: 6,
    ParticipantCategory.RESEARCHER: 8,
    ParticipantCategory.TEACHER: 3,
    ParticipantCategory.ESCORT: 6,
}
AGE_RANGES = {
    ParticipantCategory.HIGH_SCHOOL: (15, 18),
    ParticipantCategory.UNDERGRADUATE: (18, 23),
    ParticipantCategory.GRADUATE: (22, 32),
    ParticipantCategory.POSTDOC: (27, 38),
    ParticipantCategory.RESEARCHER: (26, 39),
    ParticipantCategory.TEACHER: (25, 39),
    ParticipantCategory.ESCORT: (28, 39),
}
# Final states of plans in past fiscal years.
PAST_STATES = {
    PlanState.CLOSED: 55,
    PlanState.REPORTED: 25,
    PlanState.REJECTED: 15,
    PlanState.WITHDRAWN: 5,
}
# The current year, by round: decided, in review, open.
CURRENT_STATES = {
    1: {PlanState.APPROVED: 75, PlanState.REJECTED: 20, PlanState.WITHDRAWN: 5},
    2: {PlanState.UNDER_REVIEW: 60, PlanState.SUBMITTED: 40},
    3: {PlanState.SUBMITTED: 50, PlanState.DRAFT: 50},
}
WITH_PARTICIPANTS = {
    PlanState.APPROVED,
    PlanState.IN_PROGRESS,
    PlanState.COMPLETED,
    PlanState.REPORTED,
    PlanState.CLOSED,
}
ACTIVITIES = [
    (ItineraryItem.Kind.LECTURE, "Lecture on current research", "研究紹介の講義"),
    (ItineraryItem.Kind.LAB_WORK, "Laboratory practice", "実験実習"),
    (ItineraryItem.Kind.SITE_VISIT, "Visit to a research facility", "研究施設見学"),
    (ItineraryItem.Kind.STUDENT_EXCHANGE, "Exchange with Japanese students", "学生交流"),
    (ItineraryItem.Kind.CULTURAL, "Japanese culture experience", "日本文化体験"),
]
TOPICS = ["robotics", "water", "rice", "earthquakes", "batteries", "vaccines", "AI", "oceans"]


class Deck:
    """Weighted draws that keep the proportions even in small samples.

    Deals from a shuffled deck holding each key as many times as its weight, and reshuffles
    a full deck when it runs out (so 40 plans already come out roughly 20 % Chinese).
    """

    def __init__(self, rng, table):
        self.rng = rng
        self.cards = [key for key, weight in table.items() for _ in range(weight)]
        self.pile = []

    def draw(self):
        if not self.pile:
            self.pile = list(self.cards)
            self.rng.shuffle(self.pile)
        return self.pile.pop()


# Most plans are in the main program; NEXUS is the smaller one.
PROGRAM_WEIGHTS = {"scale": 85, "scalenx": 15}
COURSE_WEIGHTS = {"A": 45, "B": 20, "C": 30, "D": 5, "N": 1}


def weighted(rng, table):
    keys = list(table)
    return rng.choices(keys, weights=[table[k] for k in keys])[0]


class Command(BaseCommand):
    help = (
        "Generate a large multi-year dataset (programs 'scale'/'scalenx'). "
        "Refuses to run twice unless --reset."
    )

    def add_arguments(self, parser):
        parser.add_argument("--years", type=int, default=10)
        parser.add_argument("--plans-per-year", type=int, default=1500)
        parser.add_argument("--participants-per-plan", type=float, default=2.7)
        parser.add_argument("--seed", type=int, default=42)
        parser.add_argument(
            "--reset", action="store_true", help="Delete what an earlier run created, first."
        )
        parser.add_argument(
            "--reset-only", action="store_true", help="Delete what an earlier run created, only."
        )

    def handle(self, *args, **options):
        started = clock.monotonic()
        if options["years"] < 1 or options["plans_per_year"] < 0:
            raise CommandError("--years must be at least 1 and --plans-per-year not negative.")
        if options["participants_per_plan"] < 0:
            raise CommandError("--participants-per-plan must not be negative.")
        if options["reset"] or options["reset_only"]:
            self.reset()
            if options["reset_only"]:
                self.stdout.write(f"Deleted the scale data in {clock.monotonic() - started:.1f}s.")
                return
        elif Program.objects.filter(code__in=PROGRAM_CODES).exists():
            raise CommandError("Scale data already exists: run again with --reset.")
        self.rng = random.Random(options["seed"])
        self.now = timezone.now()
        with transaction.atomic():
            counts = self.generate(
                options["years"], options["plans_per_year"], options["participants_per_plan"]
            )
        if connection.vendor == "postgresql":
            # Give the planner statistics now rather than whenever autovacuum comes round.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        elapsed = clock.monotonic() - started
        for name, count in counts.items():
            self.stdout.write(f"{name}: {count}")
        self.stdout.write(self.style.SUCCESS(f"Scale data created in {elapsed:.1f}s."))

    # Deleting --------------------------------------------------------------------------

    @transaction.atomic
    def reset(self):
        plans = InvitationPlan.objects.filter(call__program__code__in=PROGRAM_CODES)
        Participant.objects.filter(plan__in=plans).delete()
        plans.delete()
        Call.objects.filter(program__code__in=PROGRAM_CODES).delete()
        Course.objects.filter(program__code__in=PROGRAM_CODES).delete()
        Program.objects.filter(code__in=PROGRAM_CODES).delete()
        Institution.objects.filter(name_en__startswith=f"{INSTITUTION_PREFIX} ").delete()
        User.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").delete()

    # Creating --------------------------------------------------------------------------

    def generate(self, years, plans_per_year, participants_per_plan):
        rng = self.rng
        courses = self.create_programs()
        calls = self.create_calls(years)
        institutions, coordinators, officer = self.create_institutions()
        partners = self.create_partners(institutions)
        plans, plan_rows = self.create_plans(
            calls, courses, institutions, coordinators, plans_per_year
        )
        # Participants: about plans × participants-per-plan in all, spread over the plans
        # that were approved (or got further); one at least each, the course maximum at most.
        eligible = [i for i, row in enumerate(plan_rows) if row["state"] in WITH_PARTICIPANTS]
        wanted = round(len(plans) * participants_per_plan)
        sizes = dict.fromkeys(eligible, 0)
        if eligible and wanted:
            for index in eligible[:wanted]:
                sizes[index] = 1
            open_ = [i for i in eligible if sizes[i] < plan_rows[i]["course"].max_invitees]
            remaining = wanted - sum(sizes.values())
            while remaining > 0 and open_:
                pick = rng.randrange(len(open_))
                index = open_[pick]
                sizes[index] += 1
                remaining -= 1
                if sizes[index] >= plan_rows[index]["course"].max_invitees:
                    open_[pick] = open_[-1]
                    open_.pop()
        self.assign_countries(plan_rows, [i for i in eligible if sizes[i]], sizes)
        invitees, participants, itinerary, budget, decisions = [], [], [], [], []
        for index, (plan, row) in enumerate(zip(plans, plan_rows, strict=True)):
            course = row["course"]
            size = sizes.get(index) or rng.randint(1, min(5, course.max_invitees))
            people = [self.person(row) for _ in range(size)]
            for (country, category), count in sorted(
                Counter((p["country"], p["category"]) for p in people).items()
            ):
                invitees.append(
                    PlannedInvitees(plan=plan, country=country, category=category, count=count)
                )
            if index in sizes:
                host_partners = partners.get(plan.host_id, {})
                for number, person in enumerate(people):
                    home = host_partners.get(person["country"])
                    participants.append(self.participant(plan, row, person, number, home))
            itinerary.extend(self.itinerary(plan))
            budget.extend(self.budget(plan, size))
            decision = self.decision(plan, row, size, officer)
            if decision:
                decisions.append(decision)
        PlannedInvitees.objects.bulk_create(invitees, batch_size=BATCH)
        ItineraryItem.objects.bulk_create(itinerary, batch_size=BATCH)
        BudgetLine.objects.bulk_create(budget, batch_size=BATCH)
        Decision.objects.bulk_create(decisions, batch_size=BATCH)
        Participant.objects.bulk_create(participants, batch_size=BATCH)
        return {
            "programs": len(PROGRAM_CODES),
            "courses": len(courses),
            "calls": len(calls),
            "institutions": len(institutions),
            "coordinators": len(coordinators),
            "partner institutions": sum(len(p) for p in partners.values()),
            "plans": len(plans),
            "planned invitee rows": len(invitees),
            "itinerary items": len(itinerary),
            "budget lines": len(budget),
            "decisions": len(decisions),
            "participants": len(participants),
        }

    def assign_countries(self, plan_rows, indexes, sizes):
        """Give the plans with participants the countries that keep nationalities on target.

        Largest plans first, each goes to the allowed country furthest below its share of
        the participants so far: the weighting holds even for a few dozen plans, and a
        plan's invitees still come mostly from one country.
        """
        total = sum(COUNTRY_WEIGHTS.values())
        share = {country: weight / total for country, weight in COUNTRY_WEIGHTS.items()}
        placed, seen = Counter(), 0
        order = sorted(indexes, key=lambda i: (-sizes[i], self.rng.random()))
        for index in order:
            code = plan_rows[index]["course"].code
            allowed = {"D": D_COUNTRY_WEIGHTS, "N": NEXUS_COUNTRY_WEIGHTS}.get(
                code, COUNTRY_WEIGHTS
            )
            seen += sizes[index]
            country = max(allowed, key=lambda c: share.get(c, 0.005) * seen - placed[c])
            placed[country] += sizes[index]
            plan_rows[index]["country"] = country

    def create_programs(self):
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

    def create_calls(self, years):
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

    def create_institutions(self):
        rng = self.rng
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

    def create_partners(self, institutions):
        """Two to five partners abroad per host, each in a different country."""
        rng = self.rng
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

    def create_plans(self, calls, courses, institutions, coordinators, plans_per_year):
        rng = self.rng
        by_year = {}
        for call in calls:
            by_year.setdefault(call.fiscal_year, []).append(call)
        plans, rows = [], []
        countries = Deck(rng, COUNTRY_WEIGHTS)
        self.countries = countries
        for year_calls in by_year.values():
            call_weights = [PROGRAM_WEIGHTS[call.program.code] for call in year_calls]
            numbers = Counter()
            for _ in range(plans_per_year):
                call = rng.choices(year_calls, weights=call_weights)[0]
                numbers[call.pk] += 1
                number = numbers[call.pk]
                course = rng.choices(
                    call.course_list, weights=[COURSE_WEIGHTS[c.code] for c in call.course_list]
                )[0]
                host_index = rng.randrange(len(institutions))
                if call.is_current:
                    state = weighted(rng, CURRENT_STATES[call.round])
                else:
                    state = weighted(rng, PAST_STATES)
                if course.code == "D":
                    country = weighted(rng, D_COUNTRY_WEIGHTS)
                elif course.code == "N":
                    country = weighted(rng, NEXUS_COUNTRY_WEIGHTS)
                else:
                    country = countries.draw()
                arrival = call.exchange_starts_on + timedelta(days=rng.randint(0, 150))
                days = rng.randint(max(3, course.max_days - 6), course.max_days)
                created = call.opens_at + timedelta(days=rng.randint(0, 40))
                topic = rng.choice(TOPICS)
                plans.append(
                    InvitationPlan(
                        call=call,
                        course=course,
                        host=institutions[host_index],
                        number=number,
                        reference=f"{call.reference_prefix}-{number:04d}",
                        lead=coordinators[host_index],
                        title_en=f"Young researchers on {topic}",
                        title_ja=f"{topic}の若手研究者交流",
                        field_of_science=rng.choice(FieldOfScience.values),
                        objectives="Joint research and exchange.",
                        expected_outcomes="Future study in Japan.",
                        arrival_on=arrival,
                        departure_on=arrival + timedelta(days=days - 1),
                        contact_name=f"Coordinator {host_index + 1:03d}",
                        contact_email=coordinators[host_index].email,
                        state=state,
                        created_at=created,
                        submitted_at=None if state == PlanState.DRAFT else call.closes_at,
                    )
                )
                rows.append({"course": course, "country": country, "state": state})
        plans = InvitationPlan.objects.bulk_create(plans, batch_size=BATCH)
        return plans, rows

    def person(self, row):
        """Mostly the plan's country; now and then someone from elsewhere."""
        rng = self.rng
        country = row["country"]
        if rng.random() < 0.15 and row["course"].code not in ("D", "N"):
            country = self.countries.draw()
        categories = row["course"].eligible_categories
        category = weighted(rng, {c: w for c, w in CATEGORY_WEIGHTS.items() if c in categories})
        return {"country": country, "category": category}

    def participant(self, plan, row, person, number, home):
        rng = self.rng
        family, given, native = rng.choice(NAMES.get(person["country"], FALLBACK_NAMES))
        low, high = AGE_RANGES[person["category"]]
        born = plan.arrival_on - timedelta(days=rng.randint(low * 365 + 1, high * 365 + 300))
        return Participant(
            plan=plan,
            family_name=family,
            given_name=given,
            native_name=native,
            date_of_birth=born,
            gender=rng.choice(Participant.Gender.values[:2]),
            nationality=person["country"],
            home_institution=home,
            category=person["category"],
            email=f"p{plan.pk}-{number}@{EMAIL_DOMAIN}",
            passport_number_encrypted="",
            first_stay_in_japan=rng.random() < 0.9,
        )

    def itinerary(self, plan):
        rng = self.rng
        items = []
        for offset in range(1, min(4, (plan.departure_on - plan.arrival_on).days) + 1):
            kind, title_en, title_ja = rng.choice(ACTIVITIES)
            items.append(
                ItineraryItem(
                    plan=plan,
                    day=plan.arrival_on + timedelta(days=offset),
                    start_time=time(9 + rng.randint(0, 4)),
                    end_time=time(15 + rng.randint(0, 2)),
                    kind=kind,
                    title_en=title_en,
                    title_ja=title_ja,
                    place="Campus",
                )
            )
        return items

    def budget(self, plan, size):
        rng = self.rng
        nights = (plan.departure_on - plan.arrival_on).days
        return [
            BudgetLine(
                plan=plan,
                category=BudgetCategory.AIRFARE,
                unit_cost_jpy=rng.randrange(60_000, 200_000, 1_000),
                quantity=size,
            ),
            BudgetLine(
                plan=plan,
                category=BudgetCategory.ACCOMMODATION,
                unit_cost_jpy=rng.randrange(6_000, 15_000, 500),
                quantity=size * nights,
            ),
            BudgetLine(
                plan=plan,
                category=BudgetCategory.PER_DIEM,
                unit_cost_jpy=5_000,
                quantity=size * (nights + 1),
            ),
        ]

    def decision(self, plan, row, size, officer):
        if row["state"] in WITH_PARTICIPANTS:
            outcome = Decision.Outcome.APPROVED
        elif row["state"] == PlanState.REJECTED:
            outcome = Decision.Outcome.REJECTED
        else:
            return None
        decided = plan.call.closes_at + timedelta(days=40)
        return Decision(
            plan=plan,
            outcome=outcome,
            approved_amount_jpy=(
                min(size * 400_000, row["course"].per_plan_cap_jpy or size * 400_000)
                if outcome == Decision.Outcome.APPROVED
                else None
            ),
            decided_by=officer,
            decided_at=decided,
            released_at=decided + timedelta(days=3),
        )
