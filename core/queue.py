"""Distributed jobs: the same `Job`s on a Redis queue (RQ), for workers on any number of machines.

Used when EAGERLAB_REDIS_URL is set; without it the embedded pool (core.workers) runs every job. A job is
`core.jobs.execute_outcome(job)` on the queue QUEUE. The waiting side enforces the wall clock: past the
limit it tells the worker to stop the job (RQ kills the work horse) and raises JobLimitError("time"); a
horse that died (segfault, OOM kill) is JobLimitError("crash"); Redis unreachable is JobLimitError("unavailable").
"""

from __future__ import annotations

import os
import pickle
import re
import time
from collections.abc import Callable

import redis
import rq
from rq.command import send_stop_job_command
from rq.exceptions import InvalidJobOperation
from rq.job import JobStatus
from rq.timeouts import JobTimeoutException

from core.jobs import Job, JobLimitError, JobOutcome, JobResult, cpu_model, execute_outcome
from core.workers import exit_name

REDIS_URL_ENV = "EAGERLAB_REDIS_URL"
QUEUE = "eager-lab"
POLL_S = 0.05
CPU_MODELS = "eager-lab:cpu-models"  # every queue worker adds its CPU model here when it starts
KEPT_PREFIX = "eager-lab:kept:"
KEPT_TTL_S = 24 * 3600
RESULT_TTL_S = 600  # a finished job's outcome stays this long in Redis for the waiting page to read
_HORSE_SIGNAL = re.compile(r"\(signal (\d+)\)")


def redis_url() -> str | None:
    """The queue's Redis URL, or None for the embedded pool."""
    return os.environ.get(REDIS_URL_ENV) or None


def connect(url: str) -> redis.Redis:
    """A Redis connection that fails fast when Redis is down (the page says so instead of hanging)."""
    return redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5)


def submit(
    connection: redis.Redis, job: Job, time_limit_s: float, on_wait: Callable[[], object] | None = None
) -> JobResult:
    """`job` run by a queue worker; its own exception raised here, a hit limit as JobLimitError."""
    try:
        queue = rq.Queue(QUEUE, connection=connection)
        queued = queue.enqueue(execute_outcome, job, job_timeout=max(1, int(time_limit_s) + 1), result_ttl=RESULT_TTL_S)
        return _wait(connection, queued, time_limit_s, on_wait)
    except redis.exceptions.ConnectionError as exc:
        raise JobLimitError("unavailable") from exc


def _wait(connection, queued: rq.job.Job, time_limit_s: float, on_wait) -> JobResult:
    started = None
    while True:
        status = queued.get_status(refresh=True)
        if status == JobStatus.FINISHED:
            outcome: JobOutcome = queued.return_value()
            if isinstance(outcome.error, JobTimeoutException):  # RQ's own alarm went off first
                raise JobLimitError("time", seconds=time_limit_s)
            if outcome.error is not None:
                raise outcome.error
            return outcome.result
        if status in (JobStatus.FAILED, JobStatus.STOPPED, JobStatus.CANCELED):
            raise _failure(queued, time_limit_s)
        if status == JobStatus.STARTED:
            started = started or time.monotonic()
            if time.monotonic() - started > time_limit_s:
                _stop(connection, queued)
                raise JobLimitError("time", seconds=time_limit_s)
        elif on_wait is not None and started is None:
            on_wait()
            on_wait = None
        time.sleep(POLL_S)


def _stop(connection, queued: rq.job.Job) -> None:
    try:
        send_stop_job_command(connection, queued.id)
    except InvalidJobOperation:  # it finished (or died) meanwhile: nothing left to stop
        pass


def _failure(queued: rq.job.Job, time_limit_s: float) -> JobLimitError:
    """What a failed job's record says: RQ's own timeout, or a work horse that died by a signal."""
    result = queued.latest_result()
    text = (result.exc_string or "") if result is not None else ""
    if "JobTimeoutException" in text:
        return JobLimitError("time", seconds=time_limit_s)
    match = _HORSE_SIGNAL.search(text)
    return JobLimitError("crash", signal=exit_name(-int(match.group(1))) if match else "exit")


def announce_worker(connection: redis.Redis) -> None:
    """Add this machine's CPU model to the fleet's, so kept results are keyed by where they are measured."""
    connection.sadd(CPU_MODELS, cpu_model())


def fleet_cpu_models(connection: redis.Redis) -> str:
    """The CPU models of the queue's workers, sorted: part of every kept result's key."""
    return " | ".join(sorted(m.decode() for m in connection.smembers(CPU_MODELS)))


def kept(connection: redis.Redis, key: str) -> JobResult | None:
    """A result kept by any replica under `key` (a digest of its content), or None."""
    raw = connection.get(KEPT_PREFIX + key)
    return pickle.loads(raw) if raw is not None else None  # noqa: S301 - written by keep() below, in our Redis


def keep(connection: redis.Redis, key: str, result: JobResult) -> None:
    """Keep `result` for every replica for a day."""
    connection.set(KEPT_PREFIX + key, pickle.dumps(result), ex=KEPT_TTL_S)
