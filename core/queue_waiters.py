"""Who waits for which job: an in-flight marker per content key, a set of waiters per job (leaving twice counts once).

A job nobody waits for any more is cancelled: dequeued if still queued, else stopped.
"""

from __future__ import annotations

import hashlib

import redis
from rq.command import send_stop_job_command
from rq.exceptions import InvalidJobOperation, NoSuchJobError
from rq.job import JobStatus

from core.queue_lanes import QUEUE, fetch
from core.queue_trust import SignedPickle

WAITERS_PREFIX = f"{QUEUE}:waiters:"
_LEAVE = """
redis.call('SREM', KEYS[1], ARGV[1])
local left = redis.call('SCARD', KEYS[1])
if left == 0 and redis.call('GET', KEYS[2]) == ARGV[2] then redis.call('DEL', KEYS[2]) end
return left
"""
_UNMARK = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0"


def marker_of(key: str) -> str:
    """The Redis key naming the job in flight for content key `key`."""
    return f"{QUEUE}:inflight:{hashlib.sha256(key.encode()).hexdigest()[:32]}"


def leave(connection: redis.Redis, job_id: str, token: str, marker: str) -> int:
    """This waiter leaves `job_id`; how many still wait (the marker goes with the last one)."""
    script = connection.register_script(_LEAVE)
    return int(script(keys=[WAITERS_PREFIX + job_id, marker], args=[token, job_id]))


def unmark(connection: redis.Redis, marker: str, job_id: str) -> None:
    """Nobody may join `job_id` through `marker` any more (unless the marker already names another job)."""
    connection.register_script(_UNMARK)(keys=[marker], args=[job_id])


def abandon(connection: redis.Redis, job_id: str, queued_only: bool = False) -> None:
    """Cancel a job nobody waits for: dequeued if still queued, else (unless `queued_only`) stopped."""
    try:
        job = fetch(connection, job_id)
        status = job.get_status()
        if status == JobStatus.QUEUED:
            job.cancel()
        elif status == JobStatus.STARTED and not queued_only:
            send_stop_job_command(connection, job_id, serializer=SignedPickle)
    except (NoSuchJobError, InvalidJobOperation):  # it ended (or was never enqueued) meanwhile
        pass
