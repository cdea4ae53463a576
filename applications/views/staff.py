"""Staff: every plan of a call, filtered and searched, a page at a time."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView

from common.views import PermissionRequiredMixin
from programs.models import Call

from ..filters import PlanFilter
from ..models import PlanState
from ..queries import plans_visible_to, with_completeness


class CallPlanList(PermissionRequiredMixin, TemplateView):
    permission_required = "applications.manage_plans"
    template_name = "applications/staff_plan_list.html"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        call = get_object_or_404(
            Call.objects.select_related("program").prefetch_related("courses"), pk=self.kwargs["pk"]
        )
        visible = plans_visible_to(self.request.user).filter(call=call)
        drafts = visible.filter(state=PlanState.DRAFT).count()
        chosen = PlanFilter(self.request.GET or None, with_completeness(visible), call=call)
        plans = chosen.qs
        drafts_hidden = not chosen.state_chosen
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
            form=chosen.form,
            page_obj=page,
            plans=page.object_list,
            drafts=drafts if drafts_hidden else 0,
            query=query.urlencode(),
            **kwargs,
        )
