from django.contrib import admin

from .forms import CallForm, CourseForm
from .models import Call, Course, Program


class CourseInline(admin.StackedInline):
    model = Course
    form = CourseForm
    extra = 0


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "name_ja"]
    search_fields = ["code", "name_en", "name_ja"]
    inlines = [CourseInline]


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    form = CourseForm
    list_display = ["code", "name_en", "program", "max_days", "max_invitees", "per_plan_cap_jpy"]
    list_filter = ["program"]
    search_fields = ["code", "name_en", "name_ja"]
    list_select_related = ["program"]


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    form = CallForm
    list_display = ["__str__", "status", "opens_at", "closes_at", "budget_jpy"]
    list_filter = ["status", "program", "fiscal_year"]
    search_fields = ["program__code", "program__name_en", "program__name_ja"]
    list_select_related = ["program"]
    date_hierarchy = "closes_at"
