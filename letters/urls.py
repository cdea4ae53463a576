from django.urls import path

from .views import readers, staff

urlpatterns = [
    path(
        "plans/<int:pk>/letters/issue/", staff.PlanLettersIssue.as_view(), name="plan_letters_issue"
    ),
    path("letters/<int:pk>/download/", readers.LetterDownload.as_view(), name="letter_download"),
    path("verify/<str:reference>/", readers.verify_letter, name="letter_verify"),
    path("staff/calls/<int:pk>/letters/", staff.CallLetters.as_view(), name="call_letters"),
    path(
        "staff/calls/<int:pk>/letters/progress.json",
        staff.CallLettersProgress.as_view(),
        name="call_letters_progress",
    ),
]
