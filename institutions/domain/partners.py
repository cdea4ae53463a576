"""What happens when a partner institution is added or renamed.

Higher apps (export-control screening) pass a function in at start-up (their AppConfig.ready);
this app calls it after the partner is saved and knows nothing of what it does.
"""

_saved_hooks = []


def on_partner_saved(hook):
    """Call `hook(partner)` after every save of a partner institution through `save_partner`."""
    if hook not in _saved_hooks:
        _saved_hooks.append(hook)


def save_partner(partner):
    """Save `partner` and tell the registered hooks (e.g. screening against the End User List).

    Side effects: the row is saved; each hook runs in the same transaction.
    """
    partner.save()
    for hook in _saved_hooks:
        hook(partner)
    return partner
