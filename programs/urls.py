from django.urls import path

from . import views

urlpatterns = [
    path("<int:pk>/", views.CallDetail.as_view(), name="call_detail"),
]
