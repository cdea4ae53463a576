from django.urls import path

from . import views

urlpatterns = [
    path("calls/<int:pk>/review/", views.SetupView.as_view(), name="review_setup"),
    path("calls/<int:pk>/assignments/", views.AssignmentsView.as_view(), name="review_assignments"),
    path("calls/<int:pk>/ranking/", views.RankingView.as_view(), name="review_ranking"),
]
