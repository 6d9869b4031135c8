"""Gunicorn settings, used in production and by the benchmark (bench/run.py):

    gunicorn -c config/gunicorn.conf.py config.wsgi

Every value can be changed by an environment variable. The defaults are what measured best on
a 2-core machine (docs/performance.md): sync workers, two per core plus one. A sync worker
serves one request at a time, so a slow client ties one up: run behind a reverse proxy that
buffers requests and responses (nginx, a load balancer), as production does.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "sync")
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
# Import the portal once in the master: workers start faster and share its memory.
preload_app = True
# Replace a worker after this many requests (with jitter, so they do not all restart at
# once): any slow growth of memory is bounded.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "200"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# The workers' heartbeat files in memory, not on a disk that may stall.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")


def on_starting(server):
    """With PROMETHEUS_MULTIPROC_DIR (core/metrics.py) the workers' counts start at zero."""
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder and os.path.isdir(folder):
        for name in os.listdir(folder):
            if name.endswith(".db"):
                os.remove(os.path.join(folder, name))


def child_exit(server, worker):
    """A worker that ended no longer reports its live values to /metrics."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
