from django.urls import path

from . import views

urlpatterns = [
    path("calls/", views.StaffCallList.as_view(), name="staff_call_list"),
    path("calls/new/", views.StaffCallCreate.as_view(), name="staff_call_create"),
    path("calls/<int:pk>/edit/", views.StaffCallUpdate.as_view(), name="staff_call_update"),
    path("courses/", views.StaffCourseList.as_view(), name="staff_course_list"),
    path("courses/<int:pk>/edit/", views.StaffCourseUpdate.as_view(), name="staff_course_update"),
]
