"""Web and workers on separate hosts share letters through S3-compatible object storage.

The suite starts moto's S3 server (`moto_server`, from PyPI: it speaks the S3 protocol on
127.0.0.1, needs no account and keeps everything in memory) and points the portal's default
storage at a private bucket there. A real Celery worker — another process, told the bucket by
its environment only, as a worker on another host would be — issues a letter; this process
serves it through the permission-checked view; the retention job deletes it from the bucket.
"""

import hashlib
import os
import socket
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime

import boto3
import pytest
from botocore.exceptions import ClientError
from django.urls import reverse

from letters.models import Letter
from letters.tasks import issue_participant_letter
from participants.domain.retention import apply_retention
from sakura.celery import app
from tests.conftest import start_worker
from tests.participants.test_retention import stay_in

pytestmark = pytest.mark.worker

NOW = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)  # fiscal year 2020 is past its five years
KEYS = {"S3_ACCESS_KEY_ID": "testing", "S3_SECRET_ACCESS_KEY": "testing", "S3_REGION": "us-east-1"}


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def s3():
    """moto's S3 server on a free port, with an empty private bucket; gone after the test."""
    port = free_port()
    server = subprocess.Popen(
        [os.path.join(os.path.dirname(sys.executable), "moto_server"), "-H", "127.0.0.1"]
        + ["-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name="us-east-1",
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            client.list_buckets()
            break
        except Exception:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                pytest.fail("moto_server did not start.")
            time.sleep(0.2)
    bucket = f"letters-{uuid.uuid4().hex[:8]}"
    client.create_bucket(Bucket=bucket)
    try:
        yield {"client": client, "bucket": bucket, "endpoint": endpoint}
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def shared_storage(s3, settings):
    """This process's default storage is the bucket, as a web host's would be."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": s3["bucket"],
                "endpoint_url": s3["endpoint"],
                "region_name": "us-east-1",
                "access_key": "testing",
                "secret_key": "testing",
                "default_acl": "private",
                "file_overwrite": False,
            },
        },
    }
    return s3


@pytest.fixture
def worker_on_the_bucket(shared_storage, transactional_db, settings):
    """A real worker that knows the bucket only from its environment (S3_* variables)."""
    from common.tasks import broker_back

    broker_back()
    queue = f"test-{uuid.uuid4().hex[:8]}"
    settings.CELERY_TASK_ALWAYS_EAGER = False
    before = app.conf.task_always_eager, app.conf.task_default_queue
    app.conf.task_always_eager, app.conf.task_default_queue = False, queue
    worker = start_worker(
        queue,
        S3_BUCKET=shared_storage["bucket"],
        S3_ENDPOINT_URL=shared_storage["endpoint"],
        MEDIA_ROOT="/nonexistent-media-root",  # nothing may be written on this host's disk
        **KEYS,
    )
    try:
        yield queue
    finally:
        app.conf.task_always_eager, app.conf.task_default_queue = before
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()


def stored(s3, name):
    try:
        return s3["client"].get_object(Bucket=s3["bucket"], Key=name)["Body"].read()
    except ClientError as error:
        if error.response["Error"]["Code"] in ("NoSuchKey", "404"):
            return None
        raise


def test_a_letter_issued_by_a_worker_is_served_here_and_deleted_by_retention(
    client, shared_storage, worker_on_the_bucket, other_coordinator
):
    person = stay_in(2020)
    result = issue_participant_letter.apply_async(args=[person.pk], queue=worker_on_the_bucket)
    letter = Letter.objects.get(pk=result.get(timeout=120))

    # The worker wrote the PDF into the bucket (private), not on a disk.
    content = stored(shared_storage, letter.file.name)
    assert content is not None and content.startswith(b"%PDF-")
    assert hashlib.sha256(content).hexdigest() == letter.sha256
    acl = shared_storage["client"].get_object_acl(
        Bucket=shared_storage["bucket"], Key=letter.file.name
    )
    assert not [grant for grant in acl["Grants"] if "AllUsers" in str(grant["Grantee"])]

    # This process serves it to the host, through the permission check; others get 404.
    client.force_login(person.plan.lead)
    response = client.get(reverse("letter_download", args=[letter.pk]))
    assert response.status_code == 200
    assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == letter.sha256
    client.force_login(other_coordinator)
    assert client.get(reverse("letter_download", args=[letter.pk])).status_code == 404

    # Five fiscal years on, the retention job deletes the file from the bucket.
    assert apply_retention(now=NOW).letters == 1
    assert stored(shared_storage, letter.file.name) is None
    letter.refresh_from_db()
    assert not letter.file
