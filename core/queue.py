"""Distributed jobs: the same `Job`s on two Redis queues (RQ), one per lane, for workers on any number of machines.

Used when EAGERLAB_REDIS_URL is set; without it the local scheduler runs every job. `submit` hands back a Ticket.
Identical requests in flight share one RQ job (an in-flight marker per content key, a set of waiters per job); a
session holds at most one queued job; presenters, then program runs, go first in their lane; a job nobody waits
for is cancelled; the waiting side enforces the wall clock and notices a worker that went away. Everything read
back from Redis is signed (HMAC-SHA256 under EAGERLAB_QUEUE_KEY) and checked before it is unpickled.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import logging
import math
import os
import pickle
import re
import time
import uuid
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import redis
import rq
from rq.command import send_stop_job_command
from rq.exceptions import InvalidJobOperation, NoSuchJobError
from rq.job import JobStatus
from rq.timeouts import JobTimeoutException

from core.jobs import JobLimitError, JobOutcome, JobResult
from core.lanes import FAST, JOB_CLASSES, SLOW, JobPending, Progress, Submission
from core.workers import exit_name

REDIS_URL_ENV = "EAGERLAB_REDIS_URL"
REDIS_PASSWORD_ENV = "EAGERLAB_REDIS_PASSWORD"  # added to the URL when it carries none (or *_FILE: a Secret's file)
QUEUE_KEY_ENV = "EAGERLAB_QUEUE_KEY"  # the HMAC key shared by UI replicas and workers (or *_FILE)
MIN_KEY_CHARS = 16
QUEUE = "eager-lab"
LANES = (FAST, SLOW)
POLL_S = 0.05
CPU_MODELS = "eager-lab:cpu-models"  # every queue worker adds its CPU model here at each heartbeat
KEPT_PREFIX = "eager-lab:kept:"
KEPT_TTL_S = 24 * 3600
RESULT_TTL_S = 600  # a finished job's outcome stays this long in Redis for the waiting pages to read
HEARTBEAT_S = 5  # a worker beats this often, idle or busy (core.queue_worker)
STALE_S = 3 * HEARTBEAT_S  # a worker silent this long is gone (killed, its machine lost)
NO_WORKER_GRACE_S = 5.0  # a queued job waits this long for a worker of its lane to appear
CHECK_EVERY_S = 1.0  # how often a waiter asks whether its job's worker is still alive
MARKER_SLACK_S = 60  # an in-flight marker outlives its job's limit by this much
SESSION_TTL_S = 3600
_HORSE_SIGNAL = re.compile(r"\(signal (\d+)\)")
log = logging.getLogger(__name__)


def _secret(name: str) -> str | None:
    """An environment variable, or the contents of the file its NAME_FILE twin names (a mounted Secret)."""
    if value := os.environ.get(name):
        return value
    path = os.environ.get(f"{name}_FILE")
    return Path(path).read_text(encoding="utf-8").strip() if path else None


def redis_url() -> str | None:
    """The queue's Redis URL (with EAGERLAB_REDIS_PASSWORD put in when it carries no password), or None."""
    url = os.environ.get(REDIS_URL_ENV) or None
    password = _secret(REDIS_PASSWORD_ENV)
    if url is None or not password or urlsplit(url).password:
        return url
    parts = urlsplit(url)
    return urlunsplit(parts._replace(netloc=f":{quote(password, safe='')}@{parts.netloc}"))


def connect(url: str) -> redis.Redis:
    """A Redis connection that fails fast when Redis is down (the page says so instead of hanging)."""
    return redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5)


class UntrustedPayload(ValueError):
    """Bytes from Redis whose signature is missing or wrong: refused before anything unpickles them."""


def _queue_key() -> bytes:
    key = _secret(QUEUE_KEY_ENV)
    if not key or len(key) < MIN_KEY_CHARS:
        raise RuntimeError(
            f"set {QUEUE_KEY_ENV} to a secret of at least {MIN_KEY_CHARS} characters, the same everywhere"
        )
    return key.encode()


class SignedPickle:
    """RQ's serializer here: a pickle behind its HMAC-SHA256 tag; a wrong tag raises before pickle.loads."""

    TAG = hashlib.sha256().digest_size

    @staticmethod
    def dumps(obj: object) -> bytes:
        payload = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
        return hmac.digest(_queue_key(), payload, "sha256") + payload

    @staticmethod
    def loads(data: bytes) -> object:
        tag, payload = data[: SignedPickle.TAG], data[SignedPickle.TAG :]
        if not hmac.compare_digest(tag, hmac.digest(_queue_key(), payload, "sha256")):
            raise UntrustedPayload("a payload in Redis failed its signature check")
        return pickle.loads(payload)  # noqa: S301 - signed by a holder of the queue key, checked above


# Within a lane: presenters (0), then by class rank (1 + rank); FIFO within one priority. The priority is the job
# id's first characters, so RQ's own re-queues keep it and the insertion is one atomic script.
_RANKED_PUSH = """
local function prio(id) local p = string.match(id, '^p(%d)%-') if p then return tonumber(p) end return 9 end
local mine = prio(ARGV[1])
local ids = redis.call('LRANGE', KEYS[1], 0, -1)
for i = #ids, 1, -1 do
  if prio(ids[i]) <= mine then
    if i == #ids then return redis.call('RPUSH', KEYS[1], ARGV[1]) end
    return redis.call('LINSERT', KEYS[1], 'AFTER', ids[i], ARGV[1])
  end
end
return redis.call('LPUSH', KEYS[1], ARGV[1])
"""


class LaneQueue(rq.Queue):
    """An RQ queue that inserts a job after every queued job of its priority or a higher one."""

    def push_job_id(self, job_id: str, pipeline=None, at_front: bool = False) -> None:
        if at_front:
            super().push_job_id(job_id, pipeline=pipeline, at_front=True)
        else:
            self.connection.register_script(_RANKED_PUSH)(keys=[self.key], args=[job_id], client=pipeline)


def queue_name(lane: str) -> str:
    """The RQ queue of `lane`."""
    return f"{QUEUE}:{lane}"


def lane_queue(connection: redis.Redis, lane: str) -> LaneQueue:
    """The signed RQ queue of `lane`, as the UI enqueues and a worker listens."""
    return LaneQueue(queue_name(lane), connection=connection, serializer=SignedPickle)


def fetch(connection: redis.Redis, job_id: str) -> rq.job.Job:
    """An RQ job read with the signed serializer (NoSuchJobError when gone)."""
    return rq.job.Job.fetch(job_id, connection=connection, serializer=SignedPickle)


def priority(submission: Submission) -> int:
    """0 for a presenter, else 1 + the class's rank (program runs before measurements)."""
    return 0 if submission.presenter else 1 + submission.job_class.rank


# The fleet: each worker's last beat by Redis's own clock (no skew between machines), per lane.
_BEAT = """
local t = redis.call('TIME')
redis.call('ZADD', KEYS[1], tonumber(t[1]) + tonumber(t[2]) / 1e6, ARGV[1])
redis.call('SADD', KEYS[2], ARGV[2])
return 1
"""
_LIVE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1e6
if ARGV[2] ~= '' then
  local beat = redis.call('ZSCORE', KEYS[1], ARGV[2])
  if not beat then return -1 end
  return tostring(now - tonumber(beat))
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - 86400)
return redis.call('ZCOUNT', KEYS[1], now - tonumber(ARGV[1]), '+inf')
"""


def _fleet(lane: str) -> str:
    return f"{QUEUE}:workers:{lane}"


def beat(connection, lane: str, worker: str, cpu: str) -> None:
    """A worker is alive now, on `lane`, with CPU model `cpu` (re-announced at each beat: survives a Redis restart)."""
    connection.register_script(_BEAT)(keys=[_fleet(lane), CPU_MODELS], args=[worker, cpu])


def retire(connection: redis.Redis, lane: str, worker: str) -> None:
    """A worker that stops cleanly leaves its lane at once."""
    connection.zrem(_fleet(lane), worker)


def live_workers(connection: redis.Redis, lane: str) -> int:
    """How many workers of `lane` beat within STALE_S."""
    return int(connection.register_script(_LIVE)(keys=[_fleet(lane)], args=[STALE_S, ""]))


def silent_for(connection: redis.Redis, lane: str, worker: str) -> float:
    """Seconds since `worker` last beat (infinity when it never did or left)."""
    age = float(connection.register_script(_LIVE)(keys=[_fleet(lane)], args=[STALE_S, worker]))
    return math.inf if age < 0 else age


def fleet_cpu_models(connection: redis.Redis) -> str:
    """The CPU models of the queue's workers, sorted: part of every kept result's key."""
    return " | ".join(sorted(m.decode() for m in connection.smembers(CPU_MODELS)))


# Per class, a running mean of how long its jobs take (exponential, so it follows the class's current load).
DURATIONS = f"{QUEUE}:durations"
_MEAN = """
local old = tonumber(redis.call('HGET', KEYS[1], ARGV[1]))
local new = tonumber(ARGV[2])
if old then new = old * 0.8 + new * 0.2 end
redis.call('HSET', KEYS[1], ARGV[1], tostring(new))
return tostring(new)
"""


def record_duration(connection, class_name: str, seconds: float) -> None:
    """Fold one finished job's seconds into its class's running mean."""
    connection.register_script(_MEAN)(keys=[DURATIONS], args=[class_name, repr(seconds)])


def mean_duration(connection: redis.Redis, class_name: str) -> float:
    """The class's running mean in seconds, or its ceiling while none finished."""
    raw = connection.hget(DURATIONS, class_name)
    return float(raw) if raw is not None else JOB_CLASSES[class_name].limit_s


def kept(connection: redis.Redis, key: str) -> JobResult | None:
    """A result kept by any replica under `key` (a digest of its content), or None (also when its tag is wrong)."""
    raw = connection.get(KEPT_PREFIX + key)
    if raw is None:
        return None
    try:
        return SignedPickle.loads(raw)
    except UntrustedPayload:
        log.warning("refused a kept result with a wrong signature: %s", key)
        return None


def keep(connection: redis.Redis, key: str, result: JobResult) -> None:
    """Keep `result`, signed, for every replica for a day."""
    connection.set(KEPT_PREFIX + key, SignedPickle.dumps(result), ex=KEPT_TTL_S)


# Identical requests share a job: the marker names the job in flight for a content key; each ticket is one member
# of its job's waiters (a set, so leaving twice counts once). The session key names its one queued job.
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
_LEAVE = """
redis.call('SREM', KEYS[1], ARGV[1])
local left = redis.call('SCARD', KEYS[1])
if left == 0 and redis.call('GET', KEYS[2]) == ARGV[2] then redis.call('DEL', KEYS[2]) end
return left
"""
_UNMARK = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0"
WAITERS_PREFIX = f"{QUEUE}:waiters:"
_FAILED = (JobStatus.FAILED, JobStatus.STOPPED, JobStatus.CANCELED)


def _marker(key: str) -> str:
    return f"{QUEUE}:inflight:{hashlib.sha256(key.encode()).hexdigest()[:32]}"


def _leave(connection: redis.Redis, job_id: str, token: str, marker: str) -> int:
    """This waiter leaves `job_id`; how many still wait (the marker goes with the last one)."""
    script = connection.register_script(_LEAVE)
    return int(script(keys=[WAITERS_PREFIX + job_id, marker], args=[token, job_id]))


def _abandon(connection: redis.Redis, job_id: str, queued_only: bool = False) -> None:
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
    marker, token = _marker(submission.key), uuid.uuid4().hex
    new_id = f"p{priority(submission)}-{uuid.uuid4().hex}"
    ttl = math.ceil(submission.limit_s) + MARKER_SLACK_S
    claim = connection.register_script(_CLAIM)
    session = f"{QUEUE}:session:{submission.session or '-' + token}"  # no session: one of its own, replacing nothing
    raw_id, created, previous = claim(keys=[marker, session], args=[new_id, token, ttl, WAITERS_PREFIX, SESSION_TTL_S])
    job_id = raw_id.decode()
    ticket = RedisTicket(connection=connection, submission=submission, job_id=job_id, token=token, marker=marker)
    if previous:
        old_id, old_token, old_marker = previous.decode().split(" ")
        if old_token != token and _leave(connection, old_id, old_token, old_marker) == 0:
            _abandon(connection, old_id, queued_only=True)  # this session's earlier job, still queued: replaced
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
    _leave(connection, job_id, token, marker)
    connection.register_script(_UNMARK)(keys=[marker], args=[job_id])
    return None


def _joinable(connection: redis.Redis, job_id: str) -> bool:
    """Whether a marked job can answer: it exists (its creator may be a moment from enqueuing it), not failed."""
    for _ in range(20):
        try:
            return fetch(connection, job_id).get_status() not in _FAILED
        except NoSuchJobError:
            time.sleep(POLL_S)
    return False


class RedisTicket:
    """One waiter of one RQ job: polls it, enforces its wall clock, notices a worker gone, leaves on release."""

    def __init__(self, *, connection, submission: Submission, job_id: str, token: str, marker: str) -> None:
        self.connection, self.submission, self.job_id = connection, submission, job_id
        self.token, self.marker = token, marker
        self.lane = submission.job_class.lane
        self._submitted = time.monotonic()
        self._started: float | None = None
        self._checked = self._submitted
        self._job: rq.job.Job | None = None
        self._released = False

    def result(self, timeout: float) -> JobResult:
        """The result; JobPending while not done, JobLimitError for a hit limit, the routine's own error."""
        deadline = time.monotonic() + max(0.0, timeout)
        while True:
            try:
                done = self._poll()
            except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError) as exc:
                raise JobLimitError("unavailable") from exc
            if done is not None:
                return done
            left = deadline - time.monotonic()
            if left <= 0:
                raise JobPending()
            time.sleep(min(POLL_S, left))

    def progress(self) -> Progress:
        """Queued at its place in its lane (an estimate from the class's mean duration), or running."""
        now = time.monotonic()
        try:
            status = self._status()
            if status == JobStatus.STARTED:
                self._started = self._started or now
                elapsed = now - self._started
                return Progress(
                    running=True, position=0, estimate_s=max(0.0, self.submission.limit_s - elapsed), elapsed_s=elapsed
                )
            position = (self._job.get_position() or 0) if status == JobStatus.QUEUED else 0
            workers = max(1, live_workers(self.connection, self.lane))
            mean = mean_duration(self.connection, self.submission.job_class.name)
            return Progress(
                running=False, position=position, estimate_s=position * mean / workers, elapsed_s=now - self._submitted
            )
        except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, NoSuchJobError, InvalidJobOperation):
            return Progress(running=False, position=0, estimate_s=0.0, elapsed_s=now - self._submitted)

    def release(self) -> None:
        """This waiter leaves; the last one cancels the job (dequeued if queued, stopped if running)."""
        if self._released:
            return
        self._released = True
        try:
            if _leave(self.connection, self.job_id, self.token, self.marker) == 0:
                _abandon(self.connection, self.job_id)
        except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError):
            pass  # Redis is gone, and the job with it

    def _status(self) -> JobStatus:
        if self._job is None:
            self._job = fetch(self.connection, self.job_id)
        return self._job.get_status(refresh=True)

    def _ended(self) -> None:
        """The job is over: nobody may join it any more, and this waiter has nothing left to cancel."""
        self.connection.register_script(_UNMARK)(keys=[self.marker], args=[self.job_id])
        self.connection.srem(WAITERS_PREFIX + self.job_id, self.token)
        self._released = True

    def _poll(self) -> JobResult | None:
        try:
            status = self._status()
        except (NoSuchJobError, InvalidJobOperation):
            self._ended()
            raise JobLimitError("lost") from None  # its record expired or was deleted
        limit = self.submission.limit_s
        if status == JobStatus.FINISHED:
            self._ended()
            return _answer(self._job, limit)
        if status in _FAILED:
            self._ended()
            raise _failure(self._job, status, limit)
        now = time.monotonic()
        check = now - self._checked >= CHECK_EVERY_S
        self._checked = now if check else self._checked
        if status == JobStatus.STARTED:
            self._started = self._started or now
            if now - self._started > limit:
                _abandon(self.connection, self.job_id)
                self._ended()
                raise JobLimitError("time", seconds=limit)
            if check and not self._job.worker_name:
                self._job.refresh()  # fetched while queued: learn which worker took it
            if check and silent_for(self.connection, self.lane, self._job.worker_name or "?") > STALE_S:
                self._ended()
                raise JobLimitError("lost")
        elif check and now - self._submitted > NO_WORKER_GRACE_S and live_workers(self.connection, self.lane) == 0:
            self.release()
            raise JobLimitError("no_worker")
        return None


def _answer(job: rq.job.Job, limit: float) -> JobResult:
    try:
        outcome: JobOutcome | None = job.return_value()
    except UntrustedPayload:
        raise JobLimitError("untrusted") from None
    if outcome is None:
        raise JobLimitError("lost")
    if isinstance(outcome.error, JobTimeoutException):  # RQ's own alarm went off first
        raise JobLimitError("time", seconds=limit)
    if outcome.error is not None:
        raise outcome.error
    return outcome.result


def _failure(job: rq.job.Job, status: JobStatus, limit: float) -> JobLimitError:
    """What an ended job's record says: stopped past a limit, RQ's own timeout, a horse killed by a signal."""
    if status == JobStatus.STOPPED:
        return JobLimitError("time", seconds=limit)
    if status == JobStatus.CANCELED:
        return JobLimitError("replaced")
    result = job.latest_result()
    text = (result.exc_string or "") if result is not None else ""
    if "JobTimeoutException" in text:
        return JobLimitError("time", seconds=limit)
    if "UntrustedPayload" in text:
        return JobLimitError("untrusted")
    match = _HORSE_SIGNAL.search(text)
    return JobLimitError("crash", signal=exit_name(-int(match.group(1))) if match else "exit")


@dataclasses.dataclass(frozen=True, kw_only=True)
class RefusedTicket:
    """A submission that never reached the queue: its result raises why."""

    error: JobLimitError

    def result(self, timeout: float) -> JobResult:
        raise self.error

    def progress(self) -> Progress:
        return Progress(running=False, position=0, estimate_s=0.0, elapsed_s=0.0)

    def release(self) -> None:
        pass
