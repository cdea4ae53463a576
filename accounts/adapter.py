"""allauth adapter: nobody signs up on their own; people join by invitation only, and allauth's
messages speak the signed-in person's language."""

from allauth.account.adapter import DefaultAccountAdapter
from django.utils import translation


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        # Accounts come from an institution administrator's invitation, from agency staff,
        # or (participants) from their host's invitation: never from open sign-up.
        return False

    def add_message(self, request, level, message_template=None, message_context=None, **kwargs):
        """ "Successfully signed in as …" in the person's own language, not the browser's:
        the message is made during the request that signs them in, before the language
        middleware has seen them."""
        user = (message_context or {}).get("user") or getattr(request, "user", None)
        language = getattr(user, "preferred_language", None) if user else None
        if not (user and user.is_authenticated and language):
            return super().add_message(request, level, message_template, message_context, **kwargs)
        with translation.override(language):
            return super().add_message(request, level, message_template, message_context, **kwargs)
