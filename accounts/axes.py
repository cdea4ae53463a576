"""Tell django-axes which account a failed sign-in was for (allauth posts it as 'login'), and
show its lockout page."""

from datetime import timedelta
from math import ceil

from axes.helpers import get_cool_off
from django.shortcuts import render


def username_from_request(request, credentials):
    if credentials:
        username = credentials.get("email") or credentials.get("username")
        if username:
            return username.strip().lower()
    login = request.POST.get("login", "") if request is not None else ""
    return login.strip().lower() or None


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' lockout page (429), saying for how many minutes the account is locked."""
    cool_off = get_cool_off(request) or timedelta(minutes=30)
    return render(
        request,
        "accounts/locked_out.html",
        {"minutes": ceil(cool_off.total_seconds() / 60)},
        status=429,
    )
