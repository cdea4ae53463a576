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
]
