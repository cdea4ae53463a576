"""Single-use links (invitations) are made when a message is sent, never stored.

The outbox row keeps the message as staff may see it, with MASK where the link's secret goes,
and `link_for` naming the object the link opens. The app that owns such links registers, for
its kind of message, a function that makes a fresh secret for that object (storing only its
hash): the higher app passes its function down, so the outbox imports none of them. The mail
that goes out carries the fresh secret; a message sent again carries a new one, and the link in
any earlier copy stops working.
"""

MASK = "(hidden)"

_secret_makers = {}


def register(kind, make_secret):
    """`make_secret(object_id)` returns a new secret for that object's link."""
    _secret_makers[kind] = make_secret


def body_to_send(notification):
    """The body with a fresh secret in place of MASK (unchanged when it carries no link)."""
    if notification.link_for is None:
        return notification.body
    secret = _secret_makers[notification.kind](notification.link_for)
    return notification.body.replace(MASK, secret)
