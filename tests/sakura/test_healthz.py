"""/healthz reports the database, Redis and the Celery worker; any stopped one gives 503."""

import pytest


@pytest.mark.worker
def test_healthz_is_200_when_everything_answers(client, celery_worker_queue):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is True
    assert set(body["checks"]) == {"database", "redis", "celery"}
    assert "worker" in body["checks"]["celery"]["detail"]


@pytest.mark.django_db
def test_healthz_is_503_when_redis_is_stopped(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:6399/0"  # nothing listens there
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["ok"] is False
    assert body["checks"]["redis"]["ok"] is False
    assert body["checks"]["database"]["ok"] is True


@pytest.mark.django_db
def test_healthz_is_503_when_no_worker_answers(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    response = client.get("/healthz")  # no worker runs in this test
    assert response.status_code == 503
    assert response.json()["checks"]["celery"]["ok"] is False
