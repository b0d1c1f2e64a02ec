"""Submitting a job: a new RQ job on its lane, or a place among the waiters of the identical one already in flight.

A session holds at most one queued job: its next submission replaces the earlier one while that is still queued.
"""

from __future__ import annotations

import math
import time
import uuid

import redis
from rq.exceptions import NoSuchJobError

from core.jobs import JobLimitError
from core.lanes import Submission
from core.queue_lanes import QUEUE, fetch, lane_queue, priority
from core.queue_ticket import FAILED, POLL_S, RedisTicket, RefusedTicket
from core.queue_waiters import WAITERS_PREFIX, abandon, leave, marker_of, unmark

RESULT_TTL_S = 600  # a finished job's outcome stays this long in Redis for the waiting pages to read
MARKER_SLACK_S = 60  # an in-flight marker outlives its job's limit by this much
SESSION_TTL_S = 3600

# The marker names the job in flight for a content key (set here when none does); this ticket joins that job's
# waiters; the session key names the session's one queued job, and the one it names before is handed back.
_CLAIM = """
local id = redis.call('GET', KEYS[1])
local created = 0
if not id then
  id = ARGV[1]
  redis.call('SET', KEYS[1], id, 'EX', ARGV[3])
  created = 1
end
local waiters = ARGV[4] .. id
redis.call('SADD', waiters, ARGV[2])
redis.call('EXPIRE', waiters, ARGV[5])
local previous = redis.call('GET', KEYS[2]) or ''
redis.call('SET', KEYS[2], id .. ' ' .. ARGV[2] .. ' ' .. KEYS[1], 'EX', ARGV[5])
return {id, created, previous}
"""


def submit(connection: redis.Redis, submission: Submission):
    """A Ticket for `submission` on its lane's queue: a new job, or the identical one already in flight."""
    try:
        for _ in range(3):
            ticket = _claim(connection, submission)
            if ticket is not None:
                return ticket
        raise JobLimitError("unavailable")  # three stale markers in a row: Redis is not behaving
    except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError):
        return RefusedTicket(error=JobLimitError("unavailable"))


def _claim(connection: redis.Redis, submission: Submission) -> RedisTicket | None:
    """One try: a ticket, or None when the marked job turned out stale (the marker is then cleared)."""
    marker, token = marker_of(submission.key), uuid.uuid4().hex
    new_id = f"p{priority(submission)}-{uuid.uuid4().hex}"
    ttl = math.ceil(submission.limit_s) + MARKER_SLACK_S
    claim = connection.register_script(_CLAIM)
    session = f"{QUEUE}:session:{submission.session or '-' + token}"  # no session: one of its own, replacing nothing
    raw_id, created, previous = claim(keys=[marker, session], args=[new_id, token, ttl, WAITERS_PREFIX, SESSION_TTL_S])
    job_id = raw_id.decode()
    ticket = RedisTicket(connection=connection, submission=submission, job_id=job_id, token=token, marker=marker)
    if previous:
        old_id, old_token, old_marker = previous.decode().split(" ")
        if old_token != token and leave(connection, old_id, old_token, old_marker) == 0:
            abandon(connection, old_id, queued_only=True)  # this session's earlier job, still queued: replaced
    if created:
        lane_queue(connection, submission.job_class.lane).enqueue_call(
            "core.queue_worker.run_job",
            args=(submission.job, submission.job_class.name),
            job_id=job_id,
            timeout=max(1, math.ceil(submission.limit_s) + 1),  # the work horse's own alarm, a second later
            result_ttl=RESULT_TTL_S,
            failure_ttl=RESULT_TTL_S,
            description=submission.job_class.name,
        )
        return ticket
    if _joinable(connection, job_id):
        return ticket
    leave(connection, job_id, token, marker)
    unmark(connection, marker, job_id)
    return None


def _joinable(connection: redis.Redis, job_id: str) -> bool:
    """Whether a marked job can answer: it exists (its creator may be a moment from enqueuing it), not failed."""
    for _ in range(20):
        try:
            return fetch(connection, job_id).get_status() not in FAILED
        except NoSuchJobError:
            time.sleep(POLL_S)
    return False
