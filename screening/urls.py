from django.urls import path

from . import views

plan_urlpatterns = [
    path("<int:pk>/screening/", views.PlanScreening.as_view(), name="plan_screening"),
    path(
        "<int:pk>/screening/forms/<int:form_pk>/",
        views.SecurityFormDownload.as_view(),
        name="plan_security_form",
    ),
]

staff_urlpatterns = [
    path("screening/", views.StaffScreening.as_view(), name="staff_screening"),
    path("screening/matches/<int:pk>/", views.ResolveMatch.as_view(), name="screening_resolve"),
]
