"""The plan editor, one page per section. Drafts save whatever is typed; nothing is demanded."""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import TemplateView

from common.forms import show_submission_problems
from common.formsets import changed_rows
from programs.domain.rules import plan_rules
from programs.models import AttachmentKind

from ..domain.checks import read_plan_rows
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
from ..queries import colleagues_of, read_collaborators
from .base import EditorMixin, refuse_stale


class BasicsView(EditorMixin, TemplateView):
    section = "basics"
    template_name = "applications/editor/basics.html"

    @cached_property
    def colleagues(self):
        """Read once for the form sent and the page after it."""
        return colleagues_of(self.plan)

    def make_form(self, data=None):
        read_collaborators(self.plan)  # the form's initial choice, without a query of its own
        return BasicsForm(
            data,
            instance=self.plan,
            colleagues=self.colleagues,
            uses_activities=plan_rules(self.plan).uses_activities,
            initial={"plan_version": self.plan.version},
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        show_submission_problems(context["form"], context["section_problems"])
        return context

    def page(self):
        return self.render_to_response(self.get_context_data(form=self.make_form()))

    def get(self, request, *args, **kwargs):
        return self.page()

    def post(self, request, *args, **kwargs):
        form = self.make_form(request.POST)
        if form.is_valid() and self.save_edit(form, lambda locked: form.save()):
            return self.saved("plan_edit_basics")
        return self.render_to_response(self.get_context_data(form=form), status=400)


class PartnersView(EditorMixin, TemplateView):
    """Partner institutions and planned invitees by country and category (escorts included)."""

    section = "partners"
    template_name = "applications/editor/partners.html"

    def make_forms(self, data=None):
        if data is None:  # a page to show: its chosen partners, then the checks, read once
            read_plan_rows(self.plan)
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

    def page(self):
        form, formset = self.make_forms()
        return self.render_to_response(self.get_context_data(form=form, formset=formset))

    def get(self, request, *args, **kwargs):
        return self.page()

    def post(self, request, *args, **kwargs):
        rows = changed_rows(request.POST, "invitees")
        if rows is not None:
            form, formset = self.make_forms(rows)
            return self.render_rows("invitees", rows, form=form, formset=formset)
        form, formset = self.make_forms(request.POST)
        if form.is_valid() and formset.is_valid():

            def save(locked):
                form.save()
                formset.save()

            if self.save_edit(form, save, rows=formset):
                return self.saved("plan_edit_partners")
        return self.render_to_response(
            self.get_context_data(form=form, formset=formset), status=400
        )


ITINERARY = "applications/editor/itinerary.html"


class ItineraryMixin(EditorMixin):
    """The itinerary page, or with htmx only its "items" partial: the days, the form to add an
    item and the one to copy a day. An item added, deleted or a day copied in place answers
    the partial with fresh forms (the plan's new version in them); errors come back at their
    field with the input kept. Without JavaScript the same POSTs answer the whole page."""

    section = "itinerary"

    def itinerary_context(self, **kwargs):
        read_plan_rows(self.plan)  # for the days and the checks: read once
        items = list(self.plan.itinerary.all())
        days = {}
        for item in items:
            days.setdefault(item.day, []).append(item)
        version = {"plan_version": self.plan.version}
        day = kwargs.pop("day", None) or (items[-1].day if items else self.plan.arrival_on)
        kwargs.setdefault(
            "form", ItineraryItemForm(initial={**version, "day": day, "kind": "lecture"})
        )
        kwargs.setdefault("copy_form", CopyDayForm(initial=version))
        return {"days": sorted(days.items()), **kwargs}

    def render_itinerary(self, status=200, **kwargs):
        context = self.get_context_data(**self.itinerary_context(**kwargs))
        if self.request.htmx:
            # 200 even with errors: htmx swaps only successful answers.
            return TemplateResponse(self.request, f"{ITINERARY}#items", context)
        return TemplateResponse(self.request, ITINERARY, context, status=status)

    def edited(self, done, **kwargs):
        """After an edit in place: the partial with `done` said; otherwise the page again."""
        if self.request.htmx:  # the plan as this edit left it; its items read anew
            return self.render_itinerary(done=done, **kwargs)
        messages.success(self.request, done)
        return redirect("plan_edit_itinerary", pk=self.plan.pk)


class ItineraryView(ItineraryMixin, TemplateView):
    """The itinerary day by day, with a form to add an item and one to copy a day."""

    template_name = ITINERARY

    def get(self, request, *args, **kwargs):
        return self.render_itinerary()

    def post(self, request, *args, **kwargs):
        form = ItineraryItemForm(request.POST)
        if form.is_valid():

            def save(locked):
                form.instance.plan = locked
                form.instance.position = locked.itinerary.filter(day=form.instance.day).count()
                form.save()

            if self.save_edit(form, save):
                done = _("Item added: %(title)s.") % {"title": form.instance.title_en}
                return self.edited(done, day=form.instance.day)
        return self.render_itinerary(form=form, status=400)


class ItineraryItemView(ItineraryMixin, TemplateView):
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
            return self.delete(request.POST)
        if form.is_valid() and self.save_edit(form, lambda locked: form.save()):
            return self.saved("plan_edit_itinerary")
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def delete(self, data):
        """Delete the item (from its page, or in place from its row on the itinerary)."""
        version_form = VersionedForm(data)
        if version_form.is_valid() and self.save_edit(
            version_form, lambda locked: self.item.delete()
        ):
            return self.edited(_("Item deleted: %(title)s.") % {"title": self.item.title_en})
        if self.request.htmx:
            self.read_plan_again()
            return self.render_itinerary(refused=StaleEdit.message)
        messages.error(self.request, StaleEdit.message)
        return redirect("plan_edit_itinerary", pk=self.plan.pk)


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
                return self.edited(
                    ngettext("%(count)s item copied.", "%(count)s items copied.", count)
                    % {"count": count}
                )
        return self.render_itinerary(copy_form=form, status=400)


class BudgetView(EditorMixin, TemplateView):
    """Budget lines; amounts and totals are computed from unit cost × quantity."""

    section = "budget"
    template_name = "applications/editor/budget.html"

    def make_forms(self, data=None):
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
        context = super().get_context_data(**kwargs)
        # The lines and invitees the checks read, kept on the plan: no further query.
        context.update(total=requested_total(self.plan), people=self.plan.planned_people)
        # A saved line's problems ("line-<id>": over a category's cap, over the airfare cap)
        # are about its money: shown at the line's unit cost, which describes itself by them.
        problems = context["section_problems"]
        for row in context["formset"].forms:
            if row.instance.pk and problems.get(f"line-{row.instance.pk}"):
                show_submission_problems(
                    row, {"unit_cost_jpy": problems[f"line-{row.instance.pk}"]}
                )
        return context

    def page(self):
        form, formset = self.make_forms()
        return self.render_to_response(self.get_context_data(form=form, formset=formset))

    def get(self, request, *args, **kwargs):
        return self.page()

    def post(self, request, *args, **kwargs):
        rows = changed_rows(request.POST, "budget")
        if rows is not None:
            form, formset = self.make_forms(rows)
            return self.render_rows("budget", rows, form=form, formset=formset)
        form, formset = self.make_forms(request.POST)
        if (
            form.is_valid()
            and formset.is_valid()
            and self.save_edit(form, lambda locked: formset.save(), rows=formset)
        ):
            return self.saved("plan_edit_budget")
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
                return self.saved("plan_edit_attachments")
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
