from django.urls import path

from .views import staff

urlpatterns = [
    path("calls/", staff.StaffCallList.as_view(), name="staff_call_list"),
    path("calls/new/", staff.StaffCallCreate.as_view(), name="staff_call_create"),
    path("calls/<int:pk>/edit/", staff.StaffCallUpdate.as_view(), name="staff_call_update"),
    path("courses/", staff.StaffCourseList.as_view(), name="staff_course_list"),
    path("courses/<int:pk>/edit/", staff.StaffCourseUpdate.as_view(), name="staff_course_update"),
]
