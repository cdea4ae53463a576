"""Staff: list, create and edit calls and courses, and the program's rules (with history)."""

from django.contrib import messages
from django.contrib.messages.views import SuccessMessageMixin
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import CreateView, FormView, ListView, UpdateView

from common.views import PermissionRequiredMixin

from ..domain.rules import save_country_rule, save_rule_set, start_fiscal_year
from ..forms import CallForm, CountryRuleForm, CourseForm, RuleSetForm, StartFiscalYearForm
from ..models import Call, CountryRule, Course, RuleSet


class StaffCallList(PermissionRequiredMixin, ListView):
    permission_required = "programs.manage_calls"
    template_name = "programs/staff_call_list.html"
    context_object_name = "calls"
    paginate_by = 25

    def get_queryset(self):
        return Call.objects.select_related("program").prefetch_related("courses")


class StaffCallCreate(PermissionRequiredMixin, SuccessMessageMixin, CreateView):
    permission_required = "programs.manage_calls"
    model = Call
    form_class = CallForm
    template_name = "programs/staff_form.html"
    success_url = reverse_lazy("staff_call_list")
    success_message = _("The call was created.")
    extra_context = {"title": _("New call")}


class StaffCallUpdate(PermissionRequiredMixin, SuccessMessageMixin, UpdateView):
    permission_required = "programs.manage_calls"
    model = Call
    form_class = CallForm
    template_name = "programs/staff_form.html"
    success_url = reverse_lazy("staff_call_list")
    success_message = _("The call was saved.")
    extra_context = {"title": _("Edit call")}


class StaffCourseList(PermissionRequiredMixin, ListView):
    permission_required = "programs.manage_calls"
    template_name = "programs/staff_course_list.html"
    context_object_name = "courses"
    paginate_by = 50

    def get_queryset(self):
        return Course.objects.select_related("program")


class StaffCourseUpdate(PermissionRequiredMixin, SuccessMessageMixin, UpdateView):
    permission_required = "programs.manage_calls"
    model = Course
    form_class = CourseForm
    template_name = "programs/staff_form.html"
    success_url = reverse_lazy("staff_course_list")
    success_message = _("The course was saved.")
    extra_context = {"title": _("Edit course")}


class StaffRuleList(PermissionRequiredMixin, FormView):
    """Every course's rule sets and every country's rules, newest fiscal year first; a form
    starts a course's new fiscal year as a copy of its last rule set."""

    permission_required = "programs.manage_rules"
    template_name = "programs/staff_rule_list.html"
    form_class = StartFiscalYearForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            rule_sets=RuleSet.objects.select_related("course__program").order_by(
                "-fiscal_year", "course__program__code", "course__code"
            ),
            country_rules=CountryRule.objects.order_by("-fiscal_year", "country"),
            **kwargs,
        )

    def form_valid(self, form):
        rule_set = start_fiscal_year(
            form.cleaned_data["course"], form.cleaned_data["fiscal_year"], by=self.request.user
        )
        return redirect("staff_rule_set_update", pk=rule_set.pk)


class RuleHistoryMixin:
    """Saves through the rules' service (which records the change) and shows the history."""

    template_name = "programs/staff_rule_form.html"

    def get_context_data(self, **kwargs):
        changes = []
        if self.object and self.object.pk:
            fields = {f.name: f.verbose_name for f in self.model._meta.get_fields() if f.concrete}
            for change in self.object.changes.select_related("changed_by"):
                change.lines = [
                    (fields.get(name, name), old, new)
                    for name, (old, new) in change.changes.items()
                ]
                changes.append(change)
        return super().get_context_data(title=self.title(), changes=changes, **kwargs)

    def form_valid(self, form):
        self.object = self.save(form.instance)
        messages.success(self.request, _("The rules were saved."))
        return redirect(self.get_success_url())


class StaffRuleSetUpdate(PermissionRequiredMixin, RuleHistoryMixin, UpdateView):
    permission_required = "programs.manage_rules"
    model = RuleSet
    form_class = RuleSetForm

    def get_queryset(self):
        return RuleSet.objects.select_related("course")

    def title(self):
        return _("Rules of course %(course)s, fiscal year %(year)s") % {
            "course": self.object.course,
            "year": self.object.fiscal_year,
        }

    def save(self, rule_set):
        return save_rule_set(rule_set, by=self.request.user)

    def get_success_url(self):
        return reverse("staff_rule_set_update", args=[self.object.pk])


class CountryRuleMixin(PermissionRequiredMixin, RuleHistoryMixin):
    permission_required = "programs.manage_rules"
    model = CountryRule
    form_class = CountryRuleForm

    def save(self, country_rule):
        return save_country_rule(country_rule, by=self.request.user)

    def get_success_url(self):
        return reverse("staff_country_rule_update", args=[self.object.pk])


class StaffCountryRuleCreate(CountryRuleMixin, CreateView):
    def title(self):
        return _("New country rule")


class StaffCountryRuleUpdate(CountryRuleMixin, UpdateView):
    def title(self):
        return _("Rules for %(country)s, fiscal year %(year)s") % {
            "country": self.object.country.name,
            "year": self.object.fiscal_year,
        }
