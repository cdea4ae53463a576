"""A small dataset whose figures are worked out by hand in the comments, for the dashboard
and export tests.

Program SSP, two fiscal years, two courses (A, B), two hosts (Tokyo, Osaka):

  plan  year  course  host   state      decision amount  participants
  p1    2025  A       Tokyo  approved   ¥1,000,000       TH graduate ×2, VN escort
  p2    2025  B       Osaka  rejected   —                —
  p3    2026  A       Tokyo  completed  (none: budget ¥1,110,000)  IN graduate ×2
  p4    2026  B       Osaka  submitted  —                —
  p5    2026  B       Osaka  closed     ¥500,000         TH undergraduate, VN graduate
  p6    2026  A       Tokyo  rejected   —                —
"""

from applications.models import InvitationPlan, PlanState
from reviews.models import Decision
from tests.factories import CallFactory, CourseFactory, InstitutionFactory, PlanFactory
from tests.participants.builders import registered

CALL_BUDGETS = {2025: 10_000_000, 2026: 20_000_000}


def set_state(plan, state):
    InvitationPlan.objects.filter(pk=plan.pk).update(state=state)
    plan.state = state
    return plan


def people(plan, *specs):
    """specs: (nationality, category, how many)."""
    for nationality, category, count in specs:
        for n in range(count):
            registered(
                plan,
                family_name=f"P{plan.pk}{nationality}{category}{n}",
                nationality=nationality,
                category=category,
                email=f"p{plan.pk}-{nationality}-{category}-{n}@example.org",
            )


def build(decided_by, *, round_offset=0):
    """The dataset above; another call of the same shape each time round_offset changes."""
    course_a = CourseFactory(code=f"A{round_offset}", name_en="Science experience")
    course_b = CourseFactory(code=f"B{round_offset}", name_en="Joint research")
    calls = {
        year: CallFactory(
            fiscal_year=year,
            round=1 + round_offset,
            budget_jpy=budget,
            courses=[course_a, course_b],
        )
        for year, budget in CALL_BUDGETS.items()
    }
    tokyo = InstitutionFactory(name_en=f"Tokyo Institute {round_offset}", prefecture="13")
    osaka = InstitutionFactory(name_en=f"Osaka Institute {round_offset}", prefecture="27")

    def plan(year, course, host, state, amount=None, outcome=None):
        made = set_state(PlanFactory(call=calls[year], course=course, host=host), state)
        if outcome:
            Decision.objects.create(
                plan=made, outcome=outcome, approved_amount_jpy=amount, decided_by=decided_by
            )
        return made

    p1 = plan(2025, course_a, tokyo, PlanState.APPROVED, 1_000_000, "approved")
    p2 = plan(2025, course_b, osaka, PlanState.REJECTED, outcome="rejected")
    p3 = plan(2026, course_a, tokyo, PlanState.COMPLETED, None, "approved")
    p4 = plan(2026, course_b, osaka, PlanState.SUBMITTED)
    p5 = plan(2026, course_b, osaka, PlanState.CLOSED, 500_000, "approved")
    p6 = plan(2026, course_a, tokyo, PlanState.REJECTED, outcome="rejected")
    people(p1, ("TH", "graduate", 2), ("VN", "escort", 1))
    people(p3, ("IN", "graduate", 2))
    people(p5, ("TH", "undergraduate", 1), ("VN", "graduate", 1))
    return {
        "calls": calls,
        "courses": (course_a, course_b),
        "hosts": (tokyo, osaka),
        "plans": (p1, p2, p3, p4, p5, p6),
    }
