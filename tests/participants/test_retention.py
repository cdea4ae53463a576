"""Retention: passport numbers go when the plan is closed; five fiscal years after the stay the
rest of a participant's personal data is anonymised (statistics keep counting them); old audit
rows, sign-in records and mail go too. On 2026-11-25 (fiscal year 2026) stays of fiscal year
2020 and before are past the five years; 2021 is not."""

from datetime import UTC, date, datetime, timedelta

import pytest
from allauth.account.models import EmailAddress
from axes.models import AccessAttempt, AccessLog
from django.core.management import call_command
from django.urls import reverse

from applications.models import InvitationPlan, PlanState
from insights.domain.figures import Filters, participants_by_country
from letters.domain.letters import issue_letter
from notifications.models import Notification
from participants.domain.registry import record_access
from participants.domain.retention import apply_retention
from participants.models import (
    Alumnus,
    CalendarFeed,
    Participant,
    ParticipantChange,
    PersonalDataAccess,
)
from programs.models import fiscal_year_of
from tests.factories import CallFactory, MembershipFactory, UserFactory

from .builders import approved_plan, registered

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def stay_in(fiscal_year, **person):
    plan = approved_plan(call=CallFactory(fiscal_year=fiscal_year))
    return registered(plan, **person)


def closed(plan):
    InvitationPlan.objects.filter(pk=plan.pk).update(state=PlanState.CLOSED)


def test_fiscal_years_start_in_april():
    assert fiscal_year_of(date(2026, 3, 31)) == 2025
    assert fiscal_year_of(date(2026, 4, 1)) == 2026


def test_passport_numbers_go_once_the_plan_is_closed():
    gone, kept = stay_in(2026), stay_in(2026, email="kept@example.ac.th")
    for person in (gone, kept):
        person.passport_number = "AA1234567"
        person.save()
    closed(gone.plan)

    assert apply_retention(now=NOW).passport_numbers == 1

    gone.refresh_from_db(), kept.refresh_from_db()
    assert gone.passport_number == "" and gone.family_name == "SAETANG"
    assert kept.passport_number == "AA1234567"


def test_after_five_fiscal_years_the_person_is_anonymised_and_still_counted(staff_user):
    old = stay_in(2020, native_name="สมชาย แซ่ตั้ง", phone="+66 2 123 4567")
    old.dietary_needs = "Halal"
    old.save()
    ParticipantChange.objects.create(
        participant=old, field="email", old_value="a@example.org", new_value="b", by=staff_user
    )
    recent = stay_in(2021, email="recent@example.ac.th")

    removed = apply_retention(now=NOW)

    assert removed.participants == 1
    old.refresh_from_db()
    assert old.anonymised_at == NOW
    assert (old.family_name, old.given_name, old.native_name, old.email, old.phone) == (
        "",
        "",
        "",
        "",
        "",
    )
    assert old.dietary_needs == "" and old.date_of_birth == date(2003, 1, 1)
    assert (old.nationality.code, old.category, old.gender) == ("TH", "graduate", "male")
    assert old.passport_name == "(anonymised)"
    assert not ParticipantChange.objects.filter(participant=old).exists()
    recent.refresh_from_db()
    assert recent.family_name == "SAETANG" and recent.anonymised_at is None
    thailand = participants_by_country(Filters())
    assert [(row.label, row.value) for row in thailand.rows] == [("Thailand", 2)]


def test_letters_lose_their_file_and_contents_and_verification_says_so(
    client, settings, tmp_path, django_capture_on_commit_callbacks, staff_user
):
    settings.MEDIA_ROOT = tmp_path
    person = stay_in(2020)
    letter = issue_letter(person)
    path = tmp_path / letter.file.name
    assert path.exists()

    with django_capture_on_commit_callbacks(execute=True):
        assert apply_retention(now=NOW).letters == 1

    letter.refresh_from_db()
    assert not letter.file and letter.data == {} and not path.exists()
    page = client.get(reverse("letter_verify", args=[letter.reference])).content.decode()
    assert "No longer kept: the retention period" in page and "SAETANG" not in page
    client.force_login(staff_user)
    assert client.get(reverse("letter_download", args=[letter.pk])).status_code == 404


def test_a_portal_account_used_only_for_anonymised_stays_is_closed():
    person = stay_in(2020)
    account = UserFactory(email="somchai@example.ac.th", full_name="Somchai Saetang")
    EmailAddress.objects.get_or_create(user=account, email=account.email)
    CalendarFeed.objects.create(user=account, token="t" * 40)
    Participant.objects.filter(pk=person.pk).update(user=account)

    assert apply_retention(now=NOW).accounts == 1

    account.refresh_from_db()
    assert account.email == f"anonymised-{account.pk}@invalid"
    assert (account.full_name, account.is_active, account.has_usable_password()) == (
        "",
        False,
        False,
    )
    assert not EmailAddress.objects.filter(user=account).exists()
    assert not CalendarFeed.objects.filter(user=account).exists()


def test_accounts_with_another_use_stay_open(institution):
    coordinator = MembershipFactory(institution=institution).user
    returning = UserFactory(email="returning@example.ac.th")
    people = [
        (stay_in(2020, email="one@example.ac.th"), coordinator),
        (stay_in(2020, email="two@example.ac.th"), returning),
        (stay_in(2025, email="three@example.ac.th"), returning),  # a later stay, still kept
    ]
    for person, account in people:
        Participant.objects.filter(pk=person.pk).update(user=account)

    removed = apply_retention(now=NOW)

    assert (removed.participants, removed.accounts) == (2, 0)
    coordinator.refresh_from_db(), returning.refresh_from_db()
    assert coordinator.is_active and returning.is_active
    assert returning.email == "returning@example.ac.th"


def test_alumni_records_go_when_every_stay_is_anonymised():
    gone = Alumnus.objects.create(
        family_name="SAETANG",
        given_name="Somchai",
        date_of_birth=date(2003, 4, 15),
        nationality="TH",
    )
    kept = Alumnus.objects.create(
        family_name="SHARMA", given_name="Priya", date_of_birth=date(2001, 2, 3), nationality="IN"
    )
    Participant.objects.filter(pk=stay_in(2019).pk).update(alumnus=gone)
    Participant.objects.filter(pk=stay_in(2020, email="b@example.ac.th").pk).update(alumnus=gone)
    Participant.objects.filter(pk=stay_in(2020, email="c@example.ac.th").pk).update(alumnus=kept)
    Participant.objects.filter(pk=stay_in(2024, email="d@example.ac.th").pk).update(alumnus=kept)

    assert apply_retention(now=NOW).alumni == 1
    assert list(Alumnus.objects.values_list("pk", flat=True)) == [kept.pk]


def test_old_audit_rows_sign_in_records_and_mail_go(staff_user):
    record_access(staff_user, "export_participants", "all data", 3)
    PersonalDataAccess.objects.update(at=NOW - timedelta(days=5 * 365 + 1))
    record_access(staff_user, "export_participants", "all data", 4)
    AccessLog.objects.create(username="a@example.org", ip_address="127.0.0.1", user_agent="x")
    AccessAttempt.objects.create(
        username="a@example.org", ip_address="127.0.0.1", user_agent="x", failures_since_start=1
    )
    AccessLog.objects.update(attempt_time=NOW - timedelta(days=31))
    AccessAttempt.objects.update(attempt_time=NOW - timedelta(days=29))
    for state, age in [("sent", 366), ("failed", 400), ("queued", 400), ("sent", 10)]:
        Notification.objects.create(
            to_email="x@example.org",
            kind="letter_issued",
            language="en",
            subject="s",
            body="b",
            state=state,
            created_at=NOW - timedelta(days=age),
        )

    removed = apply_retention(now=NOW)

    assert (removed.audit_rows, removed.sign_in_records, removed.notifications) == (1, 1, 2)
    assert list(PersonalDataAccess.objects.values_list("count", flat=True)) == [4]
    assert AccessAttempt.objects.count() == 1 and not AccessLog.objects.exists()
    assert sorted(Notification.objects.values_list("state", flat=True)) == ["queued", "sent"]


def test_a_dry_run_counts_and_changes_nothing():
    person = stay_in(2020)

    assert apply_retention(now=NOW, dry_run=True).participants == 1

    person.refresh_from_db()
    assert person.family_name == "SAETANG" and person.anonymised_at is None


def test_a_second_run_finds_nothing_left():
    stay_in(2020)
    apply_retention(now=NOW)
    assert str(apply_retention(now=NOW)) == (
        "passport numbers: 0, participants: 0, letters: 0, accounts: 0, alumni: 0, "
        "audit rows: 0, sign in records: 0, notifications: 0"
    )


def test_queries_do_not_grow_with_the_people(django_assert_num_queries):
    stay_in(2020)
    with django_assert_num_queries(16):
        apply_retention(now=NOW)
    for n in range(5):
        stay_in(2019, email=f"p{n}@example.ac.th")
    with django_assert_num_queries(16):
        apply_retention(now=NOW)


def test_the_command_reports_what_it_removed(capsys):
    stay_in(2020)
    call_command("apply_retention", "--dry-run")
    assert "Would remove: passport numbers: 0, participants: 1," in capsys.readouterr().out
    call_command("apply_retention")
    assert "Removed: passport numbers: 0, participants: 1," in capsys.readouterr().out


def test_celery_beat_runs_it_every_night(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["apply-retention"]
    assert entry["task"] == "participants.tasks.apply_retention"
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({3}, {30})
