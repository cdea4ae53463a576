"""The plan editor: drafts save whatever is typed, and two people cannot overwrite each other.

Every edit form carries the plan's version. When someone else saved the plan after the form
was opened, the save is refused (400), the typed input is kept on the page, and the database
keeps the other person's work.
"""

import re
from datetime import date, time

import pytest
from django.urls import reverse

from applications.models import Attachment, BudgetLine, InvitationPlan, ItineraryItem, PlanState
from programs.models import Call
from tests.factories import CallFactory, CourseFactory, MembershipFactory, PlanFactory

from .view_helpers import (
    EXE,
    PDF,
    STALE_MESSAGE,
    basics_data,
    budget_data,
    budget_rows,
    hidden_version,
    item_data,
    snapshot,
    stored_files,
    upload,
)

pytestmark = pytest.mark.django_db

EMPTY_BASICS = {
    "title_ja": "",
    "title_en": "",
    "field_of_science": "",
    "objectives": "",
    "expected_outcomes": "",
    "arrival_on": None,
    "departure_on": None,
    "contact_name": "",
    "contact_phone": "",
    "contact_email": "",
}


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Nobody signs in with a password here: spare the many users the slow default hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def plan(institution):
    """A complete draft of `institution`; its lead is a plain member."""
    return PlanFactory(host=institution)


@pytest.fixture
def empty_plan(institution):
    """A draft just created: nothing filled in yet."""
    return PlanFactory(host=institution, complete=False, **EMPTY_BASICS)


def add_item(plan, day, title, position, start=9):
    return ItineraryItem.objects.create(
        plan=plan,
        day=day,
        start_time=time(start),
        end_time=time(start + 1),
        kind="lecture",
        title_en=title,
        position=position,
    )


def titles_on(plan, day):
    return list(plan.itinerary.filter(day=day).values_list("title_en", flat=True))


# Basics


def test_basics_saves_partial_input_of_a_draft(client, empty_plan):
    client.force_login(empty_plan.lead)
    url = reverse("plan_edit_basics", args=[empty_plan.pk])
    response = client.post(
        url,
        {
            "plan_version": empty_plan.version,
            "title_ja": "ペロブスカイト太陽電池の体験研修",
            "arrival_on": "2027-01-12",
        },
    )
    assert response.status_code == 302
    assert response.url == url
    stored = InvitationPlan.objects.get(pk=empty_plan.pk)
    assert stored.title_ja == "ペロブスカイト太陽電池の体験研修"
    assert stored.arrival_on == date(2027, 1, 12)
    assert stored.departure_on is None
    assert stored.title_en == ""
    assert stored.state == PlanState.DRAFT
    assert stored.version == empty_plan.version + 1

    page = client.get(url).content.decode()
    assert 'value="ペロブスカイト太陽電池の体験研修"' in page
    assert 'value="2027-01-12"' in page
    # What is still missing is shown as a hint, never demanded.
    assert "Give the title in English." in page


def test_basics_stale_form_is_refused_and_keeps_input(client, plan, coordinator):
    opened_at = plan.version
    url = reverse("plan_edit_basics", args=[plan.pk])
    client.force_login(coordinator)
    assert client.post(url, basics_data(plan, title_en="Title saved by the administrator")).url
    after_administrator = snapshot(plan)

    client.force_login(plan.lead)
    response = client.post(
        url, basics_data(plan, version=opened_at, title_en="Title typed by the lead")
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert STALE_MESSAGE in page
    assert 'value="Title typed by the lead"' in page
    assert snapshot(plan) == after_administrator
    assert after_administrator["fields"]["title_en"] == "Title saved by the administrator"


def test_stale_form_warning_is_in_the_users_language(client, plan, coordinator):
    opened_at = plan.version
    url = reverse("plan_edit_basics", args=[plan.pk])
    client.force_login(coordinator)
    assert client.post(url, basics_data(plan, title_en="Saved first")).url
    plan.lead.preferred_language = "ja"
    plan.lead.save()

    client.force_login(plan.lead)
    response = client.post(url, basics_data(plan, version=opened_at, title_en="Typed later"))

    assert response.status_code == 400
    assert "他の方がこの招へい計画を保存しました" in response.content.decode()


def _basics_typed(plan, version):
    data = basics_data(plan, version=version, title_en="Typed by the lead")
    return "plan_edit_basics", data, lambda: plan.title_en == "Typed by the lead"


def _budget_typed(plan, version):
    rows = budget_rows(plan)
    rows[0]["unit_cost_jpy"] = 13579
    data = budget_data(plan, rows, version=version)
    return "plan_edit_budget", data, lambda: plan.budget.filter(unit_cost_jpy=13579).exists()


def _itinerary_typed(plan, version):
    data = item_data(plan, version=version, title_en="Typed by the lead")
    return (
        "plan_edit_itinerary",
        data,
        lambda: plan.itinerary.filter(title_en="Typed by the lead").exists(),
    )


@pytest.mark.parametrize(
    "typed", [_basics_typed, _budget_typed, _itinerary_typed], ids=["basics", "budget", "itinerary"]
)
def test_stale_form_saves_when_sent_again_from_the_warning_page(client, plan, coordinator, typed):
    """The warning says "check the current plan and save again": that second save must work."""
    opened_at = plan.version
    client.force_login(coordinator)
    client.post(
        reverse("plan_edit_basics", args=[plan.pk]),
        basics_data(plan, title_en="Title saved by the administrator"),
    )

    client.force_login(plan.lead)
    plan.refresh_from_db()
    name, data, saved = typed(plan, opened_at)
    url = reverse(name, args=[plan.pk])
    refused = client.post(url, data)
    assert refused.status_code == 400
    again = client.post(url, {**data, "plan_version": hidden_version(refused)})
    assert again.status_code == 302
    plan.refresh_from_db()
    assert plan.version == opened_at + 2
    assert saved()


def test_basics_offers_colleagues_as_collaborators(client, plan, colleague, other_coordinator):
    client.force_login(plan.lead)
    url = reverse("plan_edit_basics", args=[plan.pk])
    offered = client.get(url).context["form"].fields["collaborators"].queryset
    assert colleague in offered
    assert other_coordinator not in offered
    assert plan.lead not in offered
    # A person of another institution cannot be slipped in.
    response = client.post(url, basics_data(plan, collaborators=[other_coordinator.pk]))
    assert response.status_code == 400
    assert not plan.collaborators.exists()


def test_basics_shows_the_chosen_collaborators_checked_and_saves_a_change(
    client, plan, colleague, django_assert_max_num_queries
):
    """The colleagues and the plan's collaborators are read once each, the page checks those
    chosen; a save replaces them."""
    other = MembershipFactory(institution=plan.host, user__full_name="Aoki Ken").user
    plan.collaborators.add(colleague)
    client.force_login(plan.lead)
    url = reverse("plan_edit_basics", args=[plan.pk])
    # the user, their roles, the plan, the colleagues, the collaborators, the plan's five
    # kinds of rows, the course's and the countries' rules (each kept per process after)
    with django_assert_max_num_queries(12):
        page = client.get(url).content.decode()
    boxes = re.findall(r'<input type="checkbox" name="collaborators" value="(\d+)"([^>]*)>', page)
    assert [(int(pk), "checked" in rest) for pk, rest in boxes] == [
        (other.pk, False),  # "Aoki Ken" before "Person …": by name
        (colleague.pk, True),
    ]
    response = client.post(url, basics_data(plan, collaborators=[other.pk]))
    assert response.status_code == 302
    assert list(plan.collaborators.all()) == [other]


# Budget


def test_budget_computes_amounts_and_total_in_yen(client, empty_plan):
    client.force_login(empty_plan.lead)
    url = reverse("plan_edit_budget", args=[empty_plan.pk])
    rows = [
        {"category": "airfare", "unit_cost_jpy": "150000", "quantity": "5", "note": "Bangkok"},
        {"category": "accommodation", "unit_cost_jpy": "12000", "quantity": "30"},
    ]
    response = client.post(url, budget_data(empty_plan, rows))
    assert response.status_code == 302
    assert sorted(
        (line.category, line.amount_jpy) for line in BudgetLine.objects.filter(plan=empty_plan)
    ) == [("accommodation", 360_000), ("airfare", 750_000)]

    page = client.get(url).content.decode()
    assert "¥750,000" in page
    assert "¥360,000" in page
    assert "<strong>¥1,110,000</strong>" in page
    detail = client.get(reverse("plan_detail", args=[empty_plan.pk])).content.decode()
    assert "¥150,000" in detail
    assert "¥750,000" in detail


@pytest.mark.parametrize("unit_cost", ["-1", "1500.5", "12,000", "abc"])
def test_budget_refuses_unit_cost_that_is_not_whole_yen(client, plan, unit_cost):
    before = snapshot(plan)
    client.force_login(plan.lead)
    rows = budget_rows(plan)
    rows[0]["unit_cost_jpy"] = unit_cost
    rows.append({"category": "per_diem", "unit_cost_jpy": "3000", "quantity": "20"})
    response = client.post(reverse("plan_edit_budget", args=[plan.pk]), budget_data(plan, rows))
    assert response.status_code == 400
    formset = response.context["formset"]
    assert "unit_cost_jpy" in formset.errors[0]
    assert not formset.errors[1]
    assert snapshot(plan) == before


def test_budget_stale_formset_is_refused_and_keeps_input(client, plan, coordinator):
    opened_at = plan.version
    url = reverse("plan_edit_budget", args=[plan.pk])
    client.force_login(coordinator)
    rows = budget_rows(plan)
    rows[0]["quantity"] = 25
    assert client.post(url, budget_data(plan, rows)).status_code == 302
    after_administrator = snapshot(plan)

    client.force_login(plan.lead)
    rows = budget_rows(plan)
    rows[0]["quantity"] = 30
    rows[0]["unit_cost_jpy"] = 13579
    response = client.post(url, budget_data(plan, rows, version=opened_at))
    assert response.status_code == 400
    page = response.content.decode()
    assert STALE_MESSAGE in page
    assert 'value="13579"' in page
    assert snapshot(plan) == after_administrator


# Itinerary


def test_itinerary_adds_item_at_the_end_of_its_day(client, empty_plan):
    client.force_login(empty_plan.lead)
    url = reverse("plan_edit_itinerary", args=[empty_plan.pk])
    first = client.post(url, item_data(empty_plan, title_en="Welcome lecture", start_time="09:00"))
    assert first.status_code == 302
    empty_plan.refresh_from_db()
    second = client.post(url, item_data(empty_plan, title_en="Clean-room visit"))
    assert second.status_code == 302
    items = list(empty_plan.itinerary.order_by("position"))
    assert [(i.day, i.title_en, i.position) for i in items] == [
        (date(2027, 1, 11), "Welcome lecture", 0),
        (date(2027, 1, 11), "Clean-room visit", 1),
    ]
    assert items[1].title_ja == "クリーンルーム見学"
    assert "Clean-room visit" in client.get(url).content.decode()


def test_itinerary_item_ending_before_it_starts_is_a_field_error(client, empty_plan):
    client.force_login(empty_plan.lead)
    response = client.post(
        reverse("plan_edit_itinerary", args=[empty_plan.pk]),
        item_data(empty_plan, start_time="14:00", end_time="13:00"),
    )
    assert response.status_code == 400
    assert response.context["form"].errors["end_time"] == ["The end must be after the start."]
    assert 'value="Clean-room visit"' in response.content.decode()
    assert not empty_plan.itinerary.exists()


def test_itinerary_stale_add_form_is_refused_and_keeps_input(client, plan, coordinator):
    opened_at = plan.version
    client.force_login(coordinator)
    client.post(
        reverse("plan_edit_basics", args=[plan.pk]),
        basics_data(plan, title_en="Title saved by the administrator"),
    )
    after_administrator = snapshot(plan)
    assert after_administrator["version"] == opened_at + 1

    client.force_login(plan.lead)
    response = client.post(
        reverse("plan_edit_itinerary", args=[plan.pk]),
        item_data(plan, version=opened_at, title_en="Visit to the synchrotron"),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert STALE_MESSAGE in page
    assert 'value="Visit to the synchrotron"' in page
    assert snapshot(plan) == after_administrator


def test_itinerary_item_edit_saves_changes(client, plan):
    item = plan.itinerary.first()
    client.force_login(plan.lead)
    url = reverse("plan_itinerary_item", args=[plan.pk, item.pk])
    response = client.post(url, item_data(plan, day=item.day.isoformat(), title_en="Keynote"))
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.title_en, item.start_time) == ("Keynote", time(14))


def test_itinerary_item_of_another_plan_is_not_found(client, plan, institution):
    other_plan = PlanFactory(host=institution, lead=plan.lead)
    foreign_item = other_plan.itinerary.first()
    client.force_login(plan.lead)
    url = reverse("plan_itinerary_item", args=[plan.pk, foreign_item.pk])
    assert client.get(url).status_code == 404


def test_itinerary_move_changes_order_within_the_day(client, empty_plan):
    day = date(2027, 1, 11)
    add_item(empty_plan, day, "Breakfast briefing", 0, start=8)
    add_item(empty_plan, day, "Lecture", 1, start=9)
    last = add_item(empty_plan, day, "Lab tour", 2, start=10)
    client.force_login(empty_plan.lead)

    def move(item, direction):
        empty_plan.refresh_from_db()
        return client.post(
            reverse("plan_itinerary_move", args=[empty_plan.pk, item.pk]),
            {"plan_version": empty_plan.version, "direction": direction},
        )

    response = move(last, "up")
    assert response.status_code == 302
    assert response.url.endswith("#day-2027-01-11")
    assert titles_on(empty_plan, day) == ["Breakfast briefing", "Lab tour", "Lecture"]
    first = empty_plan.itinerary.get(title_en="Breakfast briefing")
    move(first, "down")
    assert titles_on(empty_plan, day) == ["Lab tour", "Breakfast briefing", "Lecture"]
    # The first item cannot move further up.
    move(empty_plan.itinerary.get(title_en="Lab tour"), "up")
    assert titles_on(empty_plan, day) == ["Lab tour", "Breakfast briefing", "Lecture"]


def test_itinerary_copy_day_duplicates_its_items(client, empty_plan):
    first_day, third_day = date(2027, 1, 10), date(2027, 1, 12)
    add_item(empty_plan, first_day, "Lecture", 0, start=9)
    add_item(empty_plan, first_day, "Lab work", 1, start=13)
    add_item(empty_plan, third_day, "Site visit", 0, start=9)
    client.force_login(empty_plan.lead)
    empty_plan.refresh_from_db()
    response = client.post(
        reverse("plan_itinerary_copy_day", args=[empty_plan.pk]),
        {
            "plan_version": empty_plan.version,
            "from_day": "2027-01-10",
            "to_day": "2027-01-12",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "2 items copied." in response.content.decode()
    assert titles_on(empty_plan, first_day) == ["Lecture", "Lab work"]
    assert titles_on(empty_plan, third_day) == ["Site visit", "Lecture", "Lab work"]
    copies = empty_plan.itinerary.filter(day=third_day, title_en="Lab work").get()
    assert (copies.start_time, copies.position) == (time(13), 2)


# Attachments


def test_attachment_pdf_uploads_and_downloads(client, plan, colleague, staff_user, media_root):
    client.force_login(plan.lead)
    response = client.post(
        reverse("plan_edit_attachments", args=[plan.pk]),
        {"plan_version": plan.version, "kind": "partner_consent", "file": upload(PDF)},
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get(plan=plan)
    assert (attachment.original_name, attachment.size) == ("consent.pdf", len(PDF))
    assert [path.read_bytes() for path in stored_files(media_root)] == [PDF]

    url = reverse("plan_attachment_download", args=[plan.pk, attachment.pk])
    for user in (plan.lead, colleague, staff_user):
        client.force_login(user)
        download = client.get(url)
        assert download.status_code == 200
        assert download["Content-Disposition"] == 'attachment; filename="consent.pdf"'
        assert download["Content-Type"] == "application/pdf"
        assert b"".join(download.streaming_content) == PDF


def test_attachment_download_not_found_for_others(
    client, plan, other_coordinator, reviewer, media_root
):
    client.force_login(plan.lead)
    client.post(
        reverse("plan_edit_attachments", args=[plan.pk]),
        {"plan_version": plan.version, "kind": "partner_consent", "file": upload(PDF)},
    )
    url = reverse("plan_attachment_download", args=[plan.pk, Attachment.objects.get().pk])
    for user in (other_coordinator, reviewer):
        client.force_login(user)
        assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_attachment_executable_named_pdf_is_refused(client, plan, media_root):
    before = snapshot(plan)
    client.force_login(plan.lead)
    response = client.post(
        reverse("plan_edit_attachments", args=[plan.pk]),
        {"plan_version": plan.version, "kind": "other", "file": upload(EXE, name="report.pdf")},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["file"] == [
        "This file is not a PDF. Please upload the document as a PDF file."
    ]
    assert "This file is not a PDF." in response.content.decode()
    assert snapshot(plan) == before
    assert stored_files(media_root) == []


def test_attachment_over_the_size_limit_is_refused(client, plan, settings, media_root):
    settings.MAX_ATTACHMENT_BYTES = 1024
    large_pdf = PDF[:-6] + b"%" + b"0" * 2000 + b"\n%%EOF\n"
    before = snapshot(plan)
    client.force_login(plan.lead)
    response = client.post(
        reverse("plan_edit_attachments", args=[plan.pk]),
        {"plan_version": plan.version, "kind": "other", "file": upload(large_pdf)},
    )
    assert response.status_code == 400
    [error] = response.context["form"].errors["file"]
    assert "the limit is 1.0\xa0KB" in error
    assert snapshot(plan) == before
    assert stored_files(media_root) == []


def test_attachment_under_the_size_limit_is_accepted(client, plan, settings, media_root):
    settings.MAX_ATTACHMENT_BYTES = 1024
    client.force_login(plan.lead)
    response = client.post(
        reverse("plan_edit_attachments", args=[plan.pk]),
        {"plan_version": plan.version, "kind": "other", "file": upload(PDF)},
    )
    assert response.status_code == 302
    assert Attachment.objects.filter(plan=plan).count() == 1


def test_attachment_removed_with_its_file(client, plan, media_root):
    client.force_login(plan.lead)
    client.post(
        reverse("plan_edit_attachments", args=[plan.pk]),
        {"plan_version": plan.version, "kind": "other", "file": upload(PDF)},
    )
    attachment = Attachment.objects.get()
    plan.refresh_from_db()
    response = client.post(
        reverse("plan_attachment_delete", args=[plan.pk, attachment.pk]),
        {"plan_version": plan.version},
    )
    assert response.status_code == 302
    assert not Attachment.objects.exists()
    assert stored_files(media_root) == []


# A new plan


@pytest.fixture
def open_call():
    call = CallFactory(fiscal_year=2026, round=7)
    course = CourseFactory(program=call.program, code="A")
    call.courses.add(course)
    return call


def new_plan_data(call, host, copy_of=None):
    return {
        "call_course": f"{call.pk}-{call.courses.get().pk}",
        "host": host.pk,
        "copy_of": copy_of.pk if copy_of else "",
    }


def test_new_plan_is_a_draft_numbered_in_its_call(client, open_call, institution, coordinator):
    earlier = PlanFactory(call=open_call, complete=False)
    client.force_login(coordinator)
    response = client.post(reverse("plan_create"), new_plan_data(open_call, institution))
    plan = InvitationPlan.objects.exclude(pk=earlier.pk).get()
    assert response.status_code == 302
    assert response.url == reverse("plan_edit_basics", args=[plan.pk])
    assert plan.number == earlier.number + 1
    assert plan.reference == f"SSP-2026-7-{earlier.number + 1:04d}"
    assert (plan.state, plan.host, plan.lead, plan.call) == (
        PlanState.DRAFT,
        institution,
        coordinator,
        open_call,
    )


def test_new_plan_copies_itinerary_and_budget_of_an_earlier_plan(
    client, open_call, institution, coordinator
):
    source = PlanFactory(host=institution, call=CallFactory(status=Call.Status.DECIDED))
    client.force_login(coordinator)
    response = client.post(reverse("plan_create"), new_plan_data(open_call, institution, source))
    assert response.status_code == 302
    copy = InvitationPlan.objects.get(call=open_call)
    assert copy.copied_from == source
    assert copy.title_en == source.title_en

    def itinerary(plan):
        return list(plan.itinerary.values_list("day", "start_time", "end_time", "title_en"))

    def budget(plan):
        return list(plan.budget.values_list("category", "unit_cost_jpy", "quantity"))

    assert itinerary(copy) == itinerary(source)
    assert len(itinerary(copy)) == 3
    assert budget(copy) == budget(source)
    assert source.itinerary.count() == 3  # the source keeps its own rows


def test_new_plan_cannot_copy_a_plan_of_another_institution(
    client, open_call, institution, coordinator
):
    foreign = PlanFactory(title_en="A plan of another university")
    client.force_login(coordinator)
    form = client.get(reverse("plan_create")).context["form"]
    assert foreign not in form.fields["copy_of"].queryset
    response = client.post(reverse("plan_create"), new_plan_data(open_call, institution, foreign))
    assert response.context["form"].errors["copy_of"]
    assert "Select a valid choice" in response.context["form"].errors["copy_of"][0]
    assert not InvitationPlan.objects.filter(call=open_call).exists()


def test_itinerary_days_are_numbered_from_the_arrival_day(client, plan):
    """The plan arrives on 2027-01-10: an item on the 12th is on day 3, gaps or not."""
    plan.itinerary.all().delete()
    add_item(plan, date(2027, 1, 12), "Site visit", 0)
    client.force_login(plan.lead)
    page = client.get(reverse("plan_edit_itinerary", args=[plan.pk])).content.decode()
    assert "Day 3 — 2027-01-12 (Tue)" in page
