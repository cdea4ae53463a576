from django.urls import path

from .views import calls

urlpatterns = [
    path("<int:pk>/", calls.CallDetail.as_view(), name="call_detail"),
]
