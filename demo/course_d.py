"""The demo's course-D plan: a year of exchange between Sakura University of Science and
partners in India and Egypt — an invitation to Japan (begun a few days ago), an online
session with India, a dispatch of three students to Cairo and an online session with Egypt.
Drafted, submitted, decided, released and marked in progress through the real functions;
running the seed again changes nothing. Other demo modules add participants to
`course_d_plan()`."""

from datetime import datetime, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import User
from applications.domain.activities import fiscal_year_span, save_activity
from applications.domain.declarations import required_declarations
from applications.domain.editing import add_attachment, create_plan
from applications.domain.states import TransitionRefused, set_plan_state, submit_plan
from applications.models import (
    Activity,
    BudgetLine,
    InvitationPlan,
    ItineraryItem,
    PlannedInvitees,
    PlanState,
)
from common.dates import JAPAN
from institutions.domain.partners import save_partner
from institutions.models import Institution, PartnerInstitution
from programs.models import AttachmentKind, Call
from reviews.domain.decisions import decide, release_decisions
from reviews.models import Decision
from screening.domain.precheck import add_security_form

from .approved_plan import date_as_it_happened, open_again
from .plans import DEMO_PDF
from .screening import answer_screening

TITLE_EN = "A year of exchange in water and sanitation engineering"
TITLE_JA = "上下水道工学の年間相互交流"
HOST = "Sakura University of Science"


def course_d_plan():
    """The demo's course-D plan (None before the seed has run)."""
    return (
        InvitationPlan.objects.filter(title_en=TITLE_EN, host__name_en=HOST, course__code="D")
        .order_by("pk")
        .first()
    )


def seed_course_d(*, warn):
    """The course-D plan of the decided call, approved and in progress (once)."""
    if course_d_plan() is not None:
        return course_d_plan()
    call = Call.objects.get(program__code="ssp", status=Call.Status.DECIDED)
    host = Institution.objects.get(name_en=HOST)
    lead = User.objects.get(email="coordinator@example.org")
    officer = User.objects.get(email="officer@example.org")
    plan = create_plan(call=call, course=call.courses.get(code="D"), host=host, by=lead)
    InvitationPlan.objects.filter(pk=plan.pk).update(
        title_en=TITLE_EN,
        title_ja=TITLE_JA,
        field_of_science="engineering",
        objectives="Build a year-long exchange on safe water between Japan, India and Egypt.",
        expected_outcomes="A joint field study, a shared course, students applying to study.",
        contact_name=lead.full_name,
        contact_phone="+81-3-1111-2222",
        contact_email=lead.email,
    )
    plan.refresh_from_db()
    india = host.partners.get(country="IN")
    egypt = host.partners.filter(country="EG").first() or save_partner(
        PartnerInstitution(
            host=host,
            name="Cairo University",
            name_local="جامعة القاهرة",
            country="EG",
            city="Giza",
            kind=PartnerInstitution.Kind.UNIVERSITY,
        )
    )
    plan.partners.set([india, egypt])
    PlannedInvitees.objects.create(
        plan=plan, country="IN", category="graduate", count=4, sending_institution=india
    )
    PlannedInvitees.objects.create(
        plan=plan, country="IN", category="escort", count=1, sending_institution=india
    )
    invitation, dispatch = _add_activities(plan, call, india, egypt, by=lead)
    _add_itinerary_and_budget(plan, invitation, dispatch)
    add_attachment(
        plan,
        AttachmentKind.PARTNER_CONSENT,
        SimpleUploadedFile("partner-consent.pdf", DEMO_PDF),
        by=lead,
        expected_version=plan.version,
    )
    answer_screening(plan, by=lead)
    for partner in (None, india, egypt):
        add_security_form(
            plan, SimpleUploadedFile("security-form.pdf", DEMO_PDF), partner=partner, by=lead
        )
    try:
        with open_again(call):
            ticked = [item["code"] for item in required_declarations(plan)]
            submit_plan(plan, by=lead, declarations=ticked)
    except TransitionRefused as refused:
        warn(f"The course-D demo plan {plan.reference} stays a draft: {refused.message}")
        return plan
    decide(plan, Decision.Outcome.APPROVED, by=officer, approved_amount=1_900_000)
    release_decisions(call, by=officer)
    date_as_it_happened(plan, call)
    plan.refresh_from_db()
    if plan.state == PlanState.APPROVED and plan.arrival_on <= timezone.localdate():
        set_plan_state(plan, PlanState.IN_PROGRESS, by=officer, reason="The invitation began.")
    return plan


def _add_activities(plan, call, india, egypt, *, by):
    """Invitation from a few days ago; sessions and the dispatch in the weeks ahead, all
    inside the call's window and fiscal year."""
    today = timezone.localdate()
    first, last = fiscal_year_span(call.fiscal_year)
    first, last = max(first, call.exchange_starts_on), min(last, call.exchange_ends_on)

    def day(offset, length=1):
        return max(first, min(today + timedelta(days=offset), last - timedelta(days=length - 1)))

    def at(on, hour):
        return datetime.combine(on, time(hour), tzinfo=JAPAN)

    online_india, online_egypt = day(10), day(50)
    activities = [
        Activity(
            kind=Activity.Kind.INVITATION,
            title_en="Water lab training in Japan",
            title_ja="日本での水工学実習",
            starts_on=day(-3, 7),
            ends_on=day(-3, 7) + timedelta(days=6),
            partner=india,
            time_zone="Asia/Kolkata",
            people=5,
        ),
        Activity(
            kind=Activity.Kind.ONLINE,
            title_en="Online seminar with IIT Bombay",
            title_ja="IITボンベイとのオンラインセミナー",
            starts_on=online_india,
            ends_on=online_india,
            starts_at=at(online_india, 17),
            ends_at=at(online_india, 19),
            partner=india,
            time_zone="Asia/Kolkata",
            people=40,
        ),
        Activity(
            kind=Activity.Kind.DISPATCH,
            title_en="Field study in Cairo",
            title_ja="カイロでの現地研修",
            starts_on=day(30, 10),
            ends_on=day(30, 10) + timedelta(days=9),
            partner=egypt,
            time_zone="Africa/Cairo",
            people=3,
        ),
        Activity(
            kind=Activity.Kind.ONLINE,
            title_en="Online seminar with Cairo University",
            title_ja="カイロ大学とのオンラインセミナー",
            starts_on=online_egypt,
            ends_on=online_egypt,
            starts_at=at(online_egypt, 17),
            ends_at=at(online_egypt, 19),
            partner=egypt,
            time_zone="Africa/Cairo",
            people=35,
        ),
    ]
    for activity in activities:
        save_activity(plan, activity, by=by, expected_version=plan.version)
    return activities[0], activities[2]


def _add_itinerary_and_budget(plan, invitation, dispatch):
    days = [
        ("lecture", "Welcome and lecture: water treatment", "歓迎・講義：水処理", "Room 101"),
        ("lab_work", "Lab work: water quality analysis", "実習：水質分析", "Water Lab"),
        ("site_visit", "Visit: a water purification plant", "見学：浄水場", "Tokyo"),
    ]
    for offset, (kind, title_en, title_ja, place) in enumerate(days):
        ItineraryItem.objects.create(
            plan=plan,
            day=invitation.starts_on + timedelta(days=offset),
            start_time=time(9, 30),
            end_time=time(12, 0),
            kind=kind,
            title_en=title_en,
            title_ja=title_ja,
            place=place,
        )
    for activity, category, unit, quantity, note in [
        (invitation, "airfare", 150_000, 5, "Mumbai–Tokyo return"),
        (invitation, "accommodation", 12_000, 30, "5 people × 6 nights"),
        (dispatch, "airfare", 180_000, 3, "Tokyo–Cairo return"),
        (dispatch, "accommodation", 10_000, 27, "3 people × 9 nights"),
    ]:
        BudgetLine.objects.create(
            plan=plan,
            activity=activity,
            category=category,
            unit_cost_jpy=unit,
            quantity=quantity,
            note=note,
        )
