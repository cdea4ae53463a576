from django.urls import path

from .views import staff

urlpatterns = [
    path("calls/<int:pk>/review/", staff.SetupView.as_view(), name="review_setup"),
    path("calls/<int:pk>/assignments/", staff.AssignmentsView.as_view(), name="review_assignments"),
    path("calls/<int:pk>/ranking/", staff.RankingView.as_view(), name="review_ranking"),
]
