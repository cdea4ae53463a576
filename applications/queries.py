"""Plans a user may see; every list of plans is built on this so it cannot leak."""

from functools import cache

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce

from accounts.models import User
from accounts.rules import is_program_officer, membership_roles
from common.prepared import PreparedQuery, keep_as_prefetched

from .domain.money import requested_total_expression
from .models import Attachment, BudgetLine, InvitationPlan, ItineraryItem, PlannedInvitees

# Who may be a plan's collaborator (its host's members but its lead, by name), and who is:
# read on every page of the plan's basics, each query compiled once per process.
_COLLEAGUES = PreparedQuery(
    lambda host, lead: User.objects.filter(institutions=host).exclude(pk=lead).order_by("full_name")
)
_COLLABORATORS = PreparedQuery(lambda plan: User.objects.filter(collaborating_plans=plan))


def colleagues_of(plan):
    """The people `plan`'s lead may name as collaborators: the host's other members."""
    return _COLLEAGUES.all(host=plan.host_id, lead=plan.lead_id)


def read_collaborators(plan):
    """Read `plan`'s collaborators and keep them on it (`plan.collaborators.all()`)."""
    keep_as_prefetched(plan, "collaborators", _COLLABORATORS.all(plan=plan.pk))


def plans_visible_to(user):
    return plans_of_hosts(hosts_visible_to(user))


def hosts_visible_to(user):
    """The ids of the institutions whose plans `user` may see; None: every institution's (a
    program officer)."""
    if is_program_officer(user):
        return None
    if not user.is_authenticated:
        return []
    return list(membership_roles(user))


def plans_of_hosts(hosts):
    """The plans of the institutions `hosts` (ids; None: of every institution), read with
    their call, program, course, host and lead."""
    plans = InvitationPlan.objects.select_related("call__program", "course", "host", "lead")
    return plans if hosts is None else plans.filter(host_id__in=hosts)


def own_plans(user):
    """The plans of the institutions `user` belongs to (for a program officer too: their own
    institution's, not every plan), filtered by id rather than joined through memberships."""
    return plans_of_hosts(list(membership_roles(user)))  # which are plans they may see


def _per_plan(model, aggregate, plan_field="plan"):
    """A correlated subquery: one figure per plan, without multiplying joined rows (nor a
    GROUP BY over the whole row, which PostgreSQL takes longer to plan than to run)."""
    rows = model.objects.filter(**{plan_field: OuterRef("pk")}).order_by().values(plan_field)
    return Coalesce(
        Subquery(rows.annotate(figure=aggregate).values("figure")[:1]),
        0,
        output_field=IntegerField(),
    )


def with_completeness(plans):
    """Annotate the figures the lists need to say what is missing, in the same query."""
    return plans.annotate(**_completeness_figures())


@cache
def _completeness_figures():
    """The figures' expressions, made once: each query resolves its own copy of them, and
    making six subqueries anew cost a plan list 1 ms a request (of 1.7 to build its query)."""
    return {
        "invitee_total": _per_plan(PlannedInvitees, Sum("count")),
        "itinerary_count": _per_plan(ItineraryItem, Count("pk")),
        "budget_count": _per_plan(BudgetLine, Count("pk")),
        "budget_total": requested_total_expression(),
        "attachment_count": _per_plan(Attachment, Count("pk")),
        # A plan names each partner once (the link's unique pair): rows are partners.
        "partner_count": _per_plan(InvitationPlan.partners.through, Count("pk"), "invitationplan"),
    }


def search(plans, text):
    text = (text or "").strip()
    if not text:
        return plans
    return plans.filter(
        Q(reference__icontains=text) | Q(title_en__icontains=text) | Q(title_ja__icontains=text)
    )
