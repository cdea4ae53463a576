from django.urls import path

from .views import activities, editor, plans

urlpatterns = [
    path("", plans.PlanList.as_view(), name="plan_list"),
    path("new/", plans.PlanCreate.as_view(), name="plan_create"),
    path("<int:pk>/", plans.PlanDetail.as_view(), name="plan_detail"),
    path("<int:pk>/edit/", editor.BasicsView.as_view(), name="plan_edit_basics"),
    path("<int:pk>/edit/partners/", editor.PartnersView.as_view(), name="plan_edit_partners"),
    path(
        "<int:pk>/edit/activities/",
        activities.ActivitiesView.as_view(),
        name="plan_edit_activities",
    ),
    path(
        "<int:pk>/edit/activities/<int:activity_pk>/",
        activities.ActivityView.as_view(),
        name="plan_edit_activity",
    ),
    path("<int:pk>/edit/itinerary/", editor.ItineraryView.as_view(), name="plan_edit_itinerary"),
    path(
        "<int:pk>/edit/itinerary/copy-day/",
        editor.ItineraryCopyDayView.as_view(),
        name="plan_itinerary_copy_day",
    ),
    path(
        "<int:pk>/edit/itinerary/<int:item_pk>/",
        editor.ItineraryItemView.as_view(),
        name="plan_itinerary_item",
    ),
    path(
        "<int:pk>/edit/itinerary/<int:item_pk>/move/",
        editor.ItineraryMoveView.as_view(),
        name="plan_itinerary_move",
    ),
    path("<int:pk>/edit/budget/", editor.BudgetView.as_view(), name="plan_edit_budget"),
    path(
        "<int:pk>/edit/attachments/",
        editor.AttachmentsView.as_view(),
        name="plan_edit_attachments",
    ),
    path(
        "<int:pk>/edit/attachments/<int:attachment_pk>/delete/",
        editor.AttachmentDeleteView.as_view(),
        name="plan_attachment_delete",
    ),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/",
        plans.AttachmentDownload.as_view(),
        name="plan_attachment_download",
    ),
    path("<int:pk>/submit/", plans.PlanSubmit.as_view(), name="plan_submit"),
    path("<int:pk>/state/", plans.PlanTransitionView.as_view(), name="plan_transition"),
    path("<int:pk>/versions/<int:number>/", plans.PlanVersionView.as_view(), name="plan_version"),
    path("<int:pk>/changes/", plans.PlanDiffView.as_view(), name="plan_diff"),
]
