"""Fair turns on the embedded worker pools: lanes, presenters first, one queued job per session, shared runs.

The pools themselves (core.workers) run one job per worker; this scheduler decides which job goes next, so
pebble's own queue stays empty. Per lane (core.lanes) a free worker takes the best queued job: presenters
first, then by class rank (program runs before measurements), then in order of arrival. A job whose waiters
all left (rerun, stop, disconnect) is dropped from the queue, or stopped if it runs (its worker is replaced).
Identical submissions in flight (same key) share one run. While a fast-lane measurement runs, slow-lane
workers are paused (SIGSTOP), so background training never disturbs it; paused time does not count against
a slow job's wall-clock limit, which this scheduler enforces itself. Pauses take turns with the slow lane:
after one, slow work runs for SLOW_TURN_S before a measurement may pause it again (measurements wait that
long), and slow work that measures itself (a sweep) is never paused: both honesty checks judge the overlap.
"""

from __future__ import annotations

import itertools
import logging
import os
import signal
import threading
import time
from collections.abc import Callable
from concurrent.futures import CancelledError
from dataclasses import dataclass, field

import pebble

from core.jobs import JobLimitError, JobResult, execute
from core.lanes import FAST, SLOW, JobClass, JobPending, Progress, Submission
from core.workers import exit_name, worker_pids

TICK_S = 0.05  # how often deadlines are checked
MEAN_WEIGHT = 0.3  # weight of the newest duration in a class's running mean
SLOW_TURN_S = 1.0  # after a pause, slow work runs at least this long before the next pause


@dataclass(kw_only=True, eq=False)
class _Entry:
    """One run of a submission, shared by every waiter with the same key."""

    submission: Submission
    order: int
    submitted_at: float
    waiters: int = 1
    presenter: bool = False
    started_at: float | None = None
    paused_s: float = 0.0  # seconds this job's worker was paused while it ran
    future: pebble.ProcessFuture | None = None
    timed_out: bool = False
    outcome: JobResult | BaseException | None = None
    done: threading.Event = field(default_factory=threading.Event)

    @property
    def lane(self) -> str:
        return self.submission.job_class.lane

    def turn(self) -> tuple:
        return (not self.presenter, self.submission.job_class.rank, self.order)


class LocalScheduler:
    """Queues per lane in front of one pebble pool per lane; see the module docstring for the rules."""

    def __init__(
        self,
        pools: dict[str, pebble.ProcessPool],
        capacity: dict[str, int],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._pools = pools
        self._capacity = capacity
        self._clock = clock
        self._lock = threading.RLock()
        self._queued: dict[str, list[_Entry]] = {lane: [] for lane in pools}
        self._running: dict[str, list[_Entry]] = {lane: [] for lane in pools}
        self._in_flight: dict[str, _Entry] = {}
        self._queued_by_session: dict[str, LocalTicket] = {}  # each session's hold on a job not yet started
        self._means: dict[str, float] = {}
        self._paused_since: float | None = None
        self._slow_turn_until = 0.0
        self._order = itertools.count()
        self._closed = threading.Event()
        self._watch = threading.Thread(target=self._watch_deadlines, name="eager-lab-scheduler", daemon=True)
        self._watch.start()

    def submit(self, submission: Submission) -> LocalTicket:
        """Queue `submission` (or join the identical one in flight) and start what can start."""
        with self._lock:
            entry = self._in_flight.get(submission.key)
            if entry is not None and not entry.done.is_set():
                entry.waiters += 1
                entry.presenter = entry.presenter or submission.presenter
            else:
                entry = _Entry(submission=submission, order=next(self._order), submitted_at=self._clock())
                entry.presenter = submission.presenter
                self._in_flight[submission.key] = entry
                self._queued[entry.lane].append(entry)
            ticket = LocalTicket(self, entry)
            earlier = self._queued_by_session.pop(submission.session, None)
            if earlier is not None and earlier._entry is not entry and earlier._entry.started_at is None:
                earlier.release(JobLimitError("replaced"))  # its job goes on only for other sessions sharing it
            if entry.started_at is None:
                self._queued_by_session[submission.session] = ticket
            self._dispatch()
        return ticket

    def progress(self, entry: _Entry) -> Progress:
        """Queued: jobs ahead in its lane and a time estimate from each class's mean; running: time left at most."""
        with self._lock:
            now = self._clock()
            if entry.started_at is not None:
                elapsed = now - entry.started_at - self._paused(entry, now)
                left = max(0.0, entry.submission.limit_s - elapsed)
                paused = self._paused_since is not None and entry.lane == SLOW
                return Progress(running=True, position=0, estimate_s=left, elapsed_s=elapsed, paused=paused)
            ahead = [e for e in self._queued[entry.lane] if e.turn() < entry.turn()]
            busy = sum(max(0.0, self._mean(e) - (now - e.started_at)) for e in self._running[entry.lane])
            work = busy + sum(self._mean(e) for e in ahead)
            capacity = max(1, self._capacity[entry.lane])
            return Progress(
                running=False, position=len(ahead), estimate_s=work / capacity, elapsed_s=now - entry.submitted_at
            )

    def release(self, entry: _Entry, reason: BaseException) -> None:
        """One waiter of `entry` leaves; with none left, a queued job is dropped (its waiters get `reason`) and a
        running one stopped."""
        with self._lock:
            entry.waiters -= 1
            if entry.waiters <= 0 and not entry.done.is_set():
                self._leave(entry, reason)

    def queued(self, lane: str) -> int:
        """How many jobs wait in `lane` (for tests and the operator)."""
        with self._lock:
            return len(self._queued[lane])

    def worker_pids(self, lane: str) -> tuple[int, ...]:
        """The process ids of `lane`'s live workers (for the operator and the tests)."""
        return worker_pids(self._pools[lane])

    def close(self) -> None:
        """Stop the deadline watch and every pool; whoever still waits is told the workers are gone."""
        self._closed.set()
        self._resume_slow()
        with self._lock:
            for entries in (*self._queued.values(), *self._running.values()):
                for entry in list(entries):
                    entries.remove(entry)
                    self._finish(entry, JobLimitError("unavailable"))
        for pool in self._pools.values():
            pool.stop()
            pool.join(timeout=10)

    def _leave(self, entry: _Entry, reason: BaseException) -> None:
        entry.waiters = 0
        if entry.started_at is None:
            self._queued[entry.lane].remove(entry)
            self._finish(entry, reason)
        elif entry.future is not None:
            entry.future.cancel()  # pebble stops the worker; _on_done records the outcome

    def _dispatch(self) -> None:
        if self._closed.is_set():
            return
        for lane, queued in self._queued.items():
            if lane == SLOW and self._paused_since is not None:
                continue  # started now, a job would run unpaused beside the measurement; it starts on resume
            while len(self._running[lane]) < self._capacity[lane]:
                ready = [e for e in queued if not self._must_wait(e)]
                if not ready:
                    break
                entry = min(ready, key=_Entry.turn)
                queued.remove(entry)
                self._start(entry)

    def _must_wait(self, entry: _Entry) -> bool:
        """A fast measurement waits while slow work has its turn after a pause (see the module docstring)."""
        if not _pauses_slow(entry.submission.job_class) or self._paused_since is not None:
            return False
        return bool(self._running.get(SLOW)) and self._clock() < self._slow_turn_until

    def _start(self, entry: _Entry) -> None:
        self._forget_holds(entry)
        try:
            future = self._pools[entry.lane].schedule(execute, args=(entry.submission.job,))
        except RuntimeError:  # the pool was stopped (a restart): nothing will run this
            self._finish(entry, JobLimitError("unavailable"))
            return
        if _pauses_slow(entry.submission.job_class):
            self._pause_slow()  # before the worker takes the job: pebble hands it over a moment later
        entry.future = future
        entry.started_at = self._clock()
        self._running[entry.lane].append(entry)
        future.add_done_callback(lambda future, entry=entry: self._on_done(entry, future))

    def _on_done(self, entry: _Entry, future: pebble.ProcessFuture) -> None:
        try:
            outcome: JobResult | BaseException = future.result()
        except CancelledError:
            limit = entry.submission.limit_s
            outcome = JobLimitError("time", seconds=limit) if entry.timed_out else JobLimitError("cancelled")
        except pebble.ProcessExpired as exc:
            outcome = JobLimitError("crash", signal=exit_name(exc.exitcode))
        except BaseException as exc:  # noqa: BLE001 - the routine's own error, raised again for its waiters
            outcome = exc
        with self._lock:
            now = self._clock()
            name = entry.submission.job_class.name
            took = now - (entry.started_at or now) - self._paused(entry, now)
            if not isinstance(outcome, JobLimitError) or outcome.kind == "time":  # a cancelled run says nothing
                mean = self._means.get(name, took)
                self._means[name] = (1 - MEAN_WEIGHT) * mean + MEAN_WEIGHT * took
            self._running[entry.lane].remove(entry)
            if not any(_pauses_slow(e.submission.job_class) for e in self._running.get(FAST, [])):
                self._resume_slow()
            self._finish(entry, outcome)
            self._dispatch()

    def _finish(self, entry: _Entry, outcome: JobResult | BaseException) -> None:
        entry.outcome = outcome
        if self._in_flight.get(entry.submission.key) is entry:
            del self._in_flight[entry.submission.key]
        self._forget_holds(entry)
        entry.done.set()

    def _forget_holds(self, entry: _Entry) -> None:
        """`entry` is no longer queued: no session's new request can replace it any more."""
        for session, ticket in list(self._queued_by_session.items()):
            if ticket._entry is entry:
                del self._queued_by_session[session]

    def _mean(self, entry: _Entry) -> float:
        job_class = entry.submission.job_class
        return self._means.get(job_class.name, job_class.limit_s / 4)

    def _paused(self, entry: _Entry, now: float) -> float:
        if self._paused_since is None or entry.lane != SLOW or entry.started_at is None:
            return entry.paused_s
        return entry.paused_s + now - max(self._paused_since, entry.started_at)

    def _pause_slow(self) -> None:
        if self._paused_since is not None or SLOW not in self._pools:
            return
        if any(e.submission.job_class.measures for e in self._running[SLOW]):
            return  # a sweep judges its own overlap; frozen, its deadline (the worker's clock) would run out
        self._paused_since = self._clock()
        _signal_all(worker_pids(self._pools[SLOW]), signal.SIGSTOP)

    def _resume_slow(self) -> None:
        with self._lock:
            if self._paused_since is None:
                return
            now = self._clock()
            for entry in self._running.get(SLOW, []):
                entry.paused_s = self._paused(entry, now)
            self._paused_since = None
            self._slow_turn_until = now + SLOW_TURN_S
            _signal_all(worker_pids(self._pools[SLOW]), signal.SIGCONT)
            self._dispatch()

    def _watch_deadlines(self) -> None:
        while not self._closed.wait(TICK_S):
            try:
                self._check_deadlines()
            except Exception:  # noqa: BLE001 - the watch must outlive any one bad tick
                logging.getLogger(__name__).exception("deadline watch")

    def _check_deadlines(self) -> None:
        with self._lock:
            self._dispatch()  # measurements held for the slow lane's turn start once it is over
            now = self._clock()
            over = [
                entry
                for running in self._running.values()
                for entry in running
                if now - entry.started_at - self._paused(entry, now) > entry.submission.limit_s and not entry.timed_out
            ]
            for entry in over:
                entry.timed_out = True
                entry.future.cancel()  # pebble stops the worker and starts a fresh one


class LocalTicket:
    """A waiter's hold on one scheduled run (core.lanes.Ticket)."""

    def __init__(self, scheduler: LocalScheduler, entry: _Entry) -> None:
        self._scheduler = scheduler
        self._entry = entry
        self._released = False

    def result(self, timeout: float) -> JobResult:
        """The result; JobPending while not done; the job's limit or the routine's own error raised."""
        if not self._entry.done.wait(timeout):
            raise JobPending()
        outcome = self._entry.outcome
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome

    def progress(self) -> Progress:
        """Where the job stands now."""
        return self._scheduler.progress(self._entry)

    def release(self, reason: BaseException | None = None) -> None:
        """This waiter leaves (once); a job nobody waits for is dropped or stopped."""
        if not self._released:
            self._released = True
            self._scheduler.release(self._entry, reason or JobLimitError("cancelled"))


def _pauses_slow(job_class: JobClass) -> bool:
    return job_class.lane == FAST and job_class.measures


def _signal_all(pids: tuple[int, ...], signum: int) -> None:
    for pid in pids:
        try:
            os.kill(pid, signum)
        except ProcessLookupError:  # it died meanwhile: pebble replaces it
            pass
