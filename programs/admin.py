from django.contrib import admin

from .domain.rules import rules_changed, save_country_rule, save_rule_set
from .forms import CallForm, CourseForm
from .models import Call, CountryRule, Course, Program, RuleChange, RuleSet


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


class RuleRowAdmin(admin.ModelAdmin):
    """A rule row deleted here is forgotten by every process (see `rules_changed`)."""

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        rules_changed()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        rules_changed()


@admin.register(RuleSet)
class RuleSetAdmin(RuleRowAdmin):
    """Saved through `save_rule_set`, so the admin's changes are in the history too."""

    list_display = ["course", "fiscal_year", "version", "max_days", "max_invitees", "source_en"]
    list_filter = ["fiscal_year", "course__program"]
    list_select_related = ["course"]
    readonly_fields = ["version"]

    def save_model(self, request, obj, form, change):
        save_rule_set(obj, by=request.user)


@admin.register(CountryRule)
class CountryRuleAdmin(RuleRowAdmin):
    """Saved through `save_country_rule`, so the admin's changes are in the history too."""

    list_display = ["country", "fiscal_year", "version", "airfare_cap_jpy"]
    list_filter = ["fiscal_year", "registration_receipt_required"]
    readonly_fields = ["version"]

    def save_model(self, request, obj, form, change):
        save_country_rule(obj, by=request.user)


@admin.register(RuleChange)
class RuleChangeAdmin(admin.ModelAdmin):
    """The history of the rules: read only."""

    list_display = ["changed_at", "rule_set", "country_rule", "version", "changed_by"]
    list_select_related = ["rule_set__course", "changed_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
