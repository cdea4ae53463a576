"""Per-request account rules: the user's own language, and two-factor for staff and reviewers."""

from allauth.mfa.models import Authenticator
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation

# Pages a staff member or reviewer without two-factor may still open: signing out, setting
# up the second factor itself, changing the language and static files. (The health check
# shows its details only to staff who have set up the second factor.)
TWO_FACTOR_EXEMPT_PREFIXES = (
    "/accounts/logout/",
    "/accounts/2fa/",
    "/accounts/reauthenticate/",
    "/i18n/",
    "/static/",
)


class UserLanguageMiddleware:
    """A signed-in user sees the portal in the language of their profile."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.preferred_language:
            translation.activate(user.preferred_language)
            request.LANGUAGE_CODE = user.preferred_language
        return self.get_response(request)


class RequireTwoFactorMiddleware:
    """Send agency staff and reviewers without a TOTP authenticator to set one up first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and user.must_use_two_factor
            and not request.path.startswith(TWO_FACTOR_EXEMPT_PREFIXES)
            and not has_two_factor(user)
        ):
            return redirect(f"{reverse('mfa_activate_totp')}?next={request.get_full_path()}")
        return self.get_response(request)


def has_two_factor(user):
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
