"""The Celery app: Redis as broker; eager (in-process) when no broker is configured."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sakura.settings")

app = Celery("sakura")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
