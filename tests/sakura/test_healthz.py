"""/healthz: anyone gets a cheap liveness answer ("ok", no details, no call to Redis or a
worker); the detailed check of the database, Redis and the Celery worker answers only a
monitor holding HEALTHZ_TOKEN (Authorization: Bearer) or a signed-in program officer, and any
stopped service gives 503."""

import pytest

TOKEN = "monitor-token-0123456789"


@pytest.fixture
def monitor(settings):
    settings.HEALTHZ_TOKEN = TOKEN
    return {"HTTP_AUTHORIZATION": f"Bearer {TOKEN}"}


def stopped_services(settings):
    settings.REDIS_URL = "redis://127.0.0.1:6399/0"  # nothing listens there
    settings.CELERY_TASK_ALWAYS_EAGER = False  # and no worker runs in these tests


@pytest.mark.django_db
def test_public_healthz_says_ok_without_details_or_calls(client, settings, monitor):
    stopped_services(settings)

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"].startswith("text/plain")
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_wrong_token_gets_the_public_answer(client, settings, monitor):
    stopped_services(settings)

    response = client.get("/healthz", HTTP_AUTHORIZATION="Bearer guessed")

    assert response.status_code == 200
    assert response.content == b"ok"


@pytest.mark.django_db
def test_no_token_configured_means_no_token_opens_the_details(client, settings):
    settings.HEALTHZ_TOKEN = ""
    stopped_services(settings)

    response = client.get("/healthz", HTTP_AUTHORIZATION="Bearer ")

    assert response.content == b"ok"


@pytest.mark.django_db
def test_coordinator_gets_the_public_answer(client, settings, coordinator):
    stopped_services(settings)
    client.force_login(coordinator)

    assert client.get("/healthz").content == b"ok"


@pytest.mark.django_db
def test_program_officer_sees_the_details(client, settings, staff_user):
    stopped_services(settings)
    client.force_login(staff_user)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert set(response.json()["checks"]) == {"database", "redis", "celery"}


@pytest.mark.worker
def test_healthz_is_200_when_everything_answers(client, celery_worker_queue, monitor):
    response = client.get("/healthz", **monitor)
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is True
    assert set(body["checks"]) == {"database", "redis", "celery"}
    assert "worker" in body["checks"]["celery"]["detail"]


@pytest.mark.django_db
def test_healthz_is_503_when_redis_is_stopped(client, settings, monitor):
    settings.REDIS_URL = "redis://127.0.0.1:6399/0"  # nothing listens there
    response = client.get("/healthz", **monitor)
    assert response.status_code == 503
    body = response.json()
    assert body["ok"] is False
    assert body["checks"]["redis"]["ok"] is False
    assert body["checks"]["database"]["ok"] is True


@pytest.mark.django_db
def test_healthz_is_503_when_no_worker_answers(client, settings, monitor):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    response = client.get("/healthz", **monitor)  # no worker runs in this test
    assert response.status_code == 503
    assert response.json()["checks"]["celery"]["ok"] is False
