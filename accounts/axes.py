"""Tell django-axes which account a failed sign-in was for (allauth posts it as 'login')."""


def username_from_request(request, credentials):
    if credentials:
        username = credentials.get("email") or credentials.get("username")
        if username:
            return username.strip().lower()
    login = request.POST.get("login", "") if request is not None else ""
    return login.strip().lower() or None
