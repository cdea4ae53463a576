"""The questionnaire after the stay: the participant's form, and the anonymous results.

The participant reaches only their own record (another id answers 404); a plan's results are
for its host coordinators and staff (404 for others); a call's results for staff only (403).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from common.views import PermissionRequiredMixin
from programs.models import Call

from ..domain.survey import (
    answer_survey,
    has_answered,
    results_by_plan,
    results_for_call,
    results_for_plan,
    survey_open,
)
from ..forms.survey import QUESTIONS, SurveyForm
from ..models import Participant, SurveyAnswer
from .coordinator import PlanParticipantsMixin


def result_rows(results):
    """The scales of `results` with their bilingual questions, in questionnaire order."""
    return [
        {"question": QUESTIONS[scale], **results["scales"][scale]}
        for scale in SurveyAnswer.SCALES
        if results["shown"]
    ]


class ParticipantSurvey(PermissionRequiredMixin, FormView):
    """My questionnaire: open after my departure, answered once."""

    permission_required = "participants.view_participant"
    form_class = SurveyForm
    template_name = "participants/survey/form.html"

    def get_permission_object(self):
        self.participant = get_object_or_404(
            Participant.objects.filter(user=self.request.user).select_related("plan__host"),
            pk=self.kwargs["participant_pk"],
        )
        return self.participant

    def further_checks(self, request, participant):
        if has_answered(participant):
            return self.render_to_response(self.context(template="answered"))
        if not survey_open(participant.plan, timezone.localdate()):
            return self.render_to_response(self.context(template="not_yet"))
        return None

    def context(self, template, **kwargs):
        self.template_name = f"participants/survey/{template}.html"
        return {"participant": self.participant, "plan": self.participant.plan, **kwargs}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            participant=self.participant, plan=self.participant.plan, **kwargs
        )

    def form_valid(self, form):
        language = translation.get_language() or "en"
        data = {**form.cleaned_data, "language": "ja" if language.startswith("ja") else "en"}
        try:
            answer_survey(self.participant, data, by=self.request.user)
        except ValidationError as refusal:
            form.add_error(None, refusal.messages)
            return self.form_invalid(form)
        messages.success(self.request, _("Thank you for telling us about your stay!"))
        return redirect("participant_survey", participant_pk=self.participant.pk)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class PlanSurveyResults(PlanParticipantsMixin, TemplateView):
    """The plan's survey results for its host coordinators and staff; no names anywhere."""

    template_name = "participants/survey/plan_results.html"

    def get_context_data(self, **kwargs):
        results = results_for_plan(self.plan)
        return super().get_context_data(
            results=results,
            rows=result_rows(results),
            registered=self.plan.participants.count(),
            **kwargs,
        )


class CallSurveyResults(PermissionRequiredMixin, TemplateView):
    """A call's survey results for staff, all plans together and plan by plan."""

    permission_required = "accounts.use_staff_pages"
    template_name = "participants/survey/call_results.html"

    def get_context_data(self, **kwargs):
        call = get_object_or_404(Call.objects.select_related("program"), pk=self.kwargs["pk"])
        results = results_for_call(call)
        plans = results_by_plan(call)
        return super().get_context_data(
            call=call, results=results, rows=result_rows(results), plans=plans, **kwargs
        )
