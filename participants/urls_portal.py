from django.urls import path

from .views import portal

urlpatterns = [
    path("me/", portal.ParticipantHome.as_view(), name="participant_home"),
]
