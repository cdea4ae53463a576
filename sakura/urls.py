from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from accounts.views import switch_language
from applications.views.staff import CallPlanList
from nominations import urls as nomination_urls
from screening import urls as screening_urls

from . import health, views

# The admin signs in through allauth too, so two-factor and login throttling apply to it.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "Sakura Exchange Portal"
# Operators (superusers) use the admin even when they are not program officers (is_staff).
admin.site.has_permission = lambda request: request.user.has_perm("accounts.use_admin_site")

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("coordinator/", views.CoordinatorDashboard.as_view(), name="coordinator_dashboard"),
    path("reviewer/", views.ReviewerDashboard.as_view(), name="reviewer_dashboard"),
    path("staff/", views.StaffDashboard.as_view(), name="staff_dashboard"),
    path("staff/", include("programs.staff_urls")),
    path("staff/", include("reviews.staff_urls")),
    path("staff/", include("notifications.urls")),
    path("staff/", include("insights.urls")),
    path("reviews/", include("reviews.urls")),
    path("calls/", include("programs.urls")),
    path("plans/", include("applications.urls")),
    path("plans/", include("reports.urls")),
    path("plans/", include("participants.urls_coordinator")),
    path("plans/", include(screening_urls.plan_urlpatterns)),
    path("staff/", include(screening_urls.staff_urlpatterns)),
    path("staff/", include(nomination_urls.staff_urlpatterns)),
    path("nominations/", include(nomination_urls.nominator_urlpatterns)),
    path("", include("participants.urls_portal")),
    path("", include("letters.urls")),
    path("staff/calls/<int:pk>/plans/", CallPlanList.as_view(), name="staff_call_plans"),
    path("institutions/", include("institutions.urls")),
    path("healthz", health.healthz, name="healthz"),
    path("i18n/setlang/", switch_language, name="set_language"),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]
