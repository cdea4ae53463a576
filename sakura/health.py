"""/healthz: the process answers (anyone); and, for a monitor holding HEALTHZ_TOKEN or a
signed-in program officer: is the database answering, is Redis answering, does a Celery
worker reply?

The public answer calls nothing: a Celery ping holds a worker up to a second and a failing
check names hosts and ports, neither of which the public should get.
"""

import hmac

import redis
from django.conf import settings
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache

from .celery import app as celery_app


def check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def check_redis():
    if not settings.REDIS_URL:
        return "not configured"
    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
    try:
        client.ping()
    finally:
        client.close()
    return "ok"


def check_celery():
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "eager"
    replies = celery_app.control.ping(timeout=1.0)
    if not replies:
        raise RuntimeError("no worker replied")
    return f"{len(replies)} worker(s)"


CHECKS = {"database": check_database, "redis": check_redis, "celery": check_celery}


def may_see_details(request):
    """A monitor sending `Authorization: Bearer <HEALTHZ_TOKEN>`, or a program officer."""
    token = settings.HEALTHZ_TOKEN
    sent = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if token and hmac.compare_digest(sent.encode(), token.encode()):
        return True
    return request.user.has_perm("accounts.use_staff_pages")


@never_cache
def healthz(request):
    if not may_see_details(request):
        return HttpResponse("ok", content_type="text/plain; charset=utf-8")
    status, healthy = {}, True
    for name, check in CHECKS.items():
        try:
            status[name] = {"ok": True, "detail": check()}
        except Exception as error:  # any failure of a dependency is reported, never raised
            healthy = False
            status[name] = {"ok": False, "detail": f"{type(error).__name__}: {error}"[:200]}
    return JsonResponse({"ok": healthy, "checks": status}, status=200 if healthy else 503)
