"""The plan editor, one page per section. Drafts save whatever is typed; nothing is demanded."""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import TemplateView

from common.forms import show_submission_problems
from common.formsets import changed_rows
from programs.domain.rules import plan_rules
from programs.models import AttachmentKind

from ..domain.editing import (
    StaleEdit,
    add_attachment,
    copy_itinerary_day,
    move_itinerary_item,
    remove_attachment,
)
from ..domain.money import requested_total
from ..forms import (
    AttachmentForm,
    BasicsForm,
    BudgetFormSet,
    CopyDayForm,
    InviteesFormSet,
    ItineraryItemForm,
    PartnersForm,
    VersionedForm,
)
from ..models import ItineraryItem
from .base import EditorMixin, refuse_stale


def saved(request, section_url, plan):
    messages.success(request, _("Saved."))
    return redirect(section_url, pk=plan.pk)


class BasicsView(EditorMixin, TemplateView):
    section = "basics"
    template_name = "applications/editor/basics.html"

    def make_form(self):
        colleagues = self.plan.host.members.exclude(pk=self.plan.lead_id).order_by("full_name")
        return BasicsForm(
            self.request.POST or None,
            instance=self.plan,
            colleagues=colleagues,
            uses_activities=plan_rules(self.plan).uses_activities,
            initial={"plan_version": self.plan.version},
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        show_submission_problems(context["form"], context["section_problems"])
        return context

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=self.make_form()))

    def post(self, request, *args, **kwargs):
        form = self.make_form()
        if form.is_valid() and self.save_edit(form, lambda locked: form.save()):
            return saved(request, "plan_edit_basics", self.plan)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class PartnersView(EditorMixin, TemplateView):
    """Partner institutions and planned invitees by country and category (escorts included)."""

    section = "partners"
    template_name = "applications/editor/partners.html"

    def make_forms(self, data=None):
        data = data or self.request.POST or None
        return (
            PartnersForm(data, instance=self.plan, initial={"plan_version": self.plan.version}),
            InviteesFormSet(data, instance=self.plan, prefix="invitees"),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The receipt numbers' problems (China) are the form's fields': shown at each input;
        # an invitee row's (course D: "invitee-<id>-<field>") at the row's own input.
        problems = context["section_problems"]
        show_submission_problems(context["form"], problems)
        for row in context["formset"].forms:
            prefix = f"invitee-{row.instance.pk}-"
            show_submission_problems(
                row,
                {k.removeprefix(prefix): v for k, v in problems.items() if k.startswith(prefix)},
            )
        return context

    def get(self, request, *args, **kwargs):
        form, formset = self.make_forms()
        return self.render_to_response(self.get_context_data(form=form, formset=formset))

    def post(self, request, *args, **kwargs):
        rows = changed_rows(request.POST, "invitees")
        if rows is not None:
            form, formset = self.make_forms(rows)
            return self.render_rows("invitees", rows, form=form, formset=formset)
        form, formset = self.make_forms()
        if form.is_valid() and formset.is_valid():

            def save(locked):
                form.save()
                formset.save()

            if self.save_edit(form, save, rows=formset):
                return saved(request, "plan_edit_partners", self.plan)
        return self.render_to_response(
            self.get_context_data(form=form, formset=formset), status=400
        )


class ItineraryView(EditorMixin, TemplateView):
    """The itinerary day by day, with a form to add an item and one to copy a day."""

    section = "itinerary"
    template_name = "applications/editor/itinerary.html"

    def get_context_data(self, **kwargs):
        items = list(self.plan.itinerary.all())
        days = {}
        for item in items:
            days.setdefault(item.day, []).append(item)
        version = {"plan_version": self.plan.version}
        kwargs.setdefault(
            "form",
            ItineraryItemForm(initial={**version, "day": self.next_day(items), "kind": "lecture"}),
        )
        kwargs.setdefault("copy_form", CopyDayForm(initial=version))
        return super().get_context_data(days=sorted(days.items()), **kwargs)

    def next_day(self, items):
        return items[-1].day if items else self.plan.arrival_on

    def post(self, request, *args, **kwargs):
        form = ItineraryItemForm(request.POST)
        if form.is_valid():

            def save(locked):
                form.instance.plan = locked
                form.instance.position = locked.itinerary.filter(day=form.instance.day).count()
                form.save()

            if self.save_edit(form, save):
                return saved(request, "plan_edit_itinerary", self.plan)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class ItineraryItemView(EditorMixin, TemplateView):
    section = "itinerary"
    template_name = "applications/editor/itinerary_item.html"

    def make_form(self):
        self.item = get_object_or_404(ItineraryItem, plan=self.plan, pk=self.kwargs["item_pk"])
        return ItineraryItemForm(
            self.request.POST or None,
            instance=self.item,
            initial={"plan_version": self.plan.version},
        )

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=self.make_form()))

    def post(self, request, *args, **kwargs):
        form = self.make_form()
        if "delete" in request.POST:
            version_form = VersionedForm(request.POST)
            if version_form.is_valid() and self.save_edit(
                version_form, lambda locked: self.item.delete()
            ):
                return saved(request, "plan_edit_itinerary", self.plan)
            messages.error(request, StaleEdit.message)
            return redirect("plan_edit_itinerary", pk=self.plan.pk)
        if form.is_valid() and self.save_edit(form, lambda locked: form.save()):
            return saved(request, "plan_edit_itinerary", self.plan)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class ItineraryMoveView(EditorMixin, TemplateView):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        item = get_object_or_404(ItineraryItem, plan=self.plan, pk=kwargs["item_pk"])
        form = VersionedForm(request.POST)
        step = -1 if request.POST.get("direction") == "up" else 1
        if form.is_valid():
            try:
                move_itinerary_item(
                    item, step, by=request.user, expected_version=form.cleaned_data["plan_version"]
                )
            except StaleEdit:
                messages.error(request, StaleEdit.message)
        return redirect(f"{reverse('plan_edit_itinerary', args=[self.plan.pk])}#day-{item.day}")


class ItineraryCopyDayView(ItineraryView):
    def post(self, request, *args, **kwargs):
        form = CopyDayForm(request.POST)
        if form.is_valid():
            try:
                count = copy_itinerary_day(
                    self.plan,
                    form.cleaned_data["from_day"],
                    form.cleaned_data["to_day"],
                    by=request.user,
                    expected_version=form.cleaned_data["plan_version"],
                )
            except StaleEdit:
                refuse_stale(form, self.plan)
            else:
                messages.success(
                    request,
                    ngettext("%(count)s item copied.", "%(count)s items copied.", count)
                    % {"count": count},
                )
                return redirect("plan_edit_itinerary", pk=self.plan.pk)
        return self.render_to_response(self.get_context_data(copy_form=form), status=400)


class BudgetView(EditorMixin, TemplateView):
    """Budget lines; amounts and totals are computed from unit cost × quantity."""

    section = "budget"
    template_name = "applications/editor/budget.html"

    def make_forms(self, data=None):
        data = data or self.request.POST or None
        return (
            VersionedForm(data, initial={"plan_version": self.plan.version}),
            BudgetFormSet(
                data,
                instance=self.plan,
                prefix="budget",
                uses_activities=plan_rules(self.plan).uses_activities,
            ),
        )

    def get_context_data(self, **kwargs):
        lines = list(self.plan.budget.all())
        return super().get_context_data(
            total=requested_total(self.plan, lines),
            people=self.plan.planned_people,
            **kwargs,
        )

    def get(self, request, *args, **kwargs):
        form, formset = self.make_forms()
        return self.render_to_response(self.get_context_data(form=form, formset=formset))

    def post(self, request, *args, **kwargs):
        rows = changed_rows(request.POST, "budget")
        if rows is not None:
            form, formset = self.make_forms(rows)
            return self.render_rows("budget", rows, form=form, formset=formset)
        form, formset = self.make_forms()
        if (
            form.is_valid()
            and formset.is_valid()
            and self.save_edit(form, lambda locked: formset.save(), rows=formset)
        ):
            return saved(request, "plan_edit_budget", self.plan)
        return self.render_to_response(
            self.get_context_data(form=form, formset=formset), status=400
        )


class AttachmentsView(EditorMixin, TemplateView):
    section = "attachments"
    template_name = "applications/editor/attachments.html"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", AttachmentForm(initial={"plan_version": self.plan.version}))
        labels = dict(AttachmentKind.choices)
        return super().get_context_data(
            attachments=self.plan.attachments.all(),
            required=[labels[k] for k in plan_rules(self.plan).required_attachments if k in labels],
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        form = AttachmentForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                add_attachment(
                    self.plan,
                    form.cleaned_data["kind"],
                    form.cleaned_data["file"],
                    by=request.user,
                    expected_version=form.cleaned_data["plan_version"],
                )
            except StaleEdit:
                refuse_stale(form, self.plan)
            else:
                return saved(request, "plan_edit_attachments", self.plan)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class AttachmentDeleteView(EditorMixin, TemplateView):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        attachment = get_object_or_404(self.plan.attachments, pk=kwargs["attachment_pk"])
        form = VersionedForm(request.POST)
        if form.is_valid():
            try:
                remove_attachment(
                    attachment, by=request.user, expected_version=form.cleaned_data["plan_version"]
                )
            except StaleEdit:
                messages.error(request, StaleEdit.message)
            else:
                messages.success(request, _("The attachment was removed."))
        return HttpResponseRedirect(reverse("plan_edit_attachments", args=[self.plan.pk]))
