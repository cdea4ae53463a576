from django.urls import path

from . import views

urlpatterns = [
    path(
        "plans/<int:pk>/letters/issue/", views.PlanLettersIssue.as_view(), name="plan_letters_issue"
    ),
    path("letters/<int:pk>/download/", views.LetterDownload.as_view(), name="letter_download"),
    path("verify/<str:reference>/", views.verify_letter, name="letter_verify"),
    path("staff/calls/<int:pk>/letters/", views.CallLetters.as_view(), name="call_letters"),
    path(
        "staff/calls/<int:pk>/letters/progress.json",
        views.CallLettersProgress.as_view(),
        name="call_letters_progress",
    ),
]
