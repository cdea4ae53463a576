"""An agency-hosted plan of the JST Direct Invitation Program, a body abroad and its contact."""

from datetime import timedelta

import pytest
from django.utils import timezone

from applications.models import PlanState
from institutions.models import Institution
from nominations.models import NominatingBody, Nomination, NominationRound, Nominator
from reviews.models import Decision

from ..factories import (
    CallFactory,
    CourseFactory,
    InstitutionFactory,
    PlanFactory,
    ProgramFactory,
    UserFactory,
)


@pytest.fixture
def agency(db):
    return InstitutionFactory(
        kind=Institution.Kind.AGENCY,
        name_en="Japan Science and Technology Agency",
        name_ja="科学技術振興機構",
    )


@pytest.fixture
def direct_call(db):
    """The direct program's call: never open for applications (its window is long past)."""
    program = ProgramFactory(
        code="direct",
        name_en="JST Direct Invitation Program",
        name_ja="JST直接招へいプログラム",
        agency_hosted=True,
    )
    course = CourseFactory(
        program=program,
        code="DIP",
        name_en="Direct invitation (seven days)",
        name_ja="直接招へい（7日間）",
        max_days=7,
        eligible_categories=["undergraduate", "graduate", "postdoc", "researcher", "escort"],
    )
    return CallFactory(
        program=program,
        opens_at=timezone.now() - timedelta(days=60),
        closes_at=timezone.now() - timedelta(days=30),
        courses=[course],
    )


@pytest.fixture
def direct_draft(agency, direct_call, staff_user):
    """A complete agency-hosted draft (5 places: 4 graduates and an escort from Thailand)."""
    plan = PlanFactory(call=direct_call, host=agency, lead=staff_user)
    NominationRound.objects.create(plan=plan)
    return plan


@pytest.fixture
def direct_plan(direct_draft, staff_user):
    """The draft approved by the agency, with its released decision."""
    Decision.objects.create(
        plan=direct_draft,
        outcome=Decision.Outcome.APPROVED,
        approved_amount_jpy=1_110_000,
        decided_by=staff_user,
        released_at=timezone.now(),
    )
    direct_draft.state = PlanState.APPROVED
    direct_draft.save(update_fields=["state"])
    return direct_draft


@pytest.fixture
def body(db):
    return NominatingBody.objects.create(
        name_en="Ministry of Higher Education, Science, Research and Innovation",
        name_ja="タイ高等教育・科学・研究・イノベーション省",
        country="TH",
        kind=NominatingBody.Kind.MINISTRY,
    )


@pytest.fixture
def other_body(db):
    return NominatingBody.objects.create(
        name_en="National Research Council of Thailand", country="TH", kind="agency"
    )


@pytest.fixture
def nominator(direct_plan, body):
    """A contact at `body` who accepted the invitation for `direct_plan`."""
    user = UserFactory(full_name="Somsak Nominator", email="nominator@example.org")
    Nominator.objects.create(user=user, body=body, plan=direct_plan)
    return user


def make_nomination(plan, body, **changes):
    """A graduate student of Thailand, 25 on arrival, nominated by `body` for `plan`."""
    nominator = Nominator.objects.filter(plan=plan, body=body).first()
    data = {
        "family_name": "SUKSAWAT",
        "given_name": "Niran",
        "native_name": "นิรันดร์ สุขสวัสดิ์",
        "date_of_birth": plan.arrival_on.replace(year=plan.arrival_on.year - 25),
        "gender": "male",
        "nationality": "TH",
        "category": "graduate",
        "email": "niran@example.org",
        "home_institution_name": "Chulalongkorn University",
        "motivation": "Top of the class in materials science.",
        **changes,
    }
    return Nomination.objects.create(plan=plan, body=body, nominator=nominator, **data)
