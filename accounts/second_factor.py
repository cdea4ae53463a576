"""Second-factor codes cannot be guessed: each wrong code is a failed sign-in in the sign-in
records (django-axes), and codes are refused for a while once a person, or a network address,
has entered too many wrong ones.

The person is locked whatever address the codes come from: whoever reaches the code page
already has the password, and could otherwise spread guesses over many addresses. The address
is locked whoever the codes were for, so one address cannot guess for many stolen passwords.
A wrong code also counts towards django-axes' own lock of that person at that address, which
then refuses the password too.
"""

from datetime import timedelta
from math import ceil

from axes.helpers import get_client_ip_address, get_cool_off
from axes.models import AccessFailureLog
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from common.dates import jst


def code_pages():
    """Where codes are entered: signing in, and confirming who you are while signed in."""
    return [reverse("mfa_authenticate"), reverse("mfa_reauthenticate")]


def record_failure(request, user):
    """Tell django-axes that a sign-in failed at the second factor: it writes the
    AccessAttempt (person and address) and the AccessFailureLog row counted here."""
    user_login_failed.send(sender=__name__, credentials={"username": user.email}, request=request)


def _locked_until(failures, limit, cool_off):
    """When the limit-th most recent failure leaves the cool-off window, or None."""
    times = list(failures.order_by("-attempt_time").values_list("attempt_time", flat=True)[:limit])
    if len(times) < limit:
        return None
    return times[-1] + cool_off


def refusal(request, user):
    """Why codes are refused now for this person at this address (a sentence for them), or
    None while they may try."""
    cool_off = get_cool_off(request) or timedelta(minutes=30)
    now = timezone.now()
    failures = AccessFailureLog.objects.filter(
        path_info__in=code_pages(), attempt_time__gte=now - cool_off
    )
    # A person's count starts again when they have signed in.
    since = max(now - cool_off, user.last_login) if user.last_login else now - cool_off
    until = _locked_until(
        failures.filter(username=user.email, attempt_time__gte=since),
        settings.SECOND_FACTOR_FAILURE_LIMIT,
        cool_off,
    )
    if until:
        message = _(
            "Too many wrong codes. For your safety, codes for this account are refused until "
            "%(time)s (for %(minutes)s minutes from the last wrong code). If these were not "
            "your attempts, change your password once you are signed in."
        )
    else:
        until = _locked_until(
            failures.filter(ip_address=get_client_ip_address(request)),
            settings.SECOND_FACTOR_ADDRESS_FAILURE_LIMIT,
            cool_off,
        )
        message = _(
            "Too many wrong codes from your network address. Codes sent from it are refused "
            "until %(time)s (for %(minutes)s minutes)."
        )
    if until is None or until <= now:
        return None
    return message % {"time": jst(until), "minutes": ceil(cool_off.total_seconds() / 60)}
