from django.urls import path

from . import views

urlpatterns = [
    path("<int:pk>/", views.AssignmentView.as_view(), name="review_assignment"),
]
