"""Helpers for the plan tests: a course like the guidelines' course A, PDFs and attachments."""

import hashlib

from django.core.files.base import ContentFile

from applications.models import Attachment
from tests.factories import CourseFactory

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

# Everyone PlanFactory invites (graduates and an escort) plus the other usual categories.
ALL_USUAL_CATEGORIES = ["undergraduate", "graduate", "postdoc", "researcher", "escort"]


def course_of_call(call, **fields):
    """A course of `call`'s program, offered in `call`, that PlanFactory's plan fits."""
    course = CourseFactory(program=call.program, eligible_categories=ALL_USUAL_CATEGORIES, **fields)
    call.courses.add(course)
    return course


def attach(plan, kind="partner_consent", content=PDF, name="consent.pdf", by=None):
    """An Attachment row written directly (the editor's add_attachment is tested elsewhere)."""
    return Attachment.objects.create(
        plan=plan,
        kind=kind,
        file=ContentFile(content, name=name),
        original_name=name,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=by or plan.lead,
    )
