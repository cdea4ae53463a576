"""Alumni pages for staff: the list with each person's years, one person's history, duplicates.

Staff only; everyone else gets 403 (these are lists, not someone's object).
"""

from django.contrib import messages
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView, TemplateView

from common.views import PermissionRequiredMixin

from ..domain.alumni import link_alumni, merge_alumni, possible_duplicates
from ..filters import AlumnusFilter
from ..models import Alumnus, Participant

STAFF = "accounts.use_staff_pages"


def history(queryset):
    """Participations with what the history shows, oldest fiscal year first."""
    return queryset.select_related("plan__call", "plan__host").order_by(
        "plan__call__fiscal_year", "plan__arrival_on", "pk"
    )


class AlumniList(PermissionRequiredMixin, ListView):
    """Every alumnus with how often and in which fiscal years they came; search by name."""

    permission_required = STAFF
    template_name = "participants/alumni/list.html"
    context_object_name = "alumni"
    paginate_by = 50

    def get_queryset(self):
        alumni = Alumnus.objects.annotate(participation_count=Count("participations")).order_by(
            "family_name", "given_name", "date_of_birth", "pk"
        )
        self.filters = AlumnusFilter(self.request.GET or None, alumni)
        return self.filters.qs.prefetch_related(
            Prefetch(
                "participations",
                queryset=Participant.objects.select_related("plan__call").order_by(
                    "plan__call__fiscal_year"
                ),
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for alumnus in context["alumni"]:
            alumnus.years = sorted(
                {
                    participation.plan.call.fiscal_year
                    for participation in alumnus.participations.all()
                }
            )
        context["query"] = (
            self.filters.form.cleaned_data.get("q", "") if self.filters.is_bound else ""
        )
        return context

    def post(self, request, *args, **kwargs):
        linked = link_alumni()
        messages.success(
            request,
            _("%(count)s participants were linked to their alumni records.") % {"count": linked},
        )
        return redirect("alumni_list")


class AlumnusDetail(PermissionRequiredMixin, DetailView):
    """One person's history: every plan that invited them, year by year."""

    permission_required = STAFF
    template_name = "participants/alumni/detail.html"
    context_object_name = "alumnus"
    model = Alumnus

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            participations=history(self.object.participations.all()), **kwargs
        )


class AlumniDuplicates(PermissionRequiredMixin, TemplateView):
    """Alumni who may be one person; merging keeps the first and moves the other's history."""

    permission_required = STAFF
    template_name = "participants/alumni/duplicates.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(pairs=possible_duplicates(), **kwargs)

    def post(self, request, *args, **kwargs):
        try:
            keep_pk, other_pk = int(request.POST["keep"]), int(request.POST["other"])
        except (KeyError, ValueError):
            messages.error(request, _("Choose the two alumni to merge."))
            return redirect("alumni_duplicates")
        if keep_pk == other_pk:
            messages.error(request, _("An alumnus cannot be merged into itself."))
            return redirect("alumni_duplicates")
        keep = get_object_or_404(Alumnus, pk=keep_pk)
        other = get_object_or_404(Alumnus, pk=other_pk)
        merge_alumni(keep, other, by=request.user)
        messages.success(
            request,
            _("%(other)s was merged into %(keep)s.") % {"other": other, "keep": keep},
        )
        return redirect("alumnus_detail", pk=keep.pk)
