"""The home page and the per-role dashboards."""

from django.db.models import Case, Max, When
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.generic import TemplateView

from applications.models import InvitationPlan, PlanState
from applications.queries import own_plans, with_completeness
from common.views import PermissionRequiredMixin
from insights.domain.figures import people_by_direction
from institutions.queries import institutions_visible_to
from programs.domain.rules import with_rules
from programs.models import Call, fiscal_year_of
from programs.queries import open_calls
from reviews.domain.reviewing import needs_new_review
from reviews.domain.workload import is_overdue as review_overdue
from reviews.models import ReviewAssignment
from reviews.queries import assignments_of
from sakura.next_steps import next_step
from sakura.roles import roles_of

DASHBOARD_OF_ROLE = {
    "participant": "participant_home",
    "nominator": "nominator_home",
    "coordinator": "coordinator_dashboard",
    "reviewer": "reviewer_dashboard",
    "program_officer": "staff_dashboard",
    "admin": "admin:index",
}


def home(request):
    if request.user.is_authenticated:
        return redirect("dashboard")
    return render(request, "home.html")


def dashboard(request):
    """Send a person to the dashboard of their first role; explain when they have none."""
    if not request.user.is_authenticated:
        return redirect("account_login")
    roles = roles_of(request.user)
    if roles:
        return redirect(DASHBOARD_OF_ROLE[roles[0]])
    return render(request, "dashboards/no_role.html")


class CoordinatorDashboard(PermissionRequiredMixin, TemplateView):
    permission_required = "accounts.use_coordinator_dashboard"
    template_name = "dashboards/coordinator.html"

    def get_context_data(self, **kwargs):
        user, now = self.request.user, timezone.now()
        mine = own_plans(user)
        plans = list(
            with_completeness(
                mine.filter(state__in=PlanState.active_states()).select_related(
                    "call__program", "course"
                )
            ).order_by(
                # Plans still being written first (their deadline counts down), soonest first.
                Case(When(state__in=PlanState.editable_states(), then=0), default=1),
                "call__closes_at",
                "-updated_at",
            )[:10]
        )
        for plan in plans:
            plan.next_step = next_step(plan, now)
        reviews = []
        if user.is_reviewer:
            # A coordinator who also reviews sees what waits for them in both roles.
            reviews = (
                assignments_of(user)
                .filter(
                    state__in=[ReviewAssignment.State.ASSIGNED, ReviewAssignment.State.ACCEPTED]
                )
                .order_by("plan__call__review_setup__deadline", "plan__number")
                .select_related("plan__call__review_setup")[:10]
            )
        return super().get_context_data(
            institutions=institutions_visible_to(user).filter(memberships__user=user),
            open_calls=with_rules(open_calls()),
            plans=plans,
            pending_reviews=reviews,
            now=now,
            directions=people_by_direction(mine),
            **kwargs,
        )


class ReviewerDashboard(PermissionRequiredMixin, TemplateView):
    permission_required = "accounts.use_reviewer_dashboard"
    template_name = "dashboards/reviewer.html"

    def get_context_data(self, **kwargs):
        assignments = list(
            assignments_of(self.request.user)
            .exclude(state__in=[ReviewAssignment.State.CONFLICT, ReviewAssignment.State.DECLINED])
            .select_related("plan__call__review_setup")
            .annotate(latest_version=Max("plan__versions__number"))
            .order_by("plan__call__review_setup__deadline", "plan__number")
        )
        now = timezone.now()
        for assignment in assignments:
            review = getattr(assignment, "review", None)
            assignment.needs_new_review = needs_new_review(review, assignment.latest_version or 0)
            assignment.overdue = review_overdue(assignment, now)
        return super().get_context_data(assignments=assignments, now=now, **kwargs)


class StaffDashboard(PermissionRequiredMixin, TemplateView):
    permission_required = "accounts.use_staff_pages"
    template_name = "dashboards/staff.html"

    def get_context_data(self, **kwargs):
        now = timezone.now()
        fiscal_year = fiscal_year_of(timezone.localdate(now))
        return super().get_context_data(
            fiscal_year=fiscal_year,
            directions=people_by_direction(
                InvitationPlan.objects.filter(call__fiscal_year=fiscal_year)
            ),
            open_calls=open_calls(now),
            upcoming_calls=Call.objects.published()
            .filter(opens_at__gt=now)
            .select_related("program")
            .order_by("opens_at")[:5],
            draft_calls=Call.objects.filter(status=Call.Status.DRAFT).select_related("program"),
            now=now,
            **kwargs,
        )
