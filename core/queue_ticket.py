"""The waiting side of a queued job: a Ticket that polls it, enforces its wall clock and notices a worker gone.

`RefusedTicket` stands for a submission that never reached the queue.
"""

from __future__ import annotations

import dataclasses
import re
import time

import redis
import rq
from rq.exceptions import InvalidJobOperation, NoSuchJobError
from rq.job import JobStatus
from rq.timeouts import JobTimeoutException

from core.jobs import JobLimitError, JobOutcome, JobResult
from core.lanes import JobPending, Progress, Submission
from core.queue_fleet import STALE_S, live_workers, mean_duration, silent_for
from core.queue_lanes import fetch
from core.queue_trust import UntrustedPayload
from core.queue_waiters import WAITERS_PREFIX, abandon, leave, unmark
from core.workers import exit_name

POLL_S = 0.05
NO_WORKER_GRACE_S = 5.0  # a queued job waits this long for a worker of its lane to appear
CHECK_EVERY_S = 1.0  # how often a waiter asks whether its job's worker is still alive
FAILED = (JobStatus.FAILED, JobStatus.STOPPED, JobStatus.CANCELED)
_HORSE_SIGNAL = re.compile(r"\(signal (\d+)\)")


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
            if leave(self.connection, self.job_id, self.token, self.marker) == 0:
                abandon(self.connection, self.job_id)
        except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError):
            pass  # Redis is gone, and the job with it

    def _status(self) -> JobStatus:
        if self._job is None:
            self._job = fetch(self.connection, self.job_id)
        return self._job.get_status(refresh=True)

    def _ended(self) -> None:
        """The job is over: nobody may join it any more, and this waiter has nothing left to cancel."""
        unmark(self.connection, self.marker, self.job_id)
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
        if status in FAILED:
            self._ended()
            raise _failure(self._job, status, limit)
        now = time.monotonic()
        check = now - self._checked >= CHECK_EVERY_S
        self._checked = now if check else self._checked
        if status == JobStatus.STARTED:
            self._started = self._started or now
            if now - self._started > limit:
                abandon(self.connection, self.job_id)
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
    """A finished job's result, or the error its outcome (or a wrong signature) stands for."""
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
