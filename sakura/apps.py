from django.apps import AppConfig


class SakuraConfig(AppConfig):
    name = "sakura"
    verbose_name = "Sakura Exchange Portal"
