"""The staff dashboard page and the exports: content, filters, audit log and who may see them."""

import csv
import io
from datetime import UTC, datetime

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from participants.models import Participant, PersonalDataAccess
from reviews.models import Criterion, Review, ReviewAssignment, Score
from tests.conftest import clear_cache, with_two_factor
from tests.factories import CallFactory, UserFactory
from tests.insights.dataset import build
from tests.reports.builders import completed_plan, filled_report

EXPORTS = [
    "export_plans_csv",
    "export_plans_xlsx",
    "export_participants_csv",
    "export_participants_xlsx",
    "export_reviews_csv",
    "export_reviews_xlsx",
    "export_reports_csv",
    "export_reports_xlsx",
]


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


def read_csv(response):
    assert response.streaming  # a year's export is never built whole in memory
    text = response.getvalue().decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def read_xlsx(response):
    assert response.streaming
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    return [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]


def test_dashboard_tables_show_the_figures(staff_client, dataset):
    response = staff_client.get(reverse("insights_dashboard"))
    html = response.content.decode()
    assert '<th scope="row">Tokyo</th><td class="num">5</td>' in html
    assert '<th scope="row">Osaka</th><td class="num">2</td>' in html
    assert '<th scope="row">2026</th><td class="num">2</td><td class="num">3</td>' in html
    assert '<td class="num">67%</td>' in html
    assert "¥1,610,000" in html
    assert "<caption>Participants by country or region</caption>" in html


def test_dashboard_draws_accessible_svg_charts(staff_client, dataset):
    html = staff_client.get(reverse("insights_dashboard")).content.decode()
    assert '<svg role="img" aria-labelledby="chart-country-title"' in html
    assert '<title id="chart-country-title">Participants by country or region</title>' in html
    assert "<rect " in html
    assert "style=" not in html.split("<main", 1)[1]


def test_dashboard_filters_change_the_figures(staff_client, dataset):
    response = staff_client.get(reverse("insights_dashboard"), {"fiscal_year": "2025"})
    html = response.content.decode()
    assert '<th scope="row">Tokyo</th><td class="num">3</td>' in html
    assert "Osaka</th>" not in html.split("Participants by prefecture")[-1]


def test_dashboard_queries_do_not_grow_with_the_data(
    staff_client, staff_user, django_assert_num_queries
):
    """11 when computing: user, roles and filter choices, then one pass over the participants
    for all seven participant figures and the totals by direction, the online sessions, plans
    by year and state (the approval rates come from it) and the budget use (the calls, and the
    money committed by call). The session comes from the cache; once the cache is emptied,
    from the database (one more)."""
    build(staff_user)
    with django_assert_num_queries(11):
        staff_client.get(reverse("insights_dashboard"))
    build(staff_user, round_offset=1)
    build(staff_user, round_offset=2)
    clear_cache()
    with django_assert_num_queries(12):
        staff_client.get(reverse("insights_dashboard"))
    with django_assert_num_queries(6):
        staff_client.get(reverse("insights_dashboard"))


def test_dashboard_keeps_the_figures_until_recomputed(staff_client, staff_user, dataset):
    url = reverse("insights_dashboard")
    first = staff_client.get(url).content.decode()
    assert "Figures as of " in first and " JST;" in first
    assert '<th scope="row">Tokyo</th><td class="num">5</td>' in first

    Participant.objects.filter(plan__host__prefecture="13").first().delete()
    assert '<td class="num">5</td>' in staff_client.get(url).content.decode().split("Tokyo")[-1]

    response = staff_client.post(url, follow=True)
    assert response.redirect_chain == [(url, 302)]
    html = response.content.decode()
    assert "The figures were recomputed." in html
    assert '<th scope="row">Tokyo</th><td class="num">4</td>' in html


def test_recomputing_keeps_the_filters_and_each_filter_has_its_own_figures(staff_client, dataset):
    url = reverse("insights_dashboard")
    staff_client.get(url)
    response = staff_client.post(f"{url}?fiscal_year=2025")
    assert response.status_code == 302
    assert response["Location"] == f"{url}?fiscal_year=2025"
    html = staff_client.get(url, {"fiscal_year": "2025"}).content.decode()
    assert '<th scope="row">Tokyo</th><td class="num">3</td>' in html


def test_dashboard_figures_follow_the_language(staff_client, staff_user, dataset):
    staff_client.get(reverse("insights_dashboard"))
    staff_user.preferred_language = "ja"
    staff_user.save()
    html = staff_client.get(reverse("insights_dashboard")).content.decode()
    assert '<th scope="row">東京都</th><td class="num">5</td>' in html


@pytest.mark.parametrize("name", EXPORTS)
@pytest.mark.parametrize("who", ["coordinator", "reviewer"])
def test_exports_and_dashboard_refused_to_others(client, request, who, name):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse(name)).status_code == 403
    assert client.get(reverse("insights_dashboard")).status_code == 403
    assert client.post(reverse("insights_dashboard")).status_code == 403


def test_plans_csv_lists_the_filtered_plans(staff_client, dataset):
    response = staff_client.get(reverse("export_plans_csv"), {"fiscal_year": "2025"})
    assert response["Content-Type"].startswith("text/csv")
    rows = read_csv(response)
    assert rows[0][:4] == ["Reference", "Title (English)", "Title (Japanese)", "Fiscal year"]
    p1, p2 = dataset["plans"][:2]
    assert [row[0] for row in rows[1:]] == sorted([p1.reference, p2.reference])
    first = rows[1]
    assert first[3] == "2025" and first[-3:] == ["5", "1110000", "1000000"]


def test_plans_xlsx_has_the_same_rows_as_the_csv(staff_client, dataset):
    csv_rows = read_csv(staff_client.get(reverse("export_plans_csv")))
    xlsx_rows = read_xlsx(staff_client.get(reverse("export_plans_xlsx")))
    assert xlsx_rows == csv_rows
    assert len(xlsx_rows) == 7


def test_participants_export_is_filtered_and_audited(staff_client, staff_user, dataset):
    course_b = dataset["courses"][1]
    response = staff_client.get(reverse("export_participants_csv"), {"course": course_b.pk})
    rows = read_csv(response)
    assert rows[0][4:7] == ["Family name", "Given name(s)", "Nationality"]
    assert sorted(row[6] for row in rows[1:]) == ["TH", "VN"]
    access = PersonalDataAccess.objects.get()
    assert (access.actor, access.action, access.count) == (staff_user, "export_participants", 2)
    assert "course B0" in access.what


def test_participants_xlsx_matches_csv_and_is_audited(staff_client, dataset):
    csv_rows = read_csv(staff_client.get(reverse("export_participants_csv")))
    xlsx_rows = read_xlsx(staff_client.get(reverse("export_participants_xlsx")))
    assert len(xlsx_rows) == len(csv_rows) == 8
    assert [row[:9] for row in xlsx_rows] == [row[:9] for row in csv_rows]
    assert sorted(PersonalDataAccess.objects.values_list("count", flat=True)) == [7, 7]


def test_reviews_export_has_weighted_totals_and_is_audited(staff_client, staff_user, dataset):
    plan = dataset["plans"][3]
    reviewer = with_two_factor(UserFactory(is_reviewer=True, full_name="Hanako Suzuki"))
    heavy = Criterion.objects.create(call=plan.call, name_en="Merit", name_ja="意義", weight=2)
    light = Criterion.objects.create(call=plan.call, name_en="Plan", name_ja="計画", weight=1)
    assignment = ReviewAssignment.objects.create(
        plan=plan, reviewer=reviewer, assigned_by=staff_user, state="submitted"
    )
    review = Review.objects.create(
        assignment=assignment,
        plan_version=1,
        submitted_at=datetime(2026, 5, 1, 3, 0, tzinfo=UTC),
    )
    Score.objects.create(review=review, criterion=heavy, value=5)
    Score.objects.create(review=review, criterion=light, value=2)

    rows = read_csv(staff_client.get(reverse("export_reviews_csv")))
    # (5 × 2 + 2 × 1) / 3 = 4.0
    assert rows == [
        ["Plan", "Reviewer", "Weighted total", "Submitted at"],
        [plan.reference, "Hanako Suzuki", "4.0", "2026-05-01 12:00 JST"],
    ]
    access = PersonalDataAccess.objects.get()
    assert (access.actor, access.action, access.count) == (staff_user, "export_reviews", 1)
    assert (
        read_csv(staff_client.get(reverse("export_reviews_csv"), {"fiscal_year": "2025"}))[1:] == []
    )


def test_plans_export_is_not_audited(staff_client, dataset):
    staff_client.get(reverse("export_plans_csv"))
    assert not PersonalDataAccess.objects.exists()


def test_reports_export_has_each_reports_figures_and_is_not_audited(staff_client):
    plan = completed_plan()
    filled_report(plan, by=plan.lead, participants=3, came=2)
    other = completed_plan(call=CallFactory(fiscal_year=plan.call.fiscal_year - 1))  # no report

    rows = read_csv(staff_client.get(reverse("export_reports_csv")))
    assert rows[0][:2] == ["Plan", "Fiscal year"] and rows[0][-1] == "Activities done"
    assert len(rows) == 2
    row = rows[1]
    assert row[0] == plan.reference and row[1] == str(plan.call.fiscal_year)
    # due 30 days (the program's report_due_days) after the departure on 2027-01-16
    assert rows[0][5] == "Report due on" and row[5] == "2027-02-15"
    # came 2 of 3; approved 750,000 + 360,000; actual 700,000 + 360,000 (within_budget)
    assert row[8:16] == ["2027-01-10", "2027-01-16", "2", "1110000", "1060000", "1", "1", "0"]
    assert row[16] == "Lectures, lab work and a site visit."

    xlsx_rows = read_xlsx(staff_client.get(reverse("export_reports_xlsx")))
    assert [r[:2] + r[10:13] for r in xlsx_rows] == [r[:2] + r[10:13] for r in rows]
    other_year = {"fiscal_year": str(other.call.fiscal_year)}
    assert read_csv(staff_client.get(reverse("export_reports_csv"), other_year))[1:] == []
    assert not PersonalDataAccess.objects.exists()


def test_reviews_xlsx_is_audited(staff_client, staff_user, dataset):
    response = staff_client.get(reverse("export_reviews_xlsx"))
    assert read_xlsx(response) == [["Plan", "Reviewer", "Weighted total", "Submitted at"]]
    access = PersonalDataAccess.objects.get()
    assert (access.actor, access.action, access.count) == (staff_user, "export_reviews", 0)


@pytest.mark.parametrize("name", EXPORTS)
def test_an_export_with_a_filter_not_understood_exports_nothing(staff_client, name, dataset):
    response = staff_client.get(reverse(name), {"fiscal_year": "1999"})
    assert response.status_code == 400
    assert "nothing was exported" in response.content.decode()
    assert not PersonalDataAccess.objects.exists()


@pytest.mark.parametrize("name", EXPORTS)
def test_an_export_with_a_filter_it_does_not_know_exports_nothing(staff_client, name, dataset):
    """A misspelt filter (`year` for `fiscal_year`) must not export everything."""
    response = staff_client.get(reverse(name), {"year": "2026"})
    assert response.status_code == 400
    assert "year" in response.content.decode()
    assert not PersonalDataAccess.objects.exists()
