"""Loading a plan for a view: visible to this user (else 404), editable when editing."""

from functools import cache

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_htmx.http import HttpResponseClientRedirect

from common.comparison import differences, row_differences
from common.formsets import added_row
from common.prepared import PreparedQuery
from common.views import PermissionRequiredMixin
from programs.domain.rules import plan_rules

from ..domain.checks import SECTION_CHECKS, check_plan, read_plan_rows, with_check_facts
from ..domain.editing import NotEditable, StaleEdit, editing
from ..models import InvitationPlan
from ..queries import hosts_visible_to, plans_of_hosts

EDITOR_SECTIONS = [
    ("basics", _("Basics"), "plan_edit_basics"),
    ("partners", _("Partners and invitees"), "plan_edit_partners"),
    ("activities", _("Activities"), "plan_edit_activities"),
    ("itinerary", _("Itinerary"), "plan_edit_itinerary"),
    ("budget", _("Budget"), "plan_edit_budget"),
    ("attachments", _("Attachments"), "plan_edit_attachments"),
]


@cache
def _plan_read(view_class):
    """The plan of a page of `view_class` by its id and the hosts whose plans the user may
    see, compiled once per process: every page reads its plan this way, and building and
    compiling its query anew cost more than the rest of the page's queries."""
    return PreparedQuery(lambda pk, hosts: view_class.plans_of(hosts).filter(pk=pk))


def editor_sections(plan=None):
    """(name, label, URL name) of every section: the editor's own, then the higher apps'.
    "Activities" only for a plan whose rules make it of activities (course D)."""
    own = EDITOR_SECTIONS
    if plan is None or not plan_rules(plan).uses_activities:
        own = [section for section in own if section[0] != "activities"]
    return [*own, *((s.name, s.label, s.url_name) for s in SECTION_CHECKS)]


class PlanMixin(PermissionRequiredMixin):
    """`self.plan` is the plan of the URL, if this user may see it; otherwise 404."""

    permission_required = "applications.view_plan"

    def plans(self):
        """The plans this user may see, read as this view reads its plan."""
        return self.plans_of(hosts_visible_to(self.request.user))

    @classmethod
    def plans_of(cls, hosts):
        """The plans of the institutions `hosts` (None: every institution's), read with their
        call, course and programs. A view that reads more with its plan extends this; it
        builds the same query for the same hosts (the query is compiled once: `_plan_read`)."""
        return plans_of_hosts(hosts).select_related("course__program")

    def get_permission_object(self):
        try:
            self.plan = _plan_read(type(self)).get(
                pk=self.kwargs["pk"], hosts=hosts_visible_to(self.request.user)
            )
        except InvitationPlan.DoesNotExist:
            raise Http404 from None
        return self.plan

    def get_context_data(self, **kwargs):
        return super().get_context_data(plan=self.plan, **kwargs)


class EditorMixin(PlanMixin):
    """A section of the plan editor: only for its editors, only while the plan is editable."""

    section = None

    @classmethod
    def plans_of(cls, hosts):
        # The page shows the plan's checks: their facts are read with the plan.
        return with_check_facts(super().plans_of(hosts))

    # A section whose form htmx sends (hx-boost) shows itself with its forms anew: `page()`.
    page = None

    def saved(self, url_name):
        """After a save, the page `url_name` saying "Saved.". A plain form is redirected to it
        (reloading the page does not send the form again); a form htmx sent (hx-boost) to a
        view with a `page()` gets the page in this answer: one request instead of two, at the
        same address, with `self.plan` as this edit left it (its fields as saved, its next
        version; its rows not read yet)."""
        messages.success(self.request, _("Saved."))
        if self.request.htmx.boosted and self.page:
            return self.page()
        return redirect(url_name, pk=self.plan.pk)

    def read_plan_again(self):
        """`self.plan` as saved now, read as a page reads it (after an edit was refused)."""
        self.plan = self.plans().get(pk=self.plan.pk)

    def further_checks(self, request, plan):
        if not plan.is_editable:
            messages.info(request, NotEditable.message)
            if request.htmx:  # a part of the page asked: the whole browser goes to the plan
                return HttpResponseClientRedirect(reverse("plan_detail", args=[plan.pk]))
            return redirect("plan_detail", pk=plan.pk)
        if not request.user.has_perm("applications.edit_plan", plan):
            raise PermissionDenied
        return None

    def get_context_data(self, **kwargs):
        # The plan was read in this request, with its rules: the checks read its rows once,
        # and the page's own figures read them from the plan (`plan.budget.all()`).
        read_plan_rows(self.plan)
        problems = check_plan(self.plan, rules_read=True)
        section_problems = problems.section(self.section) if self.section else {}
        return super().get_context_data(
            section=self.section,
            problems=problems,
            section_problems=section_problems,
            rules=plan_rules(self.plan),  # read with the plan: no further query
            # itinerary items and budget lines with a problem: "item-12", "line-7"
            problem_rows={
                int(key.split("-")[1]) for key in section_problems if key[:5] in ("item-", "line-")
            },
            checklist=[
                (name, label, url, not problems.section(name))
                for name, label, url in editor_sections(self.plan)
            ],
            stale_differences=getattr(self, "stale_differences", None),
            **kwargs,
        )

    def render_rows(self, prefix, data, **context):
        """The page with a row added or removed (nothing saved): only its table of rows (the
        template's "rows" partial) for htmx, the whole page otherwise."""
        context = self.get_context_data(added_row=added_row(data, prefix), **context)
        if self.request.htmx and not self.request.htmx.boosted:  # a boosted form: a page
            return TemplateResponse(self.request, f"{self.template_name}#rows", context)
        return self.render_to_response(context)

    def save_edit(self, form, save, *, rows=None):
        """Run `save(locked_plan)` as one edit; on a stale form, keep the input and explain,
        with what the colleague saved next to what was typed (`form`'s fields, and `rows`,
        a formset of the plan's rows, row by row)."""
        try:
            with editing(
                self.plan, by=self.request.user, expected_version=form.cleaned_data["plan_version"]
            ) as locked:
                save(locked)
        except StaleEdit:
            self.stale_differences = stale_differences(form, rows)
            refuse_stale(form, self.plan)
            # The page shows the plan as saved now (its heading: the saved title, not the
            # refused one a model form has put on `self.plan` while validating).
            self.read_plan_again()
            return False
        return True


def stale_differences(form, rows=None):
    """[Difference] between what a refused `form` (and formset `rows`) typed and what is
    saved now: the fields of the object the form edits (the plan, an itinerary item), then
    the rows."""
    found = []
    instance = getattr(form, "instance", None)
    if instance is not None and instance.pk is not None:
        saved = type(instance)._default_manager.filter(pk=instance.pk).first()
        if saved is not None:
            found.extend(differences(form, saved))
    if rows is not None:
        found.extend(row_differences(rows))
    return found


def refuse_stale(form, plan):
    """Explain the refusal and give the form the current version, so the next save can pass."""
    form.add_error(None, StaleEdit.message)
    form.data = form.data.copy()
    form.data["plan_version"] = InvitationPlan.objects.values_list("version", flat=True).get(
        pk=plan.pk
    )
