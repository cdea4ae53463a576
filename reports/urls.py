from django.urls import path

from . import views

urlpatterns = [
    path("<int:pk>/report/", views.ReportEdit.as_view(), name="report_edit"),
    path("<int:pk>/report/view/", views.ReportDetail.as_view(), name="report_detail"),
    path("<int:pk>/report/review/", views.ReportReview.as_view(), name="report_review"),
    path(
        "<int:pk>/report/photos/<int:photo_pk>/",
        views.ReportPhotoView.as_view(),
        name="report_photo",
    ),
    path("<int:pk>/interim-report/", views.InterimEdit.as_view(), name="interim_report_edit"),
    path(
        "<int:pk>/interim-report/view/",
        views.InterimDetail.as_view(),
        name="interim_report_detail",
    ),
    path(
        "<int:pk>/interim-report/review/",
        views.InterimReview.as_view(),
        name="interim_report_review",
    ),
    path(
        "<int:pk>/activities/<int:activity_pk>/attendance/",
        views.AttendanceEdit.as_view(),
        name="activity_attendance",
    ),
]
