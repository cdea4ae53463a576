"""The outbox: a broker or mail outage delays messages but loses none and sends none twice."""

import socket
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from notifications.domain.sending import BACKOFF, MAX_ATTEMPTS, send
from notifications.models import Notification
from notifications.services import queue_notification
from notifications.tasks import send_notification, sweep_outbox
from sakura.celery import app
from tests.factories import PlanFactory, UserFactory

S = Notification.State


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def use_broker(url):
    """Point the app at another broker: drop its pooled connections to the old one."""
    app.conf.broker_url = url
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def person(db):
    return UserFactory(full_name="Hanako Sato", preferred_language="en")


@pytest.mark.django_db
def test_message_is_written_and_sent_after_commit(person, django_capture_on_commit_callbacks):
    plan = PlanFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        row = queue_notification(person, "plan_submitted", plan=plan, context={"by": person})
    assert row.state == S.QUEUED and not mail.outbox  # nothing goes out before the commit
    for callback in callbacks:
        callback()
    row.refresh_from_db()
    assert row.state == S.SENT and row.attempts == 1 and row.sent_at
    assert mail.outbox[0].to == [person.email]
    assert plan.reference in mail.outbox[0].subject
    html = mail.outbox[0].alternatives[0]
    assert html[1] == "text/html" and plan.reference in html[0]


@pytest.mark.django_db
def test_links_in_the_html_part_can_be_clicked():
    row = Notification.objects.create(
        to_email="hanako@example.org",
        kind="membership_invitation",
        language="en",
        subject="Join",
        body="Open https://portal.example.org/join/abc/ to join.",
    )
    send(row.pk)
    html = mail.outbox[0].alternatives[0][0]
    assert '<a href="https://portal.example.org/join/abc/"' in html


@pytest.mark.django_db
def test_sending_twice_sends_once(person, django_capture_on_commit_callbacks):
    plan = PlanFactory()
    with django_capture_on_commit_callbacks(execute=False):
        row = queue_notification(person, "plan_submitted", plan=plan, context={"by": person})
    assert send(row.pk) is True
    assert send(row.pk) is False
    send_notification.apply(args=[row.pk])
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_language_follows_the_recipient(django_capture_on_commit_callbacks):
    plan = PlanFactory()
    japanese = UserFactory(preferred_language="ja")
    english = UserFactory(preferred_language="en")
    with django_capture_on_commit_callbacks(execute=True):
        ja = queue_notification(japanese, "plan_submitted", plan=plan, context={"by": english})
        en = queue_notification(english, "plan_submitted", plan=plan, context={"by": english})
    assert (ja.language, en.language) == ("ja", "en")
    assert ja.subject != en.subject
    assert "提出" in ja.subject
    assert "submitted" in en.subject


@pytest.mark.django_db
def test_muted_optional_kind_is_not_queued_but_mandatory_ones_are(person):
    plan = PlanFactory()
    person.muted_notifications = ["plan_state_changed", "decision_released"]
    person.save()
    assert queue_notification(person, "plan_state_changed", plan=plan, context={}) is None
    # A decision is not optional: it goes out whatever the profile says.
    assert queue_notification(person, "decision_released", plan=plan, context={}) is not None


@pytest.mark.django_db(transaction=True)
def test_broker_down_at_commit_then_the_sweep_sends_exactly_once(settings, person):
    """The broker is really unreachable (a closed port) when the change commits."""
    plan = PlanFactory()
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.task_always_eager = False
    broker = app.conf.broker_url
    use_broker(f"redis://127.0.0.1:{free_port()}/0")
    try:
        row = queue_notification(person, "plan_submitted", plan=plan, context={"by": person})
    finally:
        use_broker(broker)
        app.conf.task_always_eager = True
    row.refresh_from_db()
    assert row.state == S.QUEUED and not mail.outbox  # delayed, not lost

    sweep_outbox.apply()  # beat's sweep, with the broker back (tasks run in this process)
    sweep_outbox.apply()
    row.refresh_from_db()
    assert row.state == S.SENT
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_smtp_failure_is_retried_with_backoff_then_sent(
    settings, person, django_capture_on_commit_callbacks
):
    """A real SMTP connection to a port where no server listens."""
    plan = PlanFactory()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    with django_capture_on_commit_callbacks(execute=True):
        row = queue_notification(person, "plan_submitted", plan=plan, context={"by": person})
    row.refresh_from_db()
    assert row.state == S.QUEUED and row.attempts == 1
    assert "ConnectionRefused" in row.last_error
    first_wait = row.next_attempt_at - timezone.now()
    assert BACKOFF - timedelta(seconds=5) < first_wait <= BACKOFF

    sweep_outbox.apply()  # not due yet: nothing happens
    row.refresh_from_db()
    assert row.attempts == 1

    Notification.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    sweep_outbox.apply()
    row.refresh_from_db()
    assert row.attempts == 2
    assert row.next_attempt_at - timezone.now() > BACKOFF  # the wait doubles

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # mail is back
    Notification.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    sweep_outbox.apply()
    row.refresh_from_db()
    assert row.state == S.SENT and len(mail.outbox) == 1


@pytest.mark.django_db
def test_gives_up_after_the_last_attempt(settings, person):
    plan = PlanFactory()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    row = queue_notification(person, "plan_submitted", plan=plan, context={"by": person})
    for _attempt in range(MAX_ATTEMPTS):
        Notification.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
        send(row.pk)
    row.refresh_from_db()
    assert row.state == S.FAILED and row.attempts == MAX_ATTEMPTS


@pytest.mark.django_db
def test_a_message_stuck_in_sending_is_taken_back(person):
    plan = PlanFactory()
    row = queue_notification(person, "plan_submitted", plan=plan, context={"by": person})
    Notification.objects.filter(pk=row.pk).update(
        state=S.SENDING, sent_at=None, next_attempt_at=timezone.now() - timedelta(hours=1)
    )
    mail.outbox.clear()
    sweep_outbox.apply()
    row.refresh_from_db()
    assert row.state == S.SENT and len(mail.outbox) == 1


@pytest.mark.worker
def test_a_real_worker_sends_the_message(celery_worker_queue, person):
    plan = PlanFactory()
    row = queue_notification(person, "plan_submitted", plan=plan, context={"by": person})
    send_notification.apply_async(args=[row.pk], queue=celery_worker_queue)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        row.refresh_from_db()
        if row.state == S.SENT:
            break
        time.sleep(0.2)
    assert row.state == S.SENT and row.attempts == 1
