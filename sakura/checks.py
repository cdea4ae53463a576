"""Deployment checks of our own (`manage.py check --deploy`): no published or missing keys."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def check_keys(app_configs, **kwargs):
    errors = []
    if settings.SECRET_KEY == settings.DEVELOPMENT_SECRET_KEY:
        errors.append(
            Error(
                "SECRET_KEY is the development key published with the code.",
                hint="Set DJANGO_SECRET_KEY to 50 or more random characters.",
                id="sakura.E001",
            )
        )
    if not settings.PERSONAL_DATA_KEY:
        errors.append(
            Error(
                "PERSONAL_DATA_KEY is not set: passport numbers would be encrypted with a key "
                "derived from SECRET_KEY.",
                hint="Set PERSONAL_DATA_KEY to a Fernet key of its own.",
                id="sakura.E002",
            )
        )
    return errors
