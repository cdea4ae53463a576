import pytest

from sakura.tasks import ping


@pytest.mark.worker
def test_task_runs_on_a_real_worker_through_redis(celery_worker_queue):
    result = ping.apply_async(queue=celery_worker_queue)
    assert result.get(timeout=30) == "pong"
    assert result.successful()
