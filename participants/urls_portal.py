"""The participant's portal (at the site root) and the calendar files."""

from django.urls import path

from .views import alumni, portal, survey

urlpatterns = [
    path("participant/join/<str:token>/", portal.join, name="participant_join"),
    path("me/", portal.ParticipantHome.as_view(), name="participant_home"),
    path(
        "me/details/<int:participant_pk>/",
        portal.ParticipantDetails.as_view(),
        name="participant_details",
    ),
    path(
        "me/calendar.ics", portal.CalendarDownload.as_view(), name="participant_calendar_download"
    ),
    path("me/calendar/", portal.CalendarSubscription.as_view(), name="participant_calendar"),
    path("calendar/<str:token>.ics", portal.calendar_feed, name="calendar_feed"),
    path(
        "plans/deadlines.ics",
        portal.CoordinatorDeadlines.as_view(),
        name="coordinator_deadlines_ics",
    ),
    path(
        "me/survey/<int:participant_pk>/",
        survey.ParticipantSurvey.as_view(),
        name="participant_survey",
    ),
    path(
        "staff/calls/<int:pk>/survey/",
        survey.CallSurveyResults.as_view(),
        name="call_survey_results",
    ),
    path("staff/alumni/", alumni.AlumniList.as_view(), name="alumni_list"),
    path("staff/alumni/<int:pk>/", alumni.AlumnusDetail.as_view(), name="alumnus_detail"),
    path("staff/alumni/duplicates/", alumni.AlumniDuplicates.as_view(), name="alumni_duplicates"),
]
