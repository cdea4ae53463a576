"""The coordinator's participant pages, under plans/<pk>/participants/."""

from django.urls import path

from .views import coordinator, survey

urlpatterns = [
    path(
        "<int:pk>/participants/",
        coordinator.ParticipantList.as_view(),
        name="participant_list",
    ),
    path(
        "<int:pk>/participants/new/",
        coordinator.ParticipantCreate.as_view(),
        name="participant_create",
    ),
    path(
        "<int:pk>/participants/import/",
        coordinator.ParticipantImport.as_view(),
        name="participant_import",
    ),
    path(
        "<int:pk>/participants/template.csv",
        coordinator.ParticipantTemplateCsv.as_view(),
        name="participant_template_csv",
    ),
    path(
        "<int:pk>/participants/template.xlsx",
        coordinator.ParticipantTemplateXlsx.as_view(),
        name="participant_template_xlsx",
    ),
    path(
        "<int:pk>/participants/export.csv",
        coordinator.ParticipantExport.as_view(),
        name="participant_export",
    ),
    path(
        "<int:pk>/participants/<int:participant_pk>/",
        coordinator.ParticipantUpdate.as_view(),
        name="participant_update",
    ),
    path(
        "<int:pk>/participants/<int:participant_pk>/invite/",
        coordinator.ParticipantInvite.as_view(),
        name="participant_invite",
    ),
    path(
        "<int:pk>/participants/survey/",
        survey.PlanSurveyResults.as_view(),
        name="plan_survey_results",
    ),
]
