from django.urls import path

from .views import reviewer

urlpatterns = [
    path("<int:pk>/", reviewer.AssignmentView.as_view(), name="review_assignment"),
]
