"""The report pages: who may open them, saving and submitting, photos, staff review."""

import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from applications.models import PlanState
from reports.domain.reporting import report_for, submit_report
from reports.models import ReportPhoto
from tests.participants.builders import register_many

from .builders import completed_plan, filled_report, within_budget

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def plan(institution, coordinator):
    return completed_plan(host=institution, lead=coordinator)


def posted(report, **overrides):
    """The edit form as a browser posts it, filled in and within budget."""
    data = {
        "report_version": report.version,
        "actual_arrival_on": "2027-01-10",
        "actual_departure_on": "2027-01-16",
        "attended": [p.pk for p in report.plan.participants.all()],
        "activities": "Lectures and lab work.",
        "joint_papers": 1,
        "agreements": 0,
        "later_study_in_japan": 2,
        "follow_up": "",
        **{f"actual-{category}": yen for category, yen in within_budget().items()},
    }
    data.update(overrides)
    return data


def png_bytes(size=(8, 8)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, format="PNG")
    return buffer.getvalue()


def test_edit_page_shows_the_due_date_and_the_approved_amounts(client, plan, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("report_edit", args=[plan.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Report due on 2027-02-15 (Japan date)" in content
    assert "¥750,000" in content
    assert "Overdue" not in content


def test_overdue_report_is_flagged(client, plan, coordinator):
    plan.departure_on = plan.arrival_on = plan.departure_on.replace(year=2020)
    plan.save(update_fields=["arrival_on", "departure_on"])
    client.force_login(coordinator)
    response = client.get(reverse("report_edit", args=[plan.pk]))
    assert "Overdue" in response.content.decode()


@pytest.mark.parametrize("page", ["report_edit", "report_detail"])
def test_other_institution_gets_404(client, plan, other_coordinator, page):
    client.force_login(other_coordinator)
    assert client.get(reverse(page, args=[plan.pk])).status_code == 404


def test_plain_member_may_read_but_not_write(client, plan, colleague):
    client.force_login(colleague)
    assert client.get(reverse("report_detail", args=[plan.pk])).status_code == 200
    assert client.get(reverse("report_edit", args=[plan.pk])).status_code == 404


def test_staff_read_but_do_not_write(client, plan, staff_user):
    client.force_login(staff_user)
    assert client.get(reverse("report_detail", args=[plan.pk])).status_code == 200
    assert client.get(reverse("report_edit", args=[plan.pk])).status_code == 404


def test_report_of_an_approved_plan_cannot_be_edited_yet(client, institution, coordinator):
    plan = completed_plan(host=institution, lead=coordinator)
    plan.state = PlanState.APPROVED
    plan.save(update_fields=["state"])
    client.force_login(coordinator)
    response = client.get(reverse("report_edit", args=[plan.pk]))
    assert response.status_code == 302
    assert response.url == reverse("report_detail", args=[plan.pk])


def test_coordinator_saves_then_submits(client, plan, coordinator):
    register_many(plan, 2)
    report = report_for(plan)
    client.force_login(coordinator)
    url = reverse("report_edit", args=[plan.pk])
    response = client.post(url, posted(report, save=""))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.later_study_in_japan == 2
    assert report.attended.count() == 2
    assert report.expenses.get(category="airfare").actual_jpy == 700_000

    response = client.post(url, posted(report, submit=""))
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.state == PlanState.REPORTED


def test_submit_shows_every_problem_at_once(client, plan, coordinator):
    register_many(plan, 2)
    report = report_for(plan)
    client.force_login(coordinator)
    data = posted(report, submit="", attended=[], actual_departure_on="2027-01-01")
    data["actual-airfare"] = 900_000
    response = client.post(reverse("report_edit", args=[plan.pk]), data)
    assert response.status_code == 400
    content = response.content.decode()
    assert "The actual departure cannot be before the actual arrival." in content
    assert "Tick at least one participant who came." in content
    assert "explain why" in content
    plan.refresh_from_db()
    assert plan.state == PlanState.COMPLETED


def test_negative_expense_is_refused_by_the_form(client, plan, coordinator):
    report = report_for(plan)
    client.force_login(coordinator)
    response = client.post(
        reverse("report_edit", args=[plan.pk]), posted(report, **{"actual-airfare": -1})
    )
    assert response.status_code == 400
    assert report.expenses.get(category="airfare").actual_jpy is None


def test_collaborator_saves_but_cannot_submit(client, plan, colleague):
    plan.collaborators.add(colleague)
    report = report_for(plan)
    client.force_login(colleague)
    url = reverse("report_edit", args=[plan.pk])
    assert b"Submit the report" not in client.get(url).content
    client.post(url, posted(report, submit=""))
    plan.refresh_from_db()
    assert plan.state == PlanState.COMPLETED
    report.refresh_from_db()
    assert report.activities == "Lectures and lab work."


def test_stale_form_is_refused_and_keeps_the_input(client, plan, coordinator):
    report = report_for(plan)
    client.force_login(coordinator)
    url = reverse("report_edit", args=[plan.pk])
    client.post(url, posted(report, activities="First"))
    response = client.post(url, posted(report, activities="Second"))
    assert response.status_code == 409
    assert "Someone else saved this report" in response.content.decode()
    report.refresh_from_db()
    assert report.activities == "First"


def test_photo_refuses_a_renamed_pdf(client, plan, coordinator):
    client.force_login(coordinator)
    fake = SimpleUploadedFile("photo.jpg", b"%PDF-1.4\n%%EOF\n", content_type="image/jpeg")
    response = client.post(reverse("report_edit", args=[plan.pk]), {"photo": "", "image": fake})
    assert response.status_code == 400
    assert "This file is not a photo" in response.content.decode()
    assert not ReportPhoto.objects.exists()


def test_photo_refuses_an_oversize_image(client, plan, coordinator, settings):
    settings.MAX_PHOTO_BYTES = 50
    client.force_login(coordinator)
    image = SimpleUploadedFile("big.png", png_bytes((64, 64)), content_type="image/png")
    response = client.post(reverse("report_edit", args=[plan.pk]), {"photo": "", "image": image})
    assert response.status_code == 400
    assert "the limit is" in response.content.decode()
    assert not ReportPhoto.objects.exists()


def png_claiming(width, height):
    """A few hundred bytes of PNG whose header claims `width` × `height` pixels."""
    content = bytearray(png_bytes())
    # The IHDR chunk: length (4), type (4), width and height (4 each), 5 more bytes, CRC (4).
    start = content.index(b"IHDR")
    content[start + 4 : start + 12] = struct.pack(">II", width, height)
    crc = zlib.crc32(bytes(content[start : start + 17]))
    content[start + 17 : start + 21] = struct.pack(">I", crc)
    return bytes(content)


@pytest.mark.parametrize(
    "width, height",
    [
        (100_000, 100_000),  # Pillow's own DecompressionBombError
        (10_000, 10_000),  # Pillow only warns: 100 million pixels
        (8_000, 7_000),  # 56 million pixels: more than the portal takes
    ],
)
def test_photo_declaring_too_many_pixels_refused_at_its_field(
    client, plan, coordinator, width, height
):
    content = png_claiming(width, height)
    assert len(content) < 1000
    assert struct.unpack(">II", content[16:24]) == (width, height)  # IHDR's width and height
    client.force_login(coordinator)
    image = SimpleUploadedFile("bomb.png", content, content_type="image/png")

    response = client.post(reverse("report_edit", args=[plan.pk]), {"photo": "", "image": image})

    assert response.status_code == 400
    assert (
        "The photo has more than 50 million pixels. Please upload a smaller image."
        in response.content.decode()
    )
    assert not ReportPhoto.objects.exists()


def test_photo_accepts_a_small_png_shown_only_to_those_who_see_the_plan(
    client, plan, coordinator, other_coordinator
):
    client.force_login(coordinator)
    image = SimpleUploadedFile("lab.png", png_bytes(), content_type="image/png")
    response = client.post(
        reverse("report_edit", args=[plan.pk]), {"photo": "", "image": image, "caption": "Lab"}
    )
    assert response.status_code == 302
    photo = ReportPhoto.objects.get()
    assert photo.content_type == "image/png"
    url = reverse("report_photo", args=[plan.pk, photo.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == png_bytes()

    client.force_login(other_coordinator)
    assert client.get(url).status_code == 404


def test_staff_accept_closes_the_plan(client, plan, coordinator, staff_user):
    submit_report(filled_report(plan, by=coordinator), by=coordinator)
    client.force_login(staff_user)
    detail = client.get(reverse("report_detail", args=[plan.pk]))
    assert b"Accept the report" in detail.content
    client.post(reverse("report_review", args=[plan.pk]), {"accept": ""})
    plan.refresh_from_db()
    assert plan.state == PlanState.CLOSED


def test_staff_return_with_a_comment_then_coordinator_resubmits(
    client, plan, coordinator, staff_user
):
    report = submit_report(filled_report(plan, by=coordinator), by=coordinator)
    client.force_login(staff_user)
    client.post(
        reverse("report_review", args=[plan.pk]), {"return": "", "comment": "Add the receipts."}
    )
    plan.refresh_from_db()
    assert plan.state == PlanState.COMPLETED

    client.force_login(coordinator)
    url = reverse("report_edit", args=[plan.pk])
    assert "Add the receipts." in client.get(url).content.decode()
    report.refresh_from_db()
    client.post(url, posted(report, submit="", follow_up="Receipts attached."))
    plan.refresh_from_db()
    assert plan.state == PlanState.REPORTED


def test_coordinator_cannot_review(client, plan, coordinator):
    submit_report(filled_report(plan, by=coordinator), by=coordinator)
    client.force_login(coordinator)
    response = client.post(reverse("report_review", args=[plan.pk]), {"accept": ""})
    assert response.status_code == 404
    plan.refresh_from_db()
    assert plan.state == PlanState.REPORTED


def test_plan_page_links_to_the_report(client, plan, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("plan_detail", args=[plan.pk]))
    assert reverse("report_detail", args=[plan.pk]) in response.content.decode()
