"""Two more plans of the decided call, further along: one in progress whose participants —
in Devanagari, Vietnamese and Thai — have their letters and have answered the survey, and
one whose stay is over and whose report is submitted. Made through the real functions
(submit, decide, release, the stay's moves, the report), then dated back."""

from datetime import date, timedelta

from django.utils import timezone

from accounts.models import User
from applications.domain.declarations import required_declarations
from applications.domain.states import set_plan_state, submit_plan
from applications.models import InvitationPlan, PlannedInvitees, PlanState
from letters.domain.letters import issue_letter
from participants.domain.survey import answer_survey
from participants.models import Participant, SurveyAnswer
from programs.models import Call
from reports.domain.reporting import report_for, save_report, submit_report
from reviews.domain.decisions import decide, release_decisions
from reviews.models import Decision

from .approved_plan import open_again
from .plans import draft_plan

STAY_ORDER = [
    PlanState.APPROVED,
    PlanState.IN_PROGRESS,
    PlanState.COMPLETED,
    PlanState.REPORTED,
    PlanState.CLOSED,
]
IN_PROGRESS_TITLE = "Monsoon hydrology field school"
REPORTED_TITLE = "Geothermal energy workshop"

# family, given, native script, email, gender, nationality, category
MONSOON_PEOPLE = [
    ("SHARMA", "Priya", "प्रिया शर्मा", "priya.sharma@example.org", "female", "IN", "graduate"),
    ("NGUYEN", "Van An", "Nguyễn Văn An", "nguyen.an@example.org", "male", "VN", "graduate"),
    ("KAEWMANEE", "Ploy", "พลอย แก้วมณี", "ploy@example.org", "female", "TH", "escort"),
]
GEOTHERMAL_PEOPLE = [
    ("SANTOSO", "Budi", "", "budi@example.org", "male", "ID", "graduate"),
    ("WULANDARI", "Sri", "", "sri@example.org", "female", "ID", "graduate"),
    ("HARTONO", "Agus", "", "agus@example.org", "male", "ID", "escort"),
]
SURVEY = [
    (5, 5, 5, "yes", True, "The field days in the river basin were the best part.", "en"),
    (4, 5, 4, "maybe", True, "研究室の皆さんがとても親切でした。", "ja"),
    (4, 4, 5, "yes", True, "", "en"),
]


def seed_stays(institutions):
    call = Call.objects.get(program__code="ssp", status=Call.Status.DECIDED)
    officer = User.objects.get(email="officer@example.org")
    today = timezone.localdate()
    monsoon = _approved(
        call,
        institutions["sakura"],
        "colleague@example.org",
        IN_PROGRESS_TITLE,
        "モンスーン水文学フィールドスクール",
        start=today - timedelta(days=8),
        rows=[("IN", "graduate", 1), ("VN", "graduate", 1), ("TH", "escort", 1)],
        officer=officer,
    )
    people = _register(monsoon, MONSOON_PEOPLE)
    _move(monsoon, [PlanState.IN_PROGRESS], officer)
    for person, answer in zip(people, SURVEY, strict=True):
        _answer(person, answer)

    geothermal = _approved(
        call,
        institutions["kirishima"],
        "kosen@example.org",
        REPORTED_TITLE,
        "地熱エネルギーワークショップ",
        start=today - timedelta(days=28),
        rows=[("ID", "graduate", 2), ("ID", "escort", 1)],
        officer=officer,
    )
    people = _register(geothermal, GEOTHERMAL_PEOPLE)
    _move(geothermal, [PlanState.IN_PROGRESS, PlanState.COMPLETED], officer)
    _report(geothermal, people)
    return monsoon, geothermal


def _approved(call, host, email, title_en, title_ja, *, start, rows, officer):
    """The plan by that title, or a new one drafted, submitted, approved and released."""
    plan = InvitationPlan.objects.filter(call=call, host=host, title_en=title_en).first()
    if plan is not None:
        return plan
    lead = User.objects.get(email=email)
    countries = {country for country, _category, _count in rows}
    partners = [
        host.partners.filter(country=country).order_by("pk").first()
        for country in sorted(countries)
    ]
    plan = draft_plan(
        call,
        call.courses.get(code="A"),
        host,
        lead,
        title_en=title_en,
        title_ja=title_ja,
        partner=partners[0],
        country=partners[0].country,
        start=start,
        people=len(rows) - 1,
        field="earth",
    )
    plan.partners.set(partners)
    plan.invitees.all().delete()
    by_country = {str(partner.country): partner for partner in partners}
    PlannedInvitees.objects.bulk_create(
        PlannedInvitees(
            plan=plan,
            sending_institution=by_country[country],
            country=country,
            category=category,
            count=count,
        )
        for country, category, count in rows
    )
    with open_again(call):
        ticked = [item["code"] for item in required_declarations(plan)]
        submit_plan(plan, by=lead, declarations=ticked)
    decide(plan, Decision.Outcome.APPROVED, by=officer)
    release_decisions(call, by=officer)
    plan.refresh_from_db()
    return plan


def _register(plan, people):
    partners = {str(partner.country): partner for partner in plan.partners.all()}
    registered = []
    for family, given, native, email, gender, country, category in people:
        participant, _created = Participant.objects.update_or_create(
            plan=plan,
            email=email,
            defaults={
                "family_name": family,
                "given_name": given,
                "native_name": native,
                "date_of_birth": date(1999, 3, 14),
                "gender": gender,
                "nationality": country,
                "home_institution": partners[country],
                "category": category,
                "first_stay_in_japan": True,
            },
        )
        if plan.registration_is_open:
            issue_letter(participant)
        registered.append(participant)
    return registered


def _move(plan, states, officer):
    """The stay's moves that are still to be made (a second run finds them made)."""
    for state in states:
        plan.refresh_from_db()
        if STAY_ORDER.index(plan.state) < STAY_ORDER.index(state):
            set_plan_state(plan, state, by=officer, notify=False)


def _answer(participant, answer):
    """The participant's portal account (no password: the demo never signs them in) and
    their answer to the survey."""
    if SurveyAnswer.objects.filter(participant=participant).exists():
        return
    user, created = User.objects.get_or_create(
        email=participant.email,
        defaults={"full_name": participant.passport_name, "preferred_language": answer[6]},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    Participant.objects.filter(pk=participant.pk).update(user=user)
    participant.refresh_from_db()
    overall, program, host, would_study, recommend, text, language = answer
    answer_survey(
        participant,
        {
            "satisfaction_overall": overall,
            "satisfaction_program": program,
            "satisfaction_host": host,
            "would_study_in_japan": would_study,
            "would_recommend": recommend,
            "free_text": text,
            "language": language,
        },
        by=user,
    )


def _report(plan, people):
    """The host's report: everyone came, the money as approved, submitted."""
    if plan.state != PlanState.COMPLETED:
        return
    lead = plan.lead
    report = report_for(plan)
    save_report(
        report,
        by=lead,
        expected_version=report.version,
        fields={
            "actual_arrival_on": plan.arrival_on,
            "actual_departure_on": plan.departure_on,
            "activities": "Lectures on geothermal systems, a visit to the Kirishima power "
            "station and joint lab work on scaling in pipes.",
            "joint_papers": 1,
            "agreements": 1,
        },
        attended=people,
        actuals={expense.category: expense.approved_jpy for expense in report.expenses.all()},
    )
    submit_report(report, by=lead)
