from django.urls import path

from . import views

urlpatterns = [
    path("join/<str:token>/", views.accept_invitation, name="accept_invitation"),
    path("<int:institution_pk>/", views.InstitutionDetail.as_view(), name="institution_detail"),
    path("<int:institution_pk>/members/", views.MemberList.as_view(), name="institution_members"),
    path(
        "<int:institution_pk>/members/<int:membership_pk>/remove/",
        views.MemberRemove.as_view(),
        name="institution_member_remove",
    ),
    path(
        "<int:institution_pk>/invitations/<int:invitation_pk>/revoke/",
        views.InvitationRevoke.as_view(),
        name="institution_invitation_revoke",
    ),
    path(
        "<int:institution_pk>/partners/new/", views.PartnerCreate.as_view(), name="partner_create"
    ),
    path(
        "<int:institution_pk>/partners/<int:pk>/edit/",
        views.PartnerUpdate.as_view(),
        name="partner_update",
    ),
]
