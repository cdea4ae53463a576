"""The participant's own portal: joining by the emailed link, the stay, details and calendars.

Everything here is loaded through `Participant.objects.filter(user=request.user)`, so a
participant never reaches someone else's record (another id answers 404).
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView, UpdateView

from accounts.middleware import has_two_factor
from accounts.models import User
from applications.queries import own_plans
from common.views import PermissionRequiredMixin

from ..domain.calendar import deadlines_calendar, feed_of, itinerary_calendar, renew_feed
from ..domain.invitations import accept_invitation
from ..domain.schedule import with_schedule
from ..forms.portal import LANGUAGE_CHOICES, JoinForm, ParticipantDetailsForm
from ..models import CalendarFeed, Participant, ParticipantInvitation
from ..queries import participations_of


def join(request, token):
    """The link in the invitation email: choose a password, then the portal. Works once."""
    invitation = ParticipantInvitation.find(token)
    if invitation is None:
        return render(request, "participants/portal/join_invalid.html", status=404)
    participant = invitation.participant
    visitor = request.user
    if visitor.is_authenticated and visitor.email.lower() != participant.email.lower():
        return render(
            request,
            "participants/portal/join_wrong_user.html",
            {"participant": participant},
            status=403,
        )

    if request.method == "POST":
        form = JoinForm(request.POST, participant=participant)
        language = form.chosen_language() or translation.get_language()
    else:
        language = _first_language(request, invitation)
        form = JoinForm(initial={"preferred_language": language}, participant=participant)

    # The page, its errors included, speaks the language the participant chose in the form.
    with translation.override(language):
        request.LANGUAGE_CODE = language
        if form.is_valid():
            had_account = User.objects.filter(email__iexact=participant.email).exists()
            try:
                user = accept_invitation(invitation, password=form.cleaned_data["password1"])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if had_account and not request.user.is_authenticated:
                    messages.info(
                        request,
                        _(
                            "You already have an account with this email address: sign in "
                            "with its password; your stay is now linked to it."
                        ),
                    )
                    return redirect(
                        f"{reverse('account_login')}?next={reverse('participant_home')}"
                    )
                return _after_joining(request, user, language)
        return render(
            request,
            "participants/portal/join.html",
            {"form": form, "participant": participant, "plan": participant.plan},
            status=400 if form.is_bound else 200,
        )


def _after_joining(request, user, language):
    """Keep the language chosen in the form; sign in, unless a second factor is due first."""
    if user.preferred_language != language:
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])
    if not request.user.is_authenticated:
        if has_two_factor(user):
            # An existing account with a second factor must not skip it through this link.
            messages.success(
                request, _("Your password is set. Please sign in with it and your second factor.")
            )
            return redirect(f"{reverse('account_login')}?next={reverse('participant_home')}")
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(request, _("Welcome! Your account is ready."))
    return redirect("participant_home")


def _first_language(request, invitation):
    """The invitation email's language, unless the visitor already chose one on this site."""
    if request.user.is_authenticated or settings.LANGUAGE_COOKIE_NAME in request.COOKIES:
        return translation.get_language()
    if invitation.language in dict(LANGUAGE_CHOICES):
        return invitation.language
    return translation.get_language()


class ParticipantHome(PermissionRequiredMixin, TemplateView):
    """My stay: dates, the itinerary day by day, the host's contact and my letters; in a plan
    made of activities, my own activity (a dispatch abroad in its local time zone) and the
    online sessions in the partner's time and in Japan time."""

    permission_required = "participants.use_portal"
    template_name = "participants/portal/home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            participations=with_schedule(participations_of(self.request.user)), **kwargs
        )


class ParticipantDetails(PermissionRequiredMixin, UpdateView):
    """The participant corrects their phone, email and needs; nothing from the passport."""

    permission_required = "participants.view_participant"
    form_class = ParticipantDetailsForm
    template_name = "participants/portal/details.html"
    context_object_name = "participant"
    success_url = reverse_lazy("participant_home")

    def get_permission_object(self):
        self.object = get_object_or_404(
            Participant.objects.filter(user=self.request.user).select_related("plan__host"),
            pk=self.kwargs["participant_pk"],
        )
        return self.object

    def get_object(self, queryset=None):
        return self.object

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "by": self.request.user}

    def form_valid(self, form):
        messages.success(self.request, _("Your details were saved."))
        return super().form_valid(form)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


def _calendar_response(content, *, download):
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    if download:
        response["Content-Disposition"] = 'attachment; filename="sakura-exchange.ics"'
    return response


class CalendarDownload(PermissionRequiredMixin, View):
    """My itinerary as a file for any calendar app."""

    permission_required = "participants.use_portal"

    def get(self, request):
        calendar = itinerary_calendar(participations_of(request.user))
        return _calendar_response(calendar, download=True)


class CalendarSubscription(PermissionRequiredMixin, TemplateView):
    """The secret address a calendar app subscribes to, and a button to replace it."""

    permission_required = "participants.use_portal"
    template_name = "participants/portal/calendar.html"

    def get_context_data(self, **kwargs):
        feed = feed_of(self.request.user)
        feed_url = self.request.build_absolute_uri(reverse("calendar_feed", args=[feed.token]))
        return super().get_context_data(
            feed_url=feed_url, webcal_url="webcal://" + feed_url.split("://", 1)[1], **kwargs
        )

    def post(self, request):
        renew_feed(request.user)
        messages.success(
            request, _("Your calendar has a new address. The old address no longer works.")
        )
        return redirect("participant_calendar")


@never_cache
def calendar_feed(request, token):
    """What a calendar app fetches: no sign-in, the secret token is the key."""
    feed = (
        CalendarFeed.objects.filter(token=token, revoked_at__isnull=True)
        .select_related("user")
        .first()
    )
    if feed is None or not feed.user.is_active:
        raise Http404
    return _calendar_response(itinerary_calendar(participations_of(feed.user)), download=False)


class CoordinatorDeadlines(PermissionRequiredMixin, View):
    """The call deadlines of my institutions' open plans, as a calendar file."""

    permission_required = "accounts.use_coordinator_dashboard"

    def get(self, request):
        plans = own_plans(request.user)
        return _calendar_response(deadlines_calendar(plans), download=True)
