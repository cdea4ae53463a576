from django.urls import path

from .views import staff

urlpatterns = [
    path("calls/", staff.StaffCallList.as_view(), name="staff_call_list"),
    path("calls/new/", staff.StaffCallCreate.as_view(), name="staff_call_create"),
    path("calls/<int:pk>/edit/", staff.StaffCallUpdate.as_view(), name="staff_call_update"),
    path("courses/", staff.StaffCourseList.as_view(), name="staff_course_list"),
    path("courses/<int:pk>/edit/", staff.StaffCourseUpdate.as_view(), name="staff_course_update"),
    path("rules/", staff.StaffRuleList.as_view(), name="staff_rule_list"),
    path("rules/<int:pk>/edit/", staff.StaffRuleSetUpdate.as_view(), name="staff_rule_set_update"),
    path(
        "rules/countries/new/",
        staff.StaffCountryRuleCreate.as_view(),
        name="staff_country_rule_create",
    ),
    path(
        "rules/countries/<int:pk>/edit/",
        staff.StaffCountryRuleUpdate.as_view(),
        name="staff_country_rule_update",
    ),
]
