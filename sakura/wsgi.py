"""WSGI entry point (gunicorn sakura.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sakura.settings")
application = get_wsgi_application()
