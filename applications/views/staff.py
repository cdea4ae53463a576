"""Staff: every plan of a call, filtered and searched, a page at a time."""

from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q
from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView

from common.views import PermissionRequiredMixin
from programs.models import Call

from ..forms import PlanFilterForm
from ..models import PlannedInvitees, PlanState
from ..queries import plans_visible_to, search, with_completeness


class CallPlanList(PermissionRequiredMixin, TemplateView):
    permission_required = "applications.manage_plans"
    template_name = "applications/staff_plan_list.html"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        call = get_object_or_404(
            Call.objects.select_related("program").prefetch_related("courses"), pk=self.kwargs["pk"]
        )
        form = PlanFilterForm(self.request.GET or None, call=call)
        visible = plans_visible_to(self.request.user).filter(call=call)
        drafts = visible.filter(state=PlanState.DRAFT).count()
        plans = with_completeness(visible)
        if form.is_valid():
            plans = filter_plans(plans, form.cleaned_data)
        drafts_hidden = not (form.is_valid() and form.cleaned_data.get("state"))
        if drafts_hidden:
            # Drafts are the coordinators' own until submitted: shown only when asked for.
            plans = plans.exclude(state=PlanState.DRAFT)
        page = Paginator(plans.order_by("number"), self.paginate_by).get_page(
            self.request.GET.get("page")
        )
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            call=call,
            form=form,
            page_obj=page,
            plans=page.object_list,
            drafts=drafts if drafts_hidden else 0,
            query=query.urlencode(),
            **kwargs,
        )


def filter_plans(plans, filters):
    plans = search(plans, filters.get("q"))
    if filters.get("state"):
        plans = plans.filter(state=filters["state"])
    if filters.get("course"):
        plans = plans.filter(course_id=filters["course"])
    if filters.get("prefecture"):
        plans = plans.filter(host__prefecture=filters["prefecture"])
    if filters.get("host"):
        name = filters["host"]
        plans = plans.filter(Q(host__name_en__icontains=name) | Q(host__name_ja__icontains=name))
    if filters.get("country"):
        plans = plans.filter(
            Exists(PlannedInvitees.objects.filter(plan=OuterRef("pk"), country=filters["country"]))
        )
    return plans
