from django.urls import path

from .views import nominator, staff

staff_urlpatterns = [
    path("direct/", staff.DirectPlanList.as_view(), name="direct_plan_list"),
    path("direct/new/", staff.DirectPlanCreate.as_view(), name="direct_plan_create"),
    path("direct/<int:pk>/", staff.DirectPlanDetail.as_view(), name="direct_plan_detail"),
    path("direct/<int:pk>/approve/", staff.DirectPlanApprove.as_view(), name="direct_plan_approve"),
    path(
        "direct/<int:pk>/nominations/",
        staff.NominationsForStaff.as_view(),
        name="direct_plan_nominations",
    ),
    path(
        "direct/<int:pk>/nominations.csv",
        staff.NominationsExport.as_view(),
        name="direct_plan_nominations_csv",
    ),
]

nominator_urlpatterns = [
    path("join/<str:token>/", nominator.join, name="nominator_join"),
    path("", nominator.NominatorHome.as_view(), name="nominator_home"),
    path("plans/<int:plan_pk>/", nominator.MyNominations.as_view(), name="nominator_plan"),
    path(
        "plans/<int:plan_pk>/new/",
        nominator.NominationCreate.as_view(),
        name="nomination_create",
    ),
    path("<int:pk>/edit/", nominator.NominationUpdate.as_view(), name="nomination_edit"),
    path("<int:pk>/withdraw/", nominator.NominationWithdraw.as_view(), name="nomination_withdraw"),
]
