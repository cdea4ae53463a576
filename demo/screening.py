"""Demo export-control screening: the fictional End User List in force, course D asking for
the security forms, and a partner of Kirishima College whose name is close to a listed entity,
on the submitted demo plan, with the match unresolved."""

from datetime import date

from applications.models import InvitationPlan
from institutions.domain.partners import save_partner
from institutions.models import PartnerInstitution
from programs.models import Course
from screening.domain.lists import FICTIONAL_LIST, upload_list
from screening.models import EndUserList, ScreeningAnswers, SecurityFormRequirement

DEMO_VERSION = "DEMO-FICTIONAL-1"
NEAR_MATCH = "Zefyria Institute of Advanced Propulsión"  # listed: Zephyria Institute of …


def answer_screening(plan, *, by):
    """The host's pre-check, answered "no" throughout (the demo plans' partners are clean)."""
    ScreeningAnswers.objects.update_or_create(
        plan=plan,
        defaults={
            "tied_to_listed_entity": "no",
            "listed_technology": "no",
            "specific_category": "no",
            "updated_by": by,
        },
    )


def seed_screening(institutions):
    for course in Course.objects.filter(code="D"):
        SecurityFormRequirement.objects.update_or_create(
            course=course,
            defaults={"required": True, "source": "FY2025 course D overview: two security forms"},
        )
    if not EndUserList.objects.filter(version=DEMO_VERSION).exists():
        upload_list(
            FICTIONAL_LIST.name,
            FICTIONAL_LIST.read_bytes(),
            version=DEMO_VERSION,
            published_on=date(2026, 1, 1),
            by=None,
        )
    kirishima = institutions["kirishima"]
    partner = PartnerInstitution.objects.filter(host=kirishima, name=NEAR_MATCH).first()
    if partner is None:
        partner = save_partner(
            PartnerInstitution(
                host=kirishima,
                name=NEAR_MATCH,
                country="ID",
                city="Bandung",
                kind=PartnerInstitution.Kind.RESEARCH_INSTITUTE,
            )
        )
    plan = InvitationPlan.objects.filter(
        host=kirishima, title_en="Robotics for disaster response"
    ).first()
    if plan is not None:
        plan.partners.add(partner)
