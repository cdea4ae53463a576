from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScreeningConfig(AppConfig):
    name = "screening"
    verbose_name = _("Export-control screening")

    def ready(self):
        # Lower apps ask this one through functions it passes in, never by importing it.
        from applications.domain import checks, snapshots
        from institutions.domain import partners

        from .domain.matching import screen_partner
        from .domain.precheck import check_screening
        from .domain.versions import KEY, screening_as_data, screening_as_rows

        checks.register_section_check(
            "screening", _("Export-control screening"), "plan_screening", check_screening
        )
        partners.on_partner_saved(screen_partner)
        snapshots.register_frozen_part(KEY, screening_as_data, screening_as_rows)
