"""factory-boy factories for the whole suite."""

from datetime import date, datetime, time, timedelta

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts.models import User
from applications.models import (
    Activity,
    BudgetLine,
    InvitationPlan,
    ItineraryItem,
    PlannedInvitees,
)
from common.dates import JAPAN
from institutions.models import Institution, Membership, PartnerInstitution
from programs.models import Call, Course, ParticipantCategory, Program, RuleSet
from screening.models import ScreeningAnswers

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    preferred_language = "en"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified_email(self, create, extracted, **kwargs):
        if create:
            self.save()
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution

    kind = Institution.Kind.UNIVERSITY
    name_en = factory.Sequence(lambda n: f"University of Science {n}")
    name_ja = factory.Sequence(lambda n: f"科学大学{n}")
    prefecture = "13"
    address = "東京都千代田区1-1"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    institution = factory.SubFactory(InstitutionFactory)
    role = Membership.Role.MEMBER


class PartnerInstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerInstitution

    host = factory.SubFactory(InstitutionFactory)
    name = factory.Sequence(lambda n: f"Partner University {n}")
    country = "TH"
    kind = PartnerInstitution.Kind.UNIVERSITY


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program
        django_get_or_create = ["code"]

    code = "ssp"
    name_en = "Sakura Science Exchange Program"
    name_ja = "さくらサイエンスプログラム"


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course

    program = factory.SubFactory(ProgramFactory)
    code = factory.Sequence(lambda n: f"A{n}")
    name_en = "Science and Technology Experience"
    name_ja = "科学技術体験コース"
    max_days = 7
    min_invitees = 1
    max_invitees = 8
    age_limit = 40
    eligible_categories = [ParticipantCategory.UNDERGRADUATE, ParticipantCategory.GRADUATE]
    per_person_cap_jpy = 450_000
    per_plan_cap_jpy = 3_600_000


class CallFactory(factory.django.DjangoModelFactory):
    """An open call by default: opened a week ago, closing in two weeks."""

    class Meta:
        model = Call
        skip_postgeneration_save = True

    program = factory.SubFactory(ProgramFactory)
    fiscal_year = 2026
    round = factory.Sequence(lambda n: n + 1)
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=7))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))
    exchange_starts_on = date(2027, 1, 10)
    exchange_ends_on = date(2027, 3, 15)
    budget_jpy = 100_000_000
    status = Call.Status.PUBLISHED

    @factory.post_generation
    def courses(self, create, extracted, **kwargs):
        if create and extracted:
            self.courses.set(extracted)


class PlanFactory(factory.django.DjangoModelFactory):
    """A complete draft that passes every submission rule of its (open) call and course A."""

    class Meta:
        model = InvitationPlan
        skip_postgeneration_save = True

    call = factory.SubFactory(CallFactory)
    course = factory.LazyAttribute(lambda plan: _course_in(plan.call))
    host = factory.SubFactory(InstitutionFactory)
    lead = factory.LazyAttribute(
        lambda plan: MembershipFactory(institution=plan.host, role=Membership.Role.MEMBER).user
    )
    number = factory.Sequence(lambda n: n + 1)
    reference = factory.LazyAttribute(
        lambda plan: f"{plan.call.reference_prefix}-{plan.number:04d}"
    )
    title_ja = "再生可能エネルギー材料の体験研修"
    title_en = "Hands-on training in materials for renewable energy"
    field_of_science = "materials"
    objectives = "Introduce young researchers to perovskite solar cell fabrication."
    expected_outcomes = "Joint paper; students apply to graduate school in Japan."
    arrival_on = date(2027, 1, 10)
    departure_on = date(2027, 1, 16)  # 7 days, course A's maximum
    contact_name = "田中 一郎"
    contact_phone = "+81-3-1234-5678"
    contact_email = "contact@example.org"

    @factory.post_generation
    def complete(self, create, extracted, **kwargs):
        """Partners, 5 invitees, a 3-day itinerary and a budget under every cap."""
        if not create or extracted is False:
            return
        self.partners.add(PartnerInstitutionFactory(host=self.host, country="TH"))
        PlannedInvitees.objects.create(plan=self, country="TH", category="graduate", count=4)
        PlannedInvitees.objects.create(plan=self, country="TH", category="escort", count=1)
        for offset, title in enumerate(["Welcome lecture", "Lab work", "Site visit"]):
            ItineraryItem.objects.create(
                plan=self,
                day=self.arrival_on + timedelta(days=offset),
                start_time=time(9),
                end_time=time(12),
                kind="lecture",
                title_en=title,
                title_ja="講義",
                place="Tokyo",
            )
        BudgetLine.objects.create(plan=self, category="airfare", unit_cost_jpy=150_000, quantity=5)
        BudgetLine.objects.create(
            plan=self, category="accommodation", unit_cost_jpy=12_000, quantity=30
        )
        # The export-control pre-check answered: no ties, no listed technology.
        ScreeningAnswers.objects.create(
            plan=self, tied_to_listed_entity="no", listed_technology="no", specific_category="no"
        )


def _course_in(call):
    course = call.courses.first()
    if course is None:
        course = CourseFactory(
            program=call.program,
            eligible_categories=["undergraduate", "graduate", "postdoc", "researcher", "escort"],
        )
        call.courses.add(course)
    return course


# Course D (annual mutual exchange): India and the African countries; no high-school students.
INDIA_AND_AFRICA = ["IN", "EG", "KE", "NG", "GH", "ZA", "ET", "TZ", "RW", "UG", "SN", "MA"]
COURSE_D_ACTIVITY_LIMITS = {
    "invitation": {"max_people": 10, "max_days": 14, "max_jpy": 6_000_000},
    "dispatch": {"max_people": 10, "max_days": 14, "max_jpy": 6_000_000},
    "online": {"max_people": 200},
}


def course_d(call):
    """Course D in `call`, with its rule set for the call's fiscal year: plans made of
    activities, India and Africa only, under 40, no high-school students."""
    course = CourseFactory(
        program=call.program,
        code="D",
        name_en="Annual Mutual Exchange",
        name_ja="年間相互交流コース",
        max_days=14,
        max_invitees=10,
        per_person_cap_jpy=600_000,
        per_plan_cap_jpy=8_000_000,
        eligible_countries=INDIA_AND_AFRICA,
        eligible_categories=["undergraduate", "graduate", "postdoc", "researcher", "escort"],
        first_stay_required=False,
    )
    fields = {
        name: getattr(course, name)
        for name in [
            "max_days",
            "min_invitees",
            "max_invitees",
            "max_invitees_per_institution",
            "escorts_counted",
            "eligible_categories",
            "age_limit",
            "first_stay_required",
            "company_airfare_only",
            "required_attachments",
            "line_caps_jpy",
            "per_person_cap_jpy",
            "per_plan_cap_jpy",
        ]
    }
    RuleSet.objects.create(
        course=course,
        fiscal_year=call.fiscal_year,
        uses_activities=True,
        activity_limits=COURSE_D_ACTIVITY_LIMITS,
        source_en="Course D guidelines (test)",
        source_ja="コースD募集要項（テスト）",
        **fields,
    )
    call.courses.add(course)
    return course


def japan_moment(day, hour, minute=0):
    return datetime.combine(day, time(hour, minute), tzinfo=JAPAN)


class CourseDPlanFactory(PlanFactory):
    """A complete course-D draft: one invitation to Japan (5 people from India), one dispatch
    of 3 of the host's students to India, and two online sessions (India and Egypt), each with
    its budget lines; the plan's arrival and departure span its activities."""

    course = factory.LazyAttribute(lambda plan: course_d(plan.call))
    title_en = "A year of exchange in water engineering"
    title_ja = "水工学の年間相互交流"
    arrival_on = date(2027, 1, 12)
    departure_on = date(2027, 3, 1)

    @factory.post_generation
    def complete(self, create, extracted, **kwargs):
        if not create or extracted is False:
            return
        india = PartnerInstitutionFactory(host=self.host, country="IN", name="IIT Example")
        egypt = PartnerInstitutionFactory(host=self.host, country="EG", name="Cairo Example")
        self.partners.add(india, egypt)
        PlannedInvitees.objects.create(
            plan=self, country="IN", category="graduate", count=4, sending_institution=india
        )
        PlannedInvitees.objects.create(
            plan=self, country="IN", category="escort", count=1, sending_institution=india
        )
        invitation = Activity.objects.create(
            plan=self,
            kind=Activity.Kind.INVITATION,
            title_en="Water lab training in Japan",
            title_ja="日本での水工学実習",
            starts_on=date(2027, 1, 12),
            ends_on=date(2027, 1, 21),
            country="IN",
            partner=india,
            time_zone="Asia/Kolkata",
            people=5,
            position=1,
        )
        dispatch = Activity.objects.create(
            plan=self,
            kind=Activity.Kind.DISPATCH,
            title_en="Field study at IIT Example",
            title_ja="IIT Exampleでの現地研修",
            starts_on=date(2027, 2, 8),
            ends_on=date(2027, 2, 17),
            country="IN",
            partner=india,
            time_zone="Asia/Kolkata",
            people=3,
            position=2,
        )
        for position, (day, partner, zone) in enumerate(
            [(date(2027, 1, 28), india, "Asia/Kolkata"), (date(2027, 3, 1), egypt, "Africa/Cairo")],
            start=3,
        ):
            Activity.objects.create(
                plan=self,
                kind=Activity.Kind.ONLINE,
                title_en=f"Online seminar {position - 2}",
                title_ja=f"オンラインセミナー{position - 2}",
                starts_on=day,
                ends_on=day,
                starts_at=japan_moment(day, 17),
                ends_at=japan_moment(day, 19),
                country=partner.country,
                partner=partner,
                time_zone=zone,
                people=30,
                position=position,
            )
        for offset, title in enumerate(["Welcome lecture", "Lab work", "Site visit"]):
            ItineraryItem.objects.create(
                plan=self,
                day=invitation.starts_on + timedelta(days=offset),
                start_time=time(9),
                end_time=time(12),
                kind="lecture",
                title_en=title,
                title_ja="講義",
                place="Tokyo",
            )
        for activity, category, unit, quantity in [
            (invitation, "airfare", 120_000, 5),
            (invitation, "accommodation", 12_000, 45),
            (dispatch, "airfare", 130_000, 3),
            (dispatch, "accommodation", 8_000, 27),
        ]:
            BudgetLine.objects.create(
                plan=self,
                activity=activity,
                category=category,
                unit_cost_jpy=unit,
                quantity=quantity,
            )
        ScreeningAnswers.objects.create(
            plan=self, tied_to_listed_entity="no", listed_technology="no", specific_category="no"
        )
