"""Creating, copying and editing plans; two people on one draft never overwrite each other."""

import hashlib
from datetime import date, time
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from applications.domain.editing import (
    NotEditable,
    StaleEdit,
    add_attachment,
    copy_itinerary_day,
    create_plan,
    editing,
    move_itinerary_item,
    remove_attachment,
)
from applications.domain.snapshots import freeze_version
from applications.models import (
    Attachment,
    InvitationPlan,
    ItineraryItem,
    PlanState,
)
from tests.factories import CallFactory, PlanFactory, ProgramFactory

from .factories import PDF, attach, course_of_call

pytestmark = pytest.mark.django_db
S = PlanState


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Nobody signs in here: spare the many users PlanFactory makes the slow default hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def plan(institution, coordinator):
    """A complete draft of `institution`, led by `coordinator` (its administrator)."""
    return PlanFactory(host=institution, lead=coordinator)


def stored(plan):
    return InvitationPlan.objects.get(pk=plan.pk)


# Creating and copying.


@pytest.fixture
def call_round_3():
    call = CallFactory(program=ProgramFactory(code="ssp"), fiscal_year=2026, round=3)
    course_of_call(call)
    return call


def test_create_plan_numbers_plans_in_their_call(call_round_3, institution, coordinator):
    course = call_round_3.courses.get()
    first = create_plan(call=call_round_3, course=course, host=institution, by=coordinator)
    second = create_plan(call=call_round_3, course=course, host=institution, by=coordinator)

    assert (first.number, first.reference) == (1, "SSP-2026-3-0001")
    assert (second.number, second.reference) == (2, "SSP-2026-3-0002")


def test_create_plan_restarts_numbers_in_another_call(call_round_3, institution, coordinator):
    course = call_round_3.courses.get()
    create_plan(call=call_round_3, course=course, host=institution, by=coordinator)
    create_plan(call=call_round_3, course=course, host=institution, by=coordinator)
    next_round = CallFactory(program=call_round_3.program, fiscal_year=2026, round=4)
    next_round.courses.add(course)

    plan = create_plan(call=next_round, course=course, host=institution, by=coordinator)

    assert (plan.number, plan.reference) == (1, "SSP-2026-4-0001")


def test_create_plan_makes_an_empty_draft_led_by_its_creator(call_round_3, institution, colleague):
    plan = create_plan(
        call=call_round_3, course=call_round_3.courses.get(), host=institution, by=colleague
    )
    plan = stored(plan)
    assert (plan.state, plan.version, plan.lead, plan.host) == (S.DRAFT, 1, colleague, institution)
    assert plan.copied_from is None
    assert plan.title_en == ""
    assert not plan.itinerary.exists()
    assert not plan.budget.exists()


def test_create_plan_refused_for_another_institution(call_round_3, institution, other_coordinator):
    with pytest.raises(PermissionDenied):
        create_plan(
            call=call_round_3,
            course=call_round_3.courses.get(),
            host=institution,
            by=other_coordinator,
        )
    assert not InvitationPlan.objects.exists()


def _rows(plan):
    return {
        "partners": set(plan.partners.values_list("pk", flat=True)),
        "invitees": list(plan.invitees.values_list("country", "category", "count")),
        "itinerary": list(
            plan.itinerary.values_list("day", "start_time", "end_time", "kind", "title_en")
        ),
        "budget": list(plan.budget.values_list("category", "unit_cost_jpy", "quantity", "note")),
    }


def test_copy_takes_texts_partners_invitees_itinerary_and_budget(
    call_round_3, institution, coordinator, media_root
):
    source = PlanFactory(host=institution, lead=coordinator, state=S.SUBMITTED)
    attach(source)
    freeze_version(source, by=coordinator)
    source_rows = _rows(source)

    copy = create_plan(
        call=call_round_3,
        course=call_round_3.courses.get(),
        host=institution,
        by=coordinator,
        copy_of=source,
    )

    copy = stored(copy)
    assert copy.pk != source.pk
    assert copy.copied_from == source
    assert (copy.state, copy.version, copy.submitted_at) == (S.DRAFT, 1, None)
    assert copy.reference == "SSP-2026-3-0001"
    for name in ("title_ja", "title_en", "field_of_science", "objectives", "expected_outcomes"):
        assert getattr(copy, name) == getattr(source, name), name
    assert (copy.contact_name, copy.contact_phone, copy.contact_email) == (
        source.contact_name,
        source.contact_phone,
        source.contact_email,
    )
    assert _rows(copy) == source_rows
    assert not copy.attachments.exists()
    assert not copy.versions.exists()
    assert not copy.history.exists()
    # The source keeps its own rows: the copy made new ones.
    assert _rows(source) == source_rows
    assert source.attachments.count() == 1
    assert ItineraryItem.objects.filter(plan=source).count() == 3
    assert ItineraryItem.objects.filter(plan=copy).count() == 3


# editing(): one edit at a time, on an editable plan, by an editor.


def test_edit_raises_version_by_exactly_one(plan):
    assert plan.version == 1
    with editing(plan, by=plan.lead, expected_version=1) as locked:
        locked.title_en = "Perovskite solar cells: a week in the lab"
        locked.save()

    assert plan.version == 2
    saved = stored(plan)
    assert saved.version == 2
    assert saved.title_en == "Perovskite solar cells: a week in the lab"


def test_edit_with_old_version_is_refused_as_stale(plan, colleague):
    plan.collaborators.add(colleague)
    with editing(plan, by=colleague, expected_version=1) as locked:
        locked.title_en = "Saved first"
        locked.save()

    with (
        pytest.raises(StaleEdit),
        editing(stored(plan), by=plan.lead, expected_version=1) as locked,
    ):
        locked.title_en = "Saved second, from a form opened before the first save"
        locked.save()

    saved = stored(plan)
    assert (saved.version, saved.title_en) == (2, "Saved first")


def test_edit_that_fails_midway_keeps_plan_and_version(plan):
    with pytest.raises(ValueError), editing(plan, by=plan.lead, expected_version=1) as locked:
        locked.title_en = "Half done"
        locked.save()
        raise ValueError("the form broke")

    saved = stored(plan)
    assert (saved.version, saved.title_en) == (1, plan.title_en)


@pytest.mark.parametrize("state", [S.SUBMITTED, S.UNDER_REVIEW, S.APPROVED, S.WITHDRAWN])
def test_edit_refused_once_plan_is_no_longer_editable(institution, coordinator, state):
    plan = PlanFactory(host=institution, lead=coordinator, state=state)
    with pytest.raises(NotEditable), editing(plan, by=coordinator, expected_version=1):
        pass
    assert stored(plan).version == 1


def test_edit_allowed_again_when_revision_is_requested(institution, coordinator):
    plan = PlanFactory(host=institution, lead=coordinator, state=S.REVISION_REQUESTED)
    with editing(plan, by=coordinator, expected_version=1):
        pass
    assert stored(plan).version == 2


def test_edit_refused_to_another_institution(plan, other_coordinator):
    with pytest.raises(PermissionDenied), editing(plan, by=other_coordinator, expected_version=1):
        pass
    assert stored(plan).version == 1


def test_edit_refused_to_plain_member_who_is_not_on_the_plan(plan, colleague):
    with pytest.raises(PermissionDenied), editing(plan, by=colleague, expected_version=1):
        pass


def test_collaborator_may_edit(plan, colleague):
    plan.collaborators.add(colleague)
    with editing(plan, by=colleague, expected_version=1) as locked:
        locked.objectives = "Revised by a collaborator."
        locked.save()
    saved = stored(plan)
    assert (saved.version, saved.objectives) == (2, "Revised by a collaborator.")


def test_administrator_may_edit_a_plan_led_by_a_member(institution, coordinator):
    plan = PlanFactory(host=institution)
    assert plan.lead != coordinator
    with editing(plan, by=coordinator, expected_version=1):
        pass
    assert stored(plan).version == 2


# The itinerary editor.


def _titles_on(plan, day):
    return list(plan.itinerary.filter(day=day).values_list("title_en", flat=True))


def test_move_itinerary_item_up_swaps_it_with_its_neighbour(plan):
    first_day = plan.arrival_on
    tour = ItineraryItem.objects.create(
        plan=plan,
        day=first_day,
        start_time=time(13),
        end_time=time(15),
        kind="site_visit",
        title_en="Campus tour",
        position=1,
    )
    assert _titles_on(plan, first_day) == ["Welcome lecture", "Campus tour"]

    move_itinerary_item(tour, -1, by=plan.lead, expected_version=1)

    assert _titles_on(plan, first_day) == ["Campus tour", "Welcome lecture"]
    assert stored(plan).version == 2
    # Other days keep their items.
    assert _titles_on(plan, date(2027, 1, 11)) == ["Lab work"]


def test_move_itinerary_item_past_the_end_of_the_day_changes_nothing(plan):
    first_day = plan.arrival_on
    [lecture] = plan.itinerary.filter(day=first_day)
    move_itinerary_item(lecture, +1, by=plan.lead, expected_version=1)
    assert _titles_on(plan, first_day) == ["Welcome lecture"]


def test_move_itinerary_item_with_stale_version_is_refused(plan):
    [lecture] = plan.itinerary.filter(day=plan.arrival_on)
    InvitationPlan.objects.filter(pk=plan.pk).update(version=2)
    with pytest.raises(StaleEdit):
        move_itinerary_item(lecture, -1, by=plan.lead, expected_version=1)


def test_copy_itinerary_day_to_an_empty_day(plan):
    copied = copy_itinerary_day(
        plan, date(2027, 1, 11), date(2027, 1, 14), by=plan.lead, expected_version=1
    )

    assert copied == 1
    assert _titles_on(plan, date(2027, 1, 14)) == ["Lab work"]
    assert _titles_on(plan, date(2027, 1, 11)) == ["Lab work"]
    [copy] = plan.itinerary.filter(day=date(2027, 1, 14))
    assert (copy.start_time, copy.end_time, copy.place) == (time(9), time(12), "Tokyo")
    assert stored(plan).version == 2


def test_copy_itinerary_day_appends_after_the_target_day(plan):
    copy_itinerary_day(plan, date(2027, 1, 11), date(2027, 1, 10), by=plan.lead, expected_version=1)
    assert _titles_on(plan, date(2027, 1, 10)) == ["Welcome lecture", "Lab work"]
    assert list(
        plan.itinerary.filter(day=date(2027, 1, 10)).values_list("position", flat=True)
    ) == [
        0,
        1,
    ]
    assert plan.itinerary.count() == 4


# Attachments.


def _upload(content=PDF, name="partner-consent.pdf"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_add_attachment_stores_file_size_and_sha256(plan, media_root):
    attachment = add_attachment(
        plan, "partner_consent", _upload(), by=plan.lead, expected_version=1
    )

    attachment.refresh_from_db()
    assert attachment.size == len(PDF)
    assert attachment.sha256 == hashlib.sha256(PDF).hexdigest()
    assert attachment.original_name == "partner-consent.pdf"
    assert attachment.uploaded_by == plan.lead
    assert media_root in Path(attachment.file.path).parents
    with attachment.file.open("rb") as stored_file:
        assert stored_file.read() == PDF
    assert stored(plan).version == 2


def test_add_attachment_refused_on_submitted_plan_stores_nothing(
    institution, coordinator, media_root
):
    plan = PlanFactory(host=institution, lead=coordinator, state=S.SUBMITTED)
    with pytest.raises(NotEditable):
        add_attachment(plan, "partner_consent", _upload(), by=coordinator, expected_version=1)
    assert not Attachment.objects.filter(plan=plan).exists()
    assert list(media_root.rglob("*.pdf")) == []


def test_remove_attachment_deletes_row_and_file(plan, media_root):
    attachment = add_attachment(
        plan, "partner_consent", _upload(), by=plan.lead, expected_version=1
    )
    path = Path(attachment.file.path)
    assert path.exists()

    remove_attachment(attachment, by=plan.lead, expected_version=2)

    assert not Attachment.objects.filter(pk=attachment.pk).exists()
    assert not path.exists()
    assert stored(plan).version == 3
