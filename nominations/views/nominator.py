"""The nominator's own pages: joining by the emailed link, and "My nominations".

Everything is loaded through `nominations_visible_to` / the user's own nominator roles, so a
contact never reaches another body's nomination or another plan (404).
"""

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from common.views import PermissionRequiredMixin

from ..domain.invitations import accept_nominator_invitation
from ..domain.nominating import save_nomination, withdraw_nomination
from ..forms import NominationForm, NominatorJoinForm
from ..models import NominatorInvitation
from ..queries import nominations_visible_to, nominator_roles_of


def join(request, token):
    """The link in the invitation: the contact's name and password, then their nominations."""
    invitation = NominatorInvitation.find(token)
    if invitation is None:
        return render(request, "nominations/join_invalid.html", status=404)
    visitor = request.user
    if visitor.is_authenticated and visitor.email.lower() != invitation.email.lower():
        return render(request, "nominations/join_wrong_user.html", status=403)
    form = NominatorJoinForm(request.POST or None, email=invitation.email)
    if visitor.is_authenticated:
        # A signed-in contact with the invited address only confirms.
        form = None
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            user = accept_nominator_invitation(
                invitation,
                password=form.cleaned_data["password1"] if form else None,
                full_name=form.cleaned_data["full_name"] if form else "",
                visitor=visitor,
            )
        except PermissionDenied:
            return render(request, "nominations/join_wrong_user.html", status=403)
        except ValidationError as error:
            if form is None:
                messages.error(request, " ".join(error.messages))
                return redirect("nominator_home")
            form.add_error(None, error)
        else:
            if not visitor.is_authenticated:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome! You can now nominate candidates."))
            return redirect("nominator_plan", plan_pk=invitation.plan_id)
    return render(
        request,
        "nominations/join.html",
        {"form": form, "invitation": invitation, "plan": invitation.plan},
        status=400 if form is not None and form.is_bound else 200,
    )


class NominatorHome(PermissionRequiredMixin, View):
    """The plans this contact nominates for; with only one, its nominations straight away."""

    permission_required = "nominations.use_nominator_pages"

    def get(self, request):
        roles = list(nominator_roles_of(request.user))
        if len({role.plan_id for role in roles}) == 1:
            return redirect("nominator_plan", plan_pk=roles[0].plan_id)
        return render(request, "nominations/home.html", {"roles": roles})


class NominatorPlanMixin(PermissionRequiredMixin):
    """`self.role`: the user's nominator role for the plan of the URL; otherwise 404."""

    permission_required = "nominations.use_nominator_pages"

    def further_checks(self, request, obj):
        self.role = nominator_roles_of(request.user).filter(plan_id=self.kwargs["plan_pk"]).first()
        if self.role is None:
            raise Http404
        self.plan = self.role.plan


class MyNominations(NominatorPlanMixin, TemplateView):
    template_name = "nominations/my_nominations.html"

    def get_context_data(self, **kwargs):
        nominations = nominations_visible_to(self.request.user).filter(plan=self.plan)
        return super().get_context_data(
            plan=self.plan,
            body=self.role.body,
            nominations=nominations.order_by("family_name", "pk"),
            may_nominate=self.request.user.has_perm("nominations.nominate", self.plan),
            **kwargs,
        )


class NominationCreate(NominatorPlanMixin, View):
    template_name = "nominations/nomination_form.html"

    def get(self, request, plan_pk):
        return self.render(NominationForm())

    def post(self, request, plan_pk):
        form = NominationForm(request.POST)
        if form.is_valid():
            nomination = form.save(commit=False)
            nomination.plan, nomination.body = self.plan, self.role.body
            try:
                save_nomination(nomination, by=request.user)
            except PermissionDenied:
                messages.error(request, _("Nominations for this plan are closed."))
                return redirect("nominator_plan", plan_pk=self.plan.pk)
            except ValidationError as error:
                for field, problems in error.message_dict.items():
                    for problem in problems:
                        form.add_error(field if field in form.fields else None, problem)
            else:
                messages.success(
                    request, _("%(name)s nominated.") % {"name": nomination.passport_name}
                )
                return redirect("nominator_plan", plan_pk=self.plan.pk)
        return self.render(form, status=400)

    def render(self, form, status=200):
        return render(
            self.request,
            self.template_name,
            {"form": form, "plan": self.plan, "body": self.role.body},
            status=status,
        )


class NominationMixin(PermissionRequiredMixin):
    """`self.nomination`: one of the user's body's nominations; any other answers 404."""

    permission_required = "nominations.edit_nomination"

    def get_permission_object(self):
        self.nomination = get_object_or_404(
            nominations_visible_to(self.request.user), pk=self.kwargs["pk"]
        )
        return self.nomination


class NominationUpdate(NominationMixin, View):
    template_name = "nominations/nomination_form.html"

    def get(self, request, pk):
        return self.render(NominationForm(instance=self.nomination))

    def post(self, request, pk):
        form = NominationForm(request.POST, instance=self.nomination)
        if form.is_valid():
            try:
                save_nomination(form.save(commit=False), by=request.user)
            except ValidationError as error:
                for field, problems in error.message_dict.items():
                    for problem in problems:
                        form.add_error(field if field in form.fields else None, problem)
            else:
                messages.success(request, _("Nomination saved."))
                return redirect("nominator_plan", plan_pk=self.nomination.plan_id)
        return self.render(form, status=400)

    def render(self, form, status=200):
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "plan": self.nomination.plan,
                "body": self.nomination.body,
                "nomination": self.nomination,
            },
            status=status,
        )


class NominationWithdraw(NominationMixin, View):
    def post(self, request, pk):
        try:
            withdraw_nomination(self.nomination, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("%(name)s withdrawn.") % {"name": self.nomination.passport_name}
            )
        return redirect(reverse("nominator_plan", args=[self.nomination.plan_id]))
