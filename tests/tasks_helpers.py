"""Running the task queue in a test: the database backend, and a worker's loop in-process."""

from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}


def use_database_queue(settings) -> None:
    """Tasks wait in the database until :func:`run_queued_tasks` (or a worker) runs them."""
    settings.TASKS = DATABASE_TASKS


def run_queued_tasks(limit: int = 1000) -> int:
    """What ``db_worker --batch`` does, in the test's transaction: run the ready tasks (and
    those they queue) until none is left; returns how many ran."""
    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    ran = 0
    while ran < limit:
        result = DBTaskResult.objects.ready().order_by("enqueued_at").first()
        if result is None:
            return ran
        result.claim(worker.worker_id)
        worker.run_task(result)
        ran += 1
    raise AssertionError("The queue did not empty")
