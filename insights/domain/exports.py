"""Plans, participants, reviews and reports as rows for CSV and XLSX, with the dashboard's filters.

Each `*_table(filters)` returns a `Table`: the header, an iterator of rows read from the
database in chunks, and how to count them. The writers stream: the CSV goes out a few hundred
rows at a time, the XLSX is written row by row into a temporary file that the response then
reads, so ten years of participants take no more memory than one fiscal year. Both use
common.spreadsheets (defusedcsv and openpyxl), so no text a host or reviewer typed is ever run
as a formula.
"""

import io
import tempfile
from collections.abc import Callable, Iterator
from typing import NamedTuple

from django.db.models import Count, F, FloatField, OuterRef, Subquery, Sum
from django.db.models.functions import Cast
from django.utils.translation import gettext as _
from openpyxl import Workbook

from applications.domain.money import approved_amount_expression
from applications.queries import with_completeness
from common.dates import jst
from common.spreadsheets import csv_writer, xlsx_row
from programs.labels import program_line
from reports.domain.reporting import due_date
from reports.models import ImplementationReport, ReportExpense
from reviews.models import Review

from .figures import participants_matching, plans_matching

CHUNK = 500  # rows read from the database at a time: what bounds an export's memory
CSV_ROWS_PER_PIECE = 500


class Table(NamedTuple):
    header: list
    rows: Iterator  # read lazily, CHUNK rows at a time
    count: Callable  # how many rows there are, in one query (for the audit log)


def plans_table(filters):
    header = [
        _("Reference"),
        _("Title (English)"),
        _("Title (Japanese)"),
        _("Fiscal year"),
        _("Program"),
        _("Call"),
        _("Course"),
        _("Host institution"),
        _("Prefecture"),
        _("State"),
        _("Invitees"),
        _("Requested (JPY)"),
        _("Approved amount (JPY)"),
    ]
    plans = (
        with_completeness(plans_matching(filters))
        .annotate(approved_amount=approved_amount_expression())
        .select_related("call__program", "course", "host")
        .order_by("call__fiscal_year", "reference")
    )
    rows = (
        [
            plan.reference,
            plan.title_en,
            plan.title_ja,
            plan.call.fiscal_year,
            program_line(plan.call.program.name, plan.call.program.agency_hosted),
            plan.call.reference_prefix,
            plan.course.code,
            plan.host.name,
            str(plan.host.prefecture_name),
            plan.get_state_display(),
            plan.invitee_total,
            plan.budget_total,
            plan.approved_amount,
        ]
        for plan in plans.iterator(chunk_size=CHUNK)
    )
    return Table(header, rows, plans.count)


def participants_table(filters):
    """Personal data: the caller records the export in the audit log. No passport numbers."""
    header = [
        _("Plan"),
        _("Fiscal year"),
        _("Course"),
        _("Host institution"),
        _("Family name"),
        _("Given name(s)"),
        _("Nationality"),
        _("Category"),
        _("Gender"),
        _("Date of birth"),
        _("Email address"),
        _("Program"),
    ]
    participants = (
        participants_matching(filters)
        .select_related("plan__call__program", "plan__course", "plan__host")
        .order_by("plan__reference", "family_name", "given_name", "pk")
    )
    rows = (
        [
            person.plan.reference,
            person.plan.call.fiscal_year,
            person.plan.course.code,
            person.plan.host.name,
            person.family_name,
            person.given_name,
            person.nationality.code,
            person.get_category_display(),
            person.get_gender_display(),
            person.date_of_birth,
            person.email,
            program_line(person.plan.call.program.name, person.plan.call.program.agency_hosted),
        ]
        for person in participants.iterator(chunk_size=CHUNK)
    )
    return Table(header, rows, participants.count)


def reviews_table(filters):
    """Submitted reviews with their weighted totals; reviewers' names are personal data."""
    header = [_("Plan"), _("Reviewer"), _("Weighted total"), _("Submitted at")]
    reviews = (
        Review.objects.filter(
            submitted_at__isnull=False, **filters.plan_lookups("assignment__plan__")
        )
        .values("pk", "assignment__plan__reference", "assignment__reviewer__full_name")
        .annotate(
            points=Sum(Cast(F("scores__value") * F("scores__criterion__weight"), FloatField())),
            weights=Sum(Cast("scores__criterion__weight", FloatField())),
        )
        .values(
            "assignment__plan__reference",
            "assignment__reviewer__full_name",
            "submitted_at",
            "points",
            "weights",
        )
        .order_by("assignment__plan__reference", "assignment__reviewer__full_name", "pk")
    )
    rows = (
        [
            row["assignment__plan__reference"],
            row["assignment__reviewer__full_name"],
            round(row["points"] / row["weights"], 2) if row["weights"] else None,
            jst(row["submitted_at"]),
        ]
        for row in reviews.iterator(chunk_size=CHUNK)
    )
    return Table(header, rows, reviews.count)


def reports_table(filters):
    """Implementation reports, submitted or not, with the plan's figures; no personal data."""
    header = [
        _("Plan"),
        _("Fiscal year"),
        _("Course"),
        _("Host institution"),
        _("Plan state"),
        _("Report due on"),
        _("Submitted at"),
        _("Accepted at"),
        _("Actual arrival"),
        _("Actual departure"),
        _("Participants who came"),
        _("Approved (JPY)"),
        _("Actual (JPY)"),
        _("Joint papers"),
        _("Agreements signed"),
        _("Later study in Japan"),
        _("Activities done"),
    ]
    expenses = ReportExpense.objects.filter(report=OuterRef("pk")).order_by().values("report")
    reports = (
        ImplementationReport.objects.filter(**filters.plan_lookups("plan__"))
        .select_related("plan__call__program", "plan__course", "plan__host")
        .annotate(
            came=Count("attended", distinct=True),
            approved=Subquery(expenses.annotate(total=Sum("approved_jpy")).values("total")),
            actual=Subquery(expenses.annotate(total=Sum("actual_jpy")).values("total")),
        )
        .order_by("plan__call__fiscal_year", "plan__reference")
    )
    rows = (
        [
            report.plan.reference,
            report.plan.call.fiscal_year,
            report.plan.course.code,
            report.plan.host.name,
            report.plan.get_state_display(),
            due_date(report.plan),
            jst(report.submitted_at),
            jst(report.accepted_at),
            report.actual_arrival_on,
            report.actual_departure_on,
            report.came,
            report.approved,
            report.actual,
            report.joint_papers,
            report.agreements,
            report.later_study_in_japan,
            report.activities,
        ]
        for report in reports.iterator(chunk_size=CHUNK)
    )
    return Table(header, rows, reports.count)


def csv_pieces(header, rows):
    """The CSV text a few hundred rows at a time, for a StreamingHttpResponse: UTF-8 with a
    byte order mark first (Excel then reads Japanese correctly)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv_writer(out)
    writer.writerow(header)
    for number, row in enumerate(rows, start=1):
        writer.writerow(["" if value is None else value for value in row])
        if number % CSV_ROWS_PER_PIECE == 0:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()


def xlsx_file(title, header, rows):
    """The rows as an XLSX workbook in a temporary file, read from its start; and the count.

    openpyxl's write-only mode keeps no rows in memory, and saving into a file rather than
    into bytes keeps the finished workbook out of memory too. The file disappears when
    closed (the response closes it once sent)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append(header)
    count = 0
    for row in rows:
        sheet.append(xlsx_row(sheet, row))
        count += 1
    file = tempfile.TemporaryFile()  # noqa: SIM115 (the response closes it once sent)
    workbook.save(file)
    file.seek(0)
    return file, count
