"""Fixtures for the letters tests: an approved plan of `institution`, a Thai participant,
Celery running tasks in the test's own process, and reading a letter's PDF."""

import io

import pypdf
import pytest

from sakura.celery import app
from tests.participants.builders import approved_plan, registered


@pytest.fixture
def plan(institution):
    """An approved plan of さくら科学大学 / Sakura University of Science, 10–16 Jan 2027."""
    return approved_plan(host=institution)


@pytest.fixture
def participant(plan):
    """SAETANG Somchai (สมชาย แซ่ตั้ง), from Thailand, born 15 April 2003."""
    participant = registered(plan)
    participant.passport_number = "AA1234567"
    participant.save()
    return participant


@pytest.fixture
def eager_tasks():
    """Tasks queued on commit run at once, in this process (the real worker has its own test)."""
    before = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = before


def pdf_text(letter):
    """Every page's text, as a PDF reader extracts it (what a consulate's software sees)."""
    with letter.file.open("rb") as stream:
        reader = pypdf.PdfReader(io.BytesIO(stream.read()))
    return "\n".join(page.extract_text() for page in reader.pages)
