"""A queue worker: `python -m core.queue_worker --lane fast|slow` runs jobs of one lane from Redis, one at a time.

It takes one free core of this machine (the same lock files as the embedded pool's workers, so several worker
processes on one machine each get their own) and the same memory limit, then hands over to RQ, which forks a work
horse per job; the horse inherits both. A slow-lane worker runs at the lowest CPU priority. Every few seconds,
idle or busy, the worker beats in Redis (its lane's live workers, and its CPU model for the cache key), so the
waiting pages notice a worker gone and a Redis restart forgets nothing for long.
"""

from __future__ import annotations

import argparse
import os
import socket
import sys
import time

import rq

from core.jobs import Job, JobOutcome, cpu_model, execute_outcome
from core.lanes import FAST, SLOW
from core.queue import REDIS_URL_ENV, connect, redis_url
from core.queue_fleet import HEARTBEAT_S, beat, record_duration, retire
from core.queue_lanes import lane_queue
from core.queue_trust import SignedPickle
from core.workers import init_background_worker, init_worker, plan_pool


class LaneWorker(rq.Worker):
    """An RQ worker of one lane whose heartbeat also says so (and re-announces its CPU model)."""

    lane = FAST

    def heartbeat(self, timeout: int | None = None, pipeline=None) -> None:
        super().heartbeat(timeout, pipeline)
        beat(pipeline if pipeline is not None else self.connection, self.lane, self.name, cpu_model())

    def register_death(self) -> None:
        retire(self.connection, self.lane, self.name)
        super().register_death()


def run_job(job: Job, class_name: str) -> JobOutcome:
    """What the queue runs: `execute_outcome(job)`, its duration folded into its class's running mean."""
    started = time.monotonic()
    outcome = execute_outcome(job)
    current = rq.get_current_job()
    if current is not None:
        record_duration(current.connection, class_name, time.monotonic() - started)
    return outcome


def worker(connection, lane: str) -> LaneWorker:
    """A worker of `lane`, beating every HEARTBEAT_S seconds whether idle (worker_ttl - 15) or busy."""
    lane_worker = LaneWorker(
        [lane_queue(connection, lane)],
        connection=connection,
        serializer=SignedPickle,
        name=f"{socket.gethostname()}.{os.getpid()}.{lane}",
        worker_ttl=HEARTBEAT_S + 15,
        job_monitoring_interval=HEARTBEAT_S,
    )
    lane_worker.lane = lane
    return lane_worker


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m core.queue_worker", description=__doc__.splitlines()[0])
    parser.add_argument("--lane", choices=(FAST, SLOW), default=FAST, help="which lane's queue to run (default fast)")
    lane = parser.parse_args(argv).lane
    url = redis_url()
    if url is None:
        sys.exit(f"set {REDIS_URL_ENV} to the Redis URL the UI uses, e.g. redis://127.0.0.1:6379/0")
    SignedPickle.dumps(None)  # no key, no worker: fail at start, not at the first job
    cores = tuple((core,) for core in sorted(os.sched_getaffinity(0)))  # a worker machine has no UI to spare
    start = init_background_worker if lane == SLOW else init_worker  # slow: the same cores, at the lowest priority
    start(f"queue-{lane}-{socket.gethostname()}", cores, plan_pool().memory_bytes)
    connection = connect(url)
    lane_worker = worker(connection, lane)
    beat(connection, lane, lane_worker.name, cpu_model())  # live before the first dequeue
    lane_worker.work(with_scheduler=False)


if __name__ == "__main__":
    main()
