from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = _("Programs and calls")

    def ready(self):
        from django.core.signals import request_finished, request_started

        from .domain.rules import kept_rules

        # Each request compares the rules' generation once (programs.domain.rules.KeptRules).
        request_started.connect(kept_rules.request_started, dispatch_uid="kept_rules_started")
        request_finished.connect(kept_rules.request_finished, dispatch_uid="kept_rules_finished")
