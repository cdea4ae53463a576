"""The editor's "Activities" section of a plan made of activities (course D): the list with
a form to add one, and a page per activity to change or remove it."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from common.forms import show_submission_problems
from programs.domain.rules import plan_rules

from ..domain.activities import (
    activities_with_budget,
    activity_when,
    remove_activity,
    save_activity,
)
from ..domain.editing import StaleEdit
from ..forms import ActivityForm, VersionedForm
from ..models import Activity
from .base import EditorMixin, refuse_stale, stale_differences


class ActivitiesMixin(EditorMixin):
    section = "activities"

    def further_checks(self, request, plan):
        refused = super().further_checks(request, plan)
        if refused is None and not self.uses_activities():
            raise Http404  # other courses have no activities
        return refused

    def uses_activities(self):
        return plan_rules(self.plan).uses_activities

    def save(self, form):
        """Save the form's activity through the service; False (input kept) when stale."""
        try:
            save_activity(
                self.plan,
                form.instance,
                by=self.request.user,
                expected_version=form.cleaned_data["plan_version"],
            )
        except StaleEdit:
            self.stale_differences = stale_differences(form)  # shown by the editor's layout
            refuse_stale(form, self.plan)
            return False
        return True


class ActivitiesView(ActivitiesMixin, TemplateView):
    template_name = "applications/editor/activities.html"

    def get_context_data(self, **kwargs):
        kwargs.setdefault(
            "form", ActivityForm(plan=self.plan, initial={"plan_version": self.plan.version})
        )
        context = super().get_context_data(activities=activities_with_budget(self.plan), **kwargs)
        context["limits_by_kind"] = limits_by_kind(context["rules"])
        problems = context["section_problems"]
        context["problem_activities"] = {
            int(key.split("-")[1]) for key in problems if key.startswith("activity-")
        }
        return context

    def post(self, request, *args, **kwargs):
        form = ActivityForm(request.POST, plan=self.plan)
        if form.is_valid() and self.save(form):
            return self.saved("plan_edit_activities")
        return self.render_to_response(self.get_context_data(form=form), status=400)


class ActivityView(ActivitiesMixin, TemplateView):
    template_name = "applications/editor/activity.html"

    def make_form(self):
        self.activity = get_object_or_404(Activity, plan=self.plan, pk=self.kwargs["activity_pk"])
        return ActivityForm(
            self.request.POST or None,
            instance=self.activity,
            plan=self.plan,
            initial={"plan_version": self.plan.version},
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            activity=self.activity, when=activity_when(self.activity), **kwargs
        )
        prefix = f"activity-{self.activity.pk}-"
        show_submission_problems(
            context["form"],
            {
                key.removeprefix(prefix): messages
                for key, messages in context["section_problems"].items()
                if key.startswith(prefix)
            },
        )
        return context

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=self.make_form()))

    def post(self, request, *args, **kwargs):
        form = self.make_form()
        if "delete" in request.POST:
            version_form = VersionedForm(request.POST)
            if version_form.is_valid():
                try:
                    remove_activity(
                        self.activity,
                        by=request.user,
                        expected_version=version_form.cleaned_data["plan_version"],
                    )
                except StaleEdit:
                    pass
                else:
                    return self.saved("plan_edit_activities")
            messages.error(request, StaleEdit.message)
            return redirect("plan_edit_activity", pk=self.plan.pk, activity_pk=self.activity.pk)
        if form.is_valid() and self.save(form):
            return self.saved("plan_edit_activities")
        return self.render_to_response(self.get_context_data(form=form), status=400)


def limits_by_kind(rules):
    """[(kind's label, its limits as read)] from the rule set's `activity_limits`."""
    texts = {
        "max_people": lambda n: _("at most %(count)s people") % {"count": n},
        "max_days": lambda n: _("at most %(count)s days") % {"count": n},
        "max_jpy": lambda n: _("at most ¥%(amount)s") % {"amount": f"{n:,}"},
    }
    return [
        (label, ", ".join(texts[name](value) for name, value in limits.items() if name in texts))
        for kind, label in Activity.Kind.choices
        if (limits := rules.activity_limits.get(kind))
    ]
