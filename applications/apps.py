from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = _("Invitation plans")

    def ready(self):
        # A frozen version keeps the activities of a plan made of them (course D).
        from .domain import snapshots
        from .domain.activities import activities_as_data, activities_as_rows

        snapshots.register_frozen_part("activities", activities_as_data, activities_as_rows)
