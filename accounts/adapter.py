"""allauth adapter: nobody signs up on their own; people join by invitation only."""

from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        # Accounts come from an institution administrator's invitation, from agency staff,
        # or (participants) from their host's invitation: never from open sign-up.
        return False
