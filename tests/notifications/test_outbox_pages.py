"""Staff see the outbox, filter it, read a message and send it again; people choose mail."""

import pytest
from django.core import mail
from django.urls import reverse

from notifications.models import Notification
from notifications.services import queue_notification
from tests.factories import PlanFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def messages_(django_capture_on_commit_callbacks):
    plan = PlanFactory()
    ja, en = UserFactory(preferred_language="ja"), UserFactory(preferred_language="en")
    with django_capture_on_commit_callbacks(execute=True):
        first = queue_notification(ja, "plan_submitted", plan=plan, context={"by": en})
        second = queue_notification(en, "revision_requested", plan=plan, context={"reason": "x"})
    Notification.objects.filter(pk=second.pk).update(
        state=Notification.State.FAILED, last_error="SMTPServerDisconnected: gone"
    )
    return first, second


def test_outbox_is_for_staff_only(client, coordinator, reviewer):
    for user in (coordinator, reviewer):
        client.force_login(user)
        assert client.get(reverse("outbox")).status_code == 403


def test_outbox_filters_by_state_kind_and_recipient(client, staff_user, messages_):
    first, second = messages_
    client.force_login(staff_user)
    page = client.get(reverse("outbox"), {"state": "failed"}).content.decode()
    assert second.subject in page and first.subject not in page
    page = client.get(reverse("outbox"), {"kind": "plan_submitted"}).content.decode()
    assert first.subject in page and second.subject not in page
    page = client.get(reverse("outbox"), {"recipient": first.to_email}).content.decode()
    assert first.subject in page and second.subject not in page


def test_staff_read_a_message_and_send_it_again(client, staff_user, messages_):
    _first, second = messages_
    client.force_login(staff_user)
    page = client.get(reverse("outbox_message", args=[second.pk])).content.decode()
    assert "SMTPServerDisconnected" in page and second.body.split("\n")[0] in page
    mail.outbox.clear()
    response = client.post(reverse("outbox_message", args=[second.pk]))
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.state == Notification.State.SENT
    assert len(mail.outbox) == 1


def test_outbox_queries_do_not_grow(client, staff_user, messages_, django_assert_num_queries):
    client.force_login(staff_user)
    client.get(reverse("outbox"))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("outbox"))
    plan = PlanFactory()
    for user in UserFactory.create_batch(5):
        queue_notification(user, "plan_submitted", plan=plan, context={"by": user})
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(reverse("outbox"))


def test_profile_switches_optional_mail_off_but_not_decisions(client, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("profile"),
        {
            "full_name": coordinator.full_name,
            "preferred_language": "en",
            "wanted_notifications": ["plan_submitted"],
        },
    )
    assert response.status_code == 302
    coordinator.refresh_from_db()
    assert "plan_state_changed" in coordinator.muted_notifications
    assert "plan_submitted" not in coordinator.muted_notifications
    plan = PlanFactory()
    assert queue_notification(coordinator, "plan_state_changed", plan=plan, context={}) is None
    assert queue_notification(coordinator, "decision_released", plan=plan, context={})
