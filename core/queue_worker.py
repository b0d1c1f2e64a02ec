"""A queue worker: `python -m core.queue_worker` runs jobs from Redis (EAGERLAB_REDIS_URL) one at a time.

It takes one free core of this machine (the same lock files as the embedded pool's workers, so several
worker processes on one machine each get their own) and the same memory limit, then hands over to RQ,
which forks a work horse per job; the horse inherits both.
"""

from __future__ import annotations

import os
import socket
import sys

import rq

from core import queue
from core.workers import init_worker, plan_pool


def main() -> None:
    url = queue.redis_url()
    if url is None:
        sys.exit(f"set {queue.REDIS_URL_ENV} to the Redis URL the UI uses, e.g. redis://127.0.0.1:6379/0")
    cores = tuple((core,) for core in sorted(os.sched_getaffinity(0)))  # a worker machine has no UI to spare
    init_worker(f"queue-{socket.gethostname()}", cores, plan_pool().memory_bytes)
    connection = queue.connect(url)
    queue.announce_worker(connection)
    rq.Worker([queue.QUEUE], connection=connection).work(with_scheduler=False)


if __name__ == "__main__":
    main()
