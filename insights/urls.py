from django.urls import path

from . import views

urlpatterns = [
    path("dashboard/", views.Dashboard.as_view(), name="insights_dashboard"),
    path(
        "exports/plans.csv",
        views.Export.as_view(table="plans", file_format="csv"),
        name="export_plans_csv",
    ),
    path(
        "exports/plans.xlsx",
        views.Export.as_view(table="plans", file_format="xlsx"),
        name="export_plans_xlsx",
    ),
    path(
        "exports/participants.csv",
        views.Export.as_view(
            table="participants", file_format="csv", audit_action="export_participants"
        ),
        name="export_participants_csv",
    ),
    path(
        "exports/participants.xlsx",
        views.Export.as_view(
            table="participants", file_format="xlsx", audit_action="export_participants"
        ),
        name="export_participants_xlsx",
    ),
    path(
        "exports/reviews.csv",
        views.Export.as_view(table="reviews", file_format="csv", audit_action="export_reviews"),
        name="export_reviews_csv",
    ),
    path(
        "exports/reviews.xlsx",
        views.Export.as_view(table="reviews", file_format="xlsx", audit_action="export_reviews"),
        name="export_reviews_xlsx",
    ),
    path(
        "exports/reports.csv",
        views.Export.as_view(table="reports", file_format="csv"),
        name="export_reports_csv",
    ),
    path(
        "exports/reports.xlsx",
        views.Export.as_view(table="reports", file_format="xlsx"),
        name="export_reports_xlsx",
    ),
]
