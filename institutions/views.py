"""Institution pages: the institution, its members and invitations, its partners abroad."""

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import CreateView, TemplateView, UpdateView

from accounts.models import User
from common.views import PermissionRequiredMixin

from .domain import membership as memberships
from .domain.partners import save_partner
from .forms import AcceptInvitationForm, InvitationForm, PartnerInstitutionForm
from .models import Institution, MembershipInvitation, PartnerInstitution


class InstitutionMixin(PermissionRequiredMixin):
    """Loads the institution of the URL once; the permission is checked against it."""

    def get_permission_object(self):
        self.institution = get_object_or_404(Institution, pk=self.kwargs["institution_pk"])
        return self.institution

    def get_context_data(self, **kwargs):
        return super().get_context_data(institution=self.institution, **kwargs)


class InstitutionDetail(InstitutionMixin, TemplateView):
    permission_required = "institutions.view_institution"
    template_name = "institutions/institution_detail.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            memberships=self.institution.memberships.select_related("user").order_by(
                "user__full_name"
            ),
            partners=self.institution.partners.all(),
            **kwargs,
        )


class MemberList(InstitutionMixin, TemplateView):
    """Members and pending invitations; an administrator invites colleagues here."""

    permission_required = "institutions.manage_members"
    template_name = "institutions/members.html"

    def get_context_data(self, **kwargs):
        kwargs.setdefault(
            "form", InvitationForm(initial={"language": self.request.user.preferred_language})
        )
        return super().get_context_data(
            memberships=self.institution.memberships.select_related("user").order_by(
                "user__full_name"
            ),
            invitations=self.institution.invitations.pending().select_related("invited_by"),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        form = InvitationForm(request.POST)
        if form.is_valid():
            try:
                memberships.invite_member(
                    self.institution,
                    form.cleaned_data["email"],
                    form.cleaned_data["role"],
                    by=request.user,
                    language=form.cleaned_data["language"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("An invitation was sent to %(email)s.")
                    % {"email": form.cleaned_data["email"]},
                )
                return redirect("institution_members", institution_pk=self.institution.pk)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class MemberRemove(InstitutionMixin, View):
    permission_required = "institutions.manage_members"

    def post(self, request, institution_pk, membership_pk):
        membership = get_object_or_404(self.institution.memberships, pk=membership_pk)
        try:
            memberships.remove_member(membership, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("%(name)s was removed.") % {"name": membership.user})
        return redirect("institution_members", institution_pk=institution_pk)


class InvitationRevoke(InstitutionMixin, View):
    permission_required = "institutions.manage_members"

    def post(self, request, institution_pk, invitation_pk):
        invitation = get_object_or_404(self.institution.invitations.pending(), pk=invitation_pk)
        MembershipInvitation.objects.filter(pk=invitation.pk).update(revoked_at=timezone.now())
        messages.success(request, _("The invitation was revoked."))
        return redirect("institution_members", institution_pk=institution_pk)


class PartnerFormMixin(InstitutionMixin):
    permission_required = "institutions.manage_partners"
    form_class = PartnerInstitutionForm
    template_name = "institutions/partner_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "host": self.institution}

    def get_success_url(self):
        return reverse("institution_detail", args=[self.institution.pk])


class PartnerCreate(PartnerFormMixin, CreateView):
    def form_valid(self, form):
        form.instance.host = self.institution
        self.object = save_partner(form.save(commit=False))
        messages.success(self.request, _("The partner institution was added."))
        return redirect(self.get_success_url())


class PartnerUpdate(PartnerFormMixin, UpdateView):
    def get_object(self, queryset=None):
        return get_object_or_404(PartnerInstitution, host=self.institution, pk=self.kwargs["pk"])

    def form_valid(self, form):
        self.object = save_partner(form.save(commit=False))
        messages.success(self.request, _("The partner institution was saved."))
        return redirect(self.get_success_url())


def accept_invitation(request, token):
    """The link in the invitation email. Works once, for the address it was sent to."""
    invitation = memberships.find_invitation(token)
    if invitation is None:
        return render(request, "institutions/invitation_invalid.html", status=404)
    user = request.user
    if user.is_authenticated:
        if user.email.lower() != invitation.email.lower():
            return render(
                request,
                "institutions/invitation_wrong_user.html",
                {"invitation": invitation},
                status=403,
            )
        if request.method == "POST":
            memberships.accept_invitation(invitation, user=user)
            messages.success(request, _("You joined %(name)s.") % {"name": invitation.institution})
            return redirect("institution_detail", institution_pk=invitation.institution.pk)
        return render(request, "institutions/invitation_accept.html", {"invitation": invitation})

    if User.objects.filter(email__iexact=invitation.email).exists():
        # They have an account: sign in first, then come back to this link.
        return redirect(f"{reverse('account_login')}?next={request.path}")
    form = AcceptInvitationForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        new_user = memberships.create_invited_user(
            invitation,
            full_name=form.cleaned_data["full_name"],
            password=form.cleaned_data["password1"],
            preferred_language=form.cleaned_data["preferred_language"],
        )
        login(request, new_user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            request, _("Welcome! You joined %(name)s.") % {"name": invitation.institution}
        )
        return redirect("institution_detail", institution_pk=invitation.institution.pk)
    return render(
        request,
        "institutions/invitation_signup.html",
        {"invitation": invitation, "form": form},
        status=400 if form.is_bound else 200,
    )
