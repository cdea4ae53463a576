"""What a coordinator does next with each of their plans, in a word and a link: the
dashboard's "Next" column."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from applications.models import PlanState

S = PlanState


@dataclass(frozen=True)
class NextStep:
    text: str
    url: str | None = None  # None: nothing to do but wait


def next_step(plan, now):
    """The plan's next step for its host. `plan` comes annotated by `with_completeness()`."""
    if plan.state in S.editable_states():
        if not plan.call.is_open(now):
            return NextStep(_("The call has closed"), reverse("plan_detail", args=[plan.pk]))
        missing = plan.missing_parts()
        if missing:
            return NextStep(
                _("Complete: %(parts)s") % {"parts": ", ".join(str(part) for part in missing)},
                reverse("plan_edit_basics", args=[plan.pk]),
            )
        return NextStep(_("Review and submit"), reverse("plan_submit", args=[plan.pk]))
    if plan.state in S.in_review():
        return NextStep(_("Wait for the review"))
    if plan.state == S.WAITLISTED:
        return NextStep(_("On the waitlist: wait for a place"))
    if plan.state in S.registration_open():
        return NextStep(_("Register participants"), reverse("participant_list", args=[plan.pk]))
    if plan.state == S.COMPLETED:
        return NextStep(_("Write the report"), reverse("report_edit", args=[plan.pk]))
    if plan.state == S.REPORTED:
        return NextStep(_("Wait for the agency to accept the report"))
    return NextStep(_("Nothing more to do"))
