"""factory-boy factories for the whole suite."""

from datetime import date, timedelta

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts.models import User
from institutions.models import Institution, Membership, PartnerInstitution
from programs.models import Call, Course, ParticipantCategory, Program

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
