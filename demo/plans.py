"""Demo plans of the open call: a complete draft at Sakura, ready to submit, and a
submitted plan at Kirishima, both made through the same functions as the editor's."""

from datetime import time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import User
from applications.domain.declarations import required_declarations
from applications.domain.editing import add_attachment, create_plan
from applications.domain.states import submit_plan
from applications.models import BudgetLine, InvitationPlan, ItineraryItem, PlannedInvitees
from demo.screening import answer_screening
from programs.models import AttachmentKind, Call

DEMO_PDF = b"%PDF-1.4\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"


def seed_plans(institutions):
    """A complete draft (ready to submit) at Sakura, a submitted plan at Kirishima."""
    call = Call.objects.get(program__code="ssp", status=Call.Status.PUBLISHED)
    course = call.courses.get(code="A")
    demo = [
        (
            institutions["sakura"],
            "coordinator@example.org",
            False,
            "Hands-on perovskite solar cells",
            "ペロブスカイト太陽電池の実習",
            "TH",
        ),
        (
            institutions["kirishima"],
            "kosen@example.org",
            True,
            "Robotics for disaster response",
            "災害対応ロボット工学",
            "ID",
        ),
    ]
    for host, email, submit, title_en, title_ja, country in demo:
        if InvitationPlan.objects.filter(call=call, host=host, title_en=title_en).exists():
            continue
        lead = User.objects.get(email=email)
        partner = host.partners.filter(country=country).first()
        plan = draft_plan(
            call,
            course,
            host,
            lead,
            title_en=title_en,
            title_ja=title_ja,
            partner=partner,
            country=country,
            start=call.exchange_starts_on + timedelta(days=10),
        )
        if submit:
            ticked = [item["code"] for item in required_declarations(plan)]
            submit_plan(plan, by=lead, declarations=ticked)


def draft_plan(
    call,
    course,
    host,
    lead,
    *,
    title_en,
    title_ja,
    partner,
    country,
    start,
    people=5,
    field="engineering",
):
    """A complete draft made through the editor's functions: `people` graduate students and
    an escort from `partner`, three days of programme, airfare, nights and per diem for a
    seven-day stay from `start`, the partner's consent and the screening answered."""
    plan = create_plan(call=call, course=course, host=host, by=lead)
    InvitationPlan.objects.filter(pk=plan.pk).update(
        title_en=title_en,
        title_ja=title_ja,
        field_of_science=field,
        objectives="Give talented students a first experience of research in Japan.",
        expected_outcomes="Joint workshop paper; students apply for graduate study.",
        arrival_on=start,
        departure_on=start + timedelta(days=6),
        contact_name=lead.full_name,
        contact_phone="+81-3-0000-0000",
        contact_email=lead.email,
    )
    plan.refresh_from_db()
    plan.partners.set([partner] if partner else [])
    for category, count in (("graduate", people), ("escort", 1)):
        PlannedInvitees.objects.create(
            plan=plan, sending_institution=partner, country=country, category=category, count=count
        )
    for offset, (kind, title) in enumerate(
        [
            ("lecture", "Welcome and safety lecture"),
            ("lab_work", "Laboratory practice"),
            ("site_visit", "Visit to a research institute"),
        ]
    ):
        ItineraryItem.objects.create(
            plan=plan,
            day=start + timedelta(days=offset + 1),
            start_time=time(9, 30),
            end_time=time(16, 0),
            kind=kind,
            title_en=title,
            place=host.name_ja,
        )
    total = people + 1
    BudgetLine.objects.create(plan=plan, category="airfare", unit_cost_jpy=120_000, quantity=total)
    BudgetLine.objects.create(
        plan=plan,
        category="accommodation",
        unit_cost_jpy=12_000,
        quantity=total * 6,
        note=f"{total} people × 6 nights",
    )
    BudgetLine.objects.create(
        plan=plan, category="per_diem", unit_cost_jpy=3_000, quantity=total * 7
    )
    add_attachment(
        plan,
        AttachmentKind.PARTNER_CONSENT,
        SimpleUploadedFile("partner-consent.pdf", DEMO_PDF),
        by=lead,
        expected_version=plan.version,
    )
    answer_screening(plan, by=lead)
    return plan
