"""Staff: list, create and edit calls and courses."""

from django.contrib.messages.views import SuccessMessageMixin
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import CreateView, ListView, UpdateView

from common.views import PermissionRequiredMixin

from ..forms import CallForm, CourseForm
from ..models import Call, Course


class StaffCallList(PermissionRequiredMixin, ListView):
    permission_required = "programs.manage_calls"
    template_name = "programs/staff_call_list.html"
    context_object_name = "calls"
    paginate_by = 25

    def get_queryset(self):
        return Call.objects.select_related("program").prefetch_related("courses")


class StaffCallCreate(PermissionRequiredMixin, SuccessMessageMixin, CreateView):
    permission_required = "programs.manage_calls"
    model = Call
    form_class = CallForm
    template_name = "programs/staff_form.html"
    success_url = reverse_lazy("staff_call_list")
    success_message = _("The call was created.")
    extra_context = {"title": _("New call")}


class StaffCallUpdate(PermissionRequiredMixin, SuccessMessageMixin, UpdateView):
    permission_required = "programs.manage_calls"
    model = Call
    form_class = CallForm
    template_name = "programs/staff_form.html"
    success_url = reverse_lazy("staff_call_list")
    success_message = _("The call was saved.")
    extra_context = {"title": _("Edit call")}


class StaffCourseList(PermissionRequiredMixin, ListView):
    permission_required = "programs.manage_calls"
    template_name = "programs/staff_course_list.html"
    context_object_name = "courses"
    paginate_by = 50

    def get_queryset(self):
        return Course.objects.select_related("program")


class StaffCourseUpdate(PermissionRequiredMixin, SuccessMessageMixin, UpdateView):
    permission_required = "programs.manage_calls"
    model = Course
    form_class = CourseForm
    template_name = "programs/staff_form.html"
    success_url = reverse_lazy("staff_course_list")
    success_message = _("The course was saved.")
    extra_context = {"title": _("Edit course")}
