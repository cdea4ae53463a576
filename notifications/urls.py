from django.urls import path

from . import views

urlpatterns = [
    path("outbox/", views.OutboxView.as_view(), name="outbox"),
    path("outbox/<int:pk>/", views.MessageView.as_view(), name="outbox_message"),
]
