"""Demo people on course-D plans: two of the host's students dispatched abroad and one invitee
from India, each on one of the plan's activities, with their letters (dispatch certificates and
an acceptance letter). Idempotent: the same rows and, with unchanged data, the same letters."""

from datetime import date

from applications.models import Activity, InvitationPlan, PlanState
from letters.domain.letters import issue_letter
from participants.models import Participant
from programs.domain.rules import plan_rules

# (family name as in the passport, given name, native name, email, gender, date of birth)
TRAVELLERS = [
    ("SATO", "Shota", "佐藤 翔太", "shota.sato@example.ac.jp", "male", date(2002, 4, 9)),
    (
        "TAKAHASHI",
        "Misaki",
        "高橋 美咲",
        "misaki.takahashi@example.ac.jp",
        "female",
        date(2001, 11, 23),
    ),
]
INVITEE = (
    "VERMA",
    "Ananya",
    "अनन्या वर्मा",
    "ananya.verma@example.ac.in",
    "female",
    date(2000, 8, 15),
)


def seed_dispatched_participants():
    """`add_dispatched_participants` for every course-D plan open for registration."""
    plans = InvitationPlan.objects.filter(
        state__in=PlanState.registration_open(), activities__kind=Activity.Kind.DISPATCH
    ).distinct()
    for plan in plans:
        if plan_rules(plan).uses_activities:
            add_dispatched_participants(plan)


def add_dispatched_participants(plan):
    """Register two dispatched participants on the plan's first dispatch and one invitee on
    its first invitation (whichever the plan has), and issue their letters. Returns them."""
    activities = plan.activities.select_related("partner")
    dispatch = activities.filter(kind=Activity.Kind.DISPATCH).first()
    invitation = activities.filter(kind=Activity.Kind.INVITATION).first()
    people = []
    if dispatch is not None:
        for family, given, native, email, gender, born in TRAVELLERS:
            people.append(
                _person(
                    plan,
                    dispatch,
                    email,
                    family_name=family,
                    given_name=given,
                    native_name=native,
                    gender=gender,
                    date_of_birth=born,
                    nationality="JP",
                    category="graduate",
                    direction=Participant.Direction.DISPATCHED,
                    passport_valid_until=date(dispatch.ends_on.year + 5, 3, 31),
                    emergency_contact_name=f"{native.split()[0]} 家",
                    emergency_contact_phone="+81 3 0000 0000",
                    travel_insurance="Sakura Travel Insurance DEMO-001",
                    travel_registration_done=family == "SATO",
                )
            )
    if invitation is not None:
        family, given, native, email, gender, born = INVITEE
        people.append(
            _person(
                plan,
                invitation,
                email,
                family_name=family,
                given_name=given,
                native_name=native,
                gender=gender,
                date_of_birth=born,
                nationality=str(invitation.country or "IN"),
                home_institution=invitation.partner,
                category="graduate",
                direction=Participant.Direction.INVITED,
            )
        )
    # Their letters, as a worker would issue them (idempotent: unchanged data, no new one).
    for person in people:
        issue_letter(person)
    return people


def _person(plan, activity, email, **fields):
    participant, created = Participant.objects.update_or_create(
        plan=plan, email=email, defaults={"activity": activity, **fields}
    )
    if created:
        participant.passport_number = f"TK{participant.pk:07d}"
        participant.save(update_fields=["passport_number_encrypted"])
    return participant
