from django.apps import AppConfig


class SakuraConfig(AppConfig):
    name = "sakura"
    verbose_name = "Sakura Exchange Portal"

    def ready(self):
        from . import checks  # noqa: F401 - registers the deployment checks
