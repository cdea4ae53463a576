"""Staff: issue a call's letters in a batch and watch it, or every letter of one plan."""

from django.contrib import messages
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import TemplateView

from applications.models import InvitationPlan
from common.views import PermissionRequiredMixin
from programs.models import Call

from ..domain.batches import queue_letters_for_plan, retry_failed, start_batch
from ..models import Letter, LetterBatch, LetterJob


class CallLettersMixin(PermissionRequiredMixin):
    permission_required = "letters.issue_letters"

    def get_call(self):
        return get_object_or_404(Call.objects.select_related("program"), pk=self.kwargs["pk"])


class CallLetters(CallLettersMixin, TemplateView):
    """Staff: start issuing a call's letters, watch the progress, retry what failed."""

    template_name = "letters/call_letters.html"

    def get_context_data(self, **kwargs):
        call = self.get_call()
        batch = LetterBatch.objects.filter(call=call).select_related("started_by").first()
        failures = (
            batch.jobs.filter(state=LetterJob.State.FAILED)
            .select_related("participant__plan")
            .order_by("participant__plan__number", "participant__family_name")
            if batch
            else LetterJob.objects.none()
        )
        return super().get_context_data(
            call=call,
            batch=batch,
            failures=failures,
            letters_current=Letter.objects.filter(
                plan__call=call, status=Letter.Status.CURRENT
            ).count(),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        call = self.get_call()
        if request.POST.get("action") == "retry":
            batch = LetterBatch.objects.filter(call=call).first()
            count = retry_failed(batch, by=request.user) if batch else 0
            messages.success(
                request,
                ngettext(
                    "%(count)s failed letter has been queued again.",
                    "%(count)s failed letters have been queued again.",
                    count,
                )
                % {"count": count},
            )
        else:
            batch = start_batch(call, by=request.user)
            messages.success(
                request,
                ngettext(
                    "Issuing %(count)s letter has started.",
                    "Issuing %(count)s letters has started.",
                    batch.total,
                )
                % {"count": batch.total},
            )
        return redirect("call_letters", pk=call.pk)


class CallLettersProgress(CallLettersMixin, View):
    """The latest batch's counters, for the page's progress script."""

    def get(self, request, *args, **kwargs):
        call = self.get_call()
        batch = LetterBatch.objects.filter(call=call).first()
        if batch is None:
            return JsonResponse({"batch": None})
        return JsonResponse(
            {
                "batch": batch.pk,
                "total": batch.total,
                "done": batch.done,
                "failed": batch.failed,
                "waiting": batch.waiting,
                "finished": batch.is_finished,
                "message": _("%(done)s of %(total)s issued, %(failed)s failed")
                % {"done": batch.done, "total": batch.total, "failed": batch.failed},
            },
            headers={"Cache-Control": "no-store"},
        )


class PlanLettersIssue(PermissionRequiredMixin, View):
    """Staff: issue (or bring up to date) every letter of one approved plan."""

    permission_required = "applications.manage_plans"

    def post(self, request, pk):
        plan = get_object_or_404(InvitationPlan, pk=pk)
        with transaction.atomic():
            queue_letters_for_plan(plan)
        messages.success(request, _("The plan's letters are being issued."))
        return redirect("participant_list", pk=plan.pk)
