"""The host coordinator's participant pages: the list, one participant, import, export, invite.

Every page loads the plan through `plans_visible_to()` and then needs the permission
participants.manage_participants on it; anyone else gets 404, so nothing reveals what exists.
The business rules live in participants.domain; these views only orchestrate.
"""

import uuid

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Max
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import FormView, TemplateView, View

from applications.queries import plans_visible_to
from common.dates import jst
from common.spreadsheets import csv_writer
from common.views import PermissionRequiredMixin
from letters.queries import current_letters_prefetch
from programs.domain.rules import plan_rules

from ..domain import columns, importing
from ..domain.eligibility import approved_places, staff_flags, with_repeat_flag
from ..domain.invitations import invite_participant
from ..domain.registry import may_register, record_access, save_participant
from ..domain.travel import travel_todos
from ..filters import ParticipantFilter
from ..forms.coordinator import ConfirmImportForm, ImportForm, InviteForm, ParticipantForm
from ..models import Participant

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
IMPORT_LIFETIME = 30 * 60  # seconds a checked upload waits for the coordinator's confirmation
# The export: the import template's columns (never passport numbers), then two for the host.
EXPORT_COLUMNS = [*columns.EXPORTED, "portal_account", "letters_issued_at"]


def export_columns(plan):
    """EXPORT_COLUMNS, with the activity and travel columns for a plan made of activities."""
    exported = columns.exported_of(importing.plan_columns(plan))
    return [*exported, "portal_account", "letters_issued_at"]


class PlanParticipantsMixin(PermissionRequiredMixin):
    """`self.plan` is the plan of the URL if this user may manage its participants; else 404."""

    permission_required = "participants.manage_participants"

    def get_permission_object(self):
        self.plan = get_object_or_404(plans_visible_to(self.request.user), pk=self.kwargs["pk"])
        return self.plan

    def get_context_data(self, **kwargs):
        kwargs.setdefault("uses_activities", plan_rules(self.plan).uses_activities)
        return super().get_context_data(
            plan=self.plan, registration_open=self.plan.registration_is_open, **kwargs
        )

    def get_participant(self):
        participant = get_object_or_404(
            self.plan.participants.select_related("home_institution"),
            pk=self.kwargs["participant_pk"],
        )
        participant.plan = self.plan  # the plan is loaded already, with its course and call
        return participant


class RegistrationMixin(PlanParticipantsMixin):
    """Pages that add participants: open only while the plan is approved or in progress."""

    def further_checks(self, request, plan):
        try:
            may_register(plan, request.user)
        except ValidationError as refusal:
            for message in refusal.messages:
                messages.error(request, message)
            return redirect("participant_list", pk=plan.pk)
        return None


class ParticipantList(PlanParticipantsMixin, TemplateView):
    """The plan's participants with their flags and portal status; never passport numbers."""

    template_name = "participants/coordinator/list.html"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        plan = self.plan
        chosen = ParticipantFilter(self.request.GET or None, plan.participants.all())
        participants = with_repeat_flag(
            chosen.qs.select_related("home_institution", "activity")
            .prefetch_related(current_letters_prefetch())
            .annotate(last_invited_at=Max("invitations__created_at")),
            plan,
        ).order_by("family_name", "given_name", "pk")
        page = Paginator(participants, self.paginate_by).get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        for participant in page.object_list:
            participant.plan = plan
            participant.flags = staff_flags(
                plan,
                first_stay=participant.first_stay_in_japan,
                repeat=participant.repeat_elsewhere,
                kind=(participant.nationality.code, participant.category),
                dispatched=participant.is_dispatched,
            )
            participant.todos = travel_todos(participant)
        uses_activities = plan_rules(plan).uses_activities
        return super().get_context_data(
            activity_places=activity_places(plan) if uses_activities else [],
            page_obj=page,
            is_paginated=page.has_other_pages(),
            participants=page.object_list,
            # Places taken count every participant, whatever the filters show.
            registered=plan.participants.count() if chosen.chosen else page.paginator.count,
            shown=page.paginator.count,
            filters=chosen,
            query=query.urlencode(),
            places=approved_places(plan),
            invite_form=InviteForm(),
            **kwargs,
        )


def activity_places(plan):
    """The plan's invitations and dispatches, each with `taken` (its registered people) and
    `left` (`people` minus taken, the count `eligibility.activity_places_left` makes): one
    query."""
    activities = list(
        plan.activities.exclude(kind="online")
        .annotate(taken=Count("participants"))
        .order_by("starts_on", "pk")
    )
    for activity in activities:
        activity.left = activity.people - activity.taken
    return activities


class ParticipantFormMixin:
    """Bind the participant form, save through the registry, show eligibility refusals."""

    form_class = ParticipantForm
    template_name = "participants/coordinator/form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "plan": self.plan, "instance": self.participant}

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def form_valid(self, form):
        participant = form.save(commit=False)
        try:
            participant, flags = save_participant(
                participant, by=self.request.user, passport_number=form.passport_number_to_save()
            )
        except ValidationError as refusal:
            show_refusal(form, refusal)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message(participant))
        for flag in flags:
            messages.warning(
                self.request,
                _("%(name)s: %(flag)s") % {"name": participant.passport_name, "flag": flag},
            )
        return redirect("participant_list", pk=self.plan.pk)


def show_refusal(form, refusal):
    """Each problem at its field when the form has it (a passport expiring before the return,
    a missing travel insurance); eligibility problems, a plan no longer open and problems of
    fields the form does not show concern the whole person."""
    problems = refusal.message_dict if hasattr(refusal, "error_dict") else {None: refusal.messages}
    for name, problem in problems.items():
        form.add_error(name if name in form.fields else None, problem)


class ParticipantCreate(ParticipantFormMixin, RegistrationMixin, FormView):
    def further_checks(self, request, plan):
        self.participant = Participant(plan=plan)
        return super().further_checks(request, plan)

    def success_message(self, participant):
        return _("%(name)s is registered.") % {"name": participant.passport_name}


class ParticipantUpdate(ParticipantFormMixin, PlanParticipantsMixin, FormView):
    """Editing works after letters are issued too; then every change is recorded."""

    def further_checks(self, request, plan):
        self.participant = self.get_participant()
        return super().further_checks(request, plan)

    def get_context_data(self, **kwargs):
        changes = self.participant.changes.select_related("by")
        partners = {str(p.pk): p.name for p in self.plan.partners.all()}
        activities = {str(a.pk): a.title for a in self.plan.activities.all()}
        return super().get_context_data(
            participant=self.participant,
            changes=[
                (change, *readable_change(change, partners, activities)) for change in changes
            ],
            **kwargs,
        )

    def success_message(self, participant):
        if not participant.is_editable:
            return _("Changes to %(name)s are saved and recorded.") % {
                "name": participant.passport_name
            }
        return _("Changes to %(name)s are saved.") % {"name": participant.passport_name}


def readable_change(change, partners, activities=None):
    """(field label, old value, new value) of a ParticipantChange, as a coordinator reads it.

    The registry stores str() of each value: "None", "True", partner and activity ids,
    country codes.
    """
    if change.field == "passport_number":  # not a model field; both values are masked
        return _("Passport number"), change.old_value, change.new_value
    name = change.field.removesuffix("_id")
    model_field = Participant._meta.get_field(name)
    if name == "home_institution":
        labels = partners
    elif name == "activity":
        labels = activities or {}
    elif name in ("first_stay_in_japan", "travel_registration_done"):
        labels = {"True": _("Yes"), "False": _("No"), "None": _("Unknown")}
    elif model_field.choices:
        labels = {str(value): label for value, label in model_field.flatchoices}
    else:
        labels = {}
    labels = {"None": "", **labels}
    old, new = change.old_value, change.new_value
    return model_field.verbose_name, labels.get(old, old), labels.get(new, new)


class ParticipantInvite(PlanParticipantsMixin, View):
    """Email the participant a single-use link to the portal (POST only)."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        participant = self.get_participant()
        form = InviteForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose the language of the invitation."))
            return redirect("participant_list", pk=self.plan.pk)
        try:
            invite_participant(participant, by=request.user, language=form.cleaned_data["language"])
        except ValidationError as refusal:
            for message in refusal.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("An invitation was sent to %(name)s at %(email)s.")
                % {"name": participant.passport_name, "email": participant.email},
            )
        return redirect("participant_list", pk=self.plan.pk)


def import_cache_key(plan, token):
    return f"participant-import:{plan.pk}:{token}"


def report_lines(report):
    """Each error as ("Row 3, column date_of_birth", message); row 0 is the whole file."""
    lines = []
    for row, column, message in report.errors:
        if not row:
            where = _("The whole file")
        elif column:
            where = _("Row %(row)s, column %(column)s") % {"row": row, "column": column}
        else:
            where = _("Row %(row)s") % {"row": row}
        lines.append((where, message))
    return lines


class ParticipantImport(RegistrationMixin, TemplateView):
    """Upload → a dry run naming every problem → confirm → all rows saved, or none."""

    template_name = "participants/coordinator/import.html"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", ImportForm())
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        if "token" in request.POST:
            return self.confirm(request)
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        upload = form.cleaned_data["file"]
        name, content = upload.name, upload.read()
        try:
            report = importing.dry_run(self.plan, name, content)
        except importing.UnreadableFile as error:
            form.add_error("file", error.message)
            return self.render_to_response(self.get_context_data(form=form), status=400)
        confirm_form = None
        if report.ok:
            token = uuid.uuid4()
            cache.set(import_cache_key(self.plan, token), (name, content), IMPORT_LIFETIME)
            confirm_form = ConfirmImportForm(initial={"token": token})
        return self.render_report(report, name, confirm_form=confirm_form)

    def confirm(self, request):
        form = ConfirmImportForm(request.POST)
        stored = None
        if form.is_valid():
            key = import_cache_key(self.plan, form.cleaned_data["token"])
            stored = cache.get(key)
            # Deleting is the claim: of two clicks on "Import", only one gets the file.
            if stored is not None and not cache.delete(key):
                stored = None
        if stored is None:
            messages.error(
                request,
                _("This upload has expired or was imported already. Please upload the file again."),
            )
            return redirect("participant_import", pk=self.plan.pk)
        name, content = stored
        try:
            report = importing.import_participants(self.plan, name, content, by=request.user)
        except ValidationError as refusal:
            for message in refusal.messages:
                messages.error(request, message)
            return redirect("participant_list", pk=self.plan.pk)
        if not report.ok:
            # Something changed since the dry run (places taken, the same person registered).
            messages.error(
                request, _("Nothing was imported: the file no longer passes the checks.")
            )
            return self.render_report(report, name, status=400)
        messages.success(
            request,
            ngettext(
                "%(count)s participant was imported.",
                "%(count)s participants were imported.",
                len(report.rows),
            )
            % {"count": len(report.rows)},
        )
        return redirect("participant_list", pk=self.plan.pk)

    def render_report(self, report, name, *, confirm_form=None, status=200):
        return self.render_to_response(
            self.get_context_data(
                report=report,
                file_name=name,
                errors=report_lines(report),
                confirm_form=confirm_form,
            ),
            status=status,
        )


def download(content, *, filename, content_type):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


class ParticipantTemplateCsv(PlanParticipantsMixin, View):
    def get(self, request, *args, **kwargs):
        return download(
            importing.template_csv(self.plan),
            filename="participants-template.csv",
            content_type="text/csv; charset=utf-8",
        )


class ParticipantTemplateXlsx(PlanParticipantsMixin, View):
    def get(self, request, *args, **kwargs):
        return download(
            importing.template_xlsx(self.plan),
            filename="participants-template.xlsx",
            content_type=XLSX,
        )


class ParticipantExport(PlanParticipantsMixin, View):
    """The plan's participants with their personal data (never passport numbers), audited.

    Columns are the import template's, in its formats, so a file can be corrected and
    imported into another plan; UTF-8 with BOM so that Excel opens it correctly.
    """

    def get(self, request, *args, **kwargs):
        participants = list(
            self.plan.participants.select_related("home_institution", "activity").order_by(
                "family_name", "given_name", "pk"
            )
        )
        response = download(
            "\ufeff",
            filename=f"{self.plan.reference}-participants.csv",
            content_type="text/csv; charset=utf-8",
        )
        response["Cache-Control"] = "private, no-store"
        writer = csv_writer(response)
        exported = export_columns(self.plan)
        writer.writerow(exported)
        writer.writerows(
            [row[column] for column in exported]
            for row in (export_row(participant, exported[:-2]) for participant in participants)
        )
        record_access(request.user, "export_participants", self.plan.reference, len(participants))
        return response


def export_row(participant, exported=columns.EXPORTED):
    """One participant in the import template's formats, and what the host needs besides."""
    return {
        **columns.file_values(participant, exported),
        "portal_account": "yes" if participant.user_id else "no",
        "letters_issued_at": jst(participant.letters_issued_at),
    }
