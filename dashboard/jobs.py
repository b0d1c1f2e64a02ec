"""Pages run every program and measurement through here: a job submitted to the scheduler, and a visible wait.

One scheduler per server process (core.scheduler on the local pools, or the Redis queue when EAGERLAB_REDIS_URL
is set). While a job waits or runs, the page says where it stands and yields to Streamlit every moment, so a
rerun, a stop or a closed tab ends the wait and releases the job (a job nobody waits for is cancelled). A hit
limit ends in the learner's message and the page stops there, working, instead of showing a traceback.
"""

from __future__ import annotations

import hashlib
import threading
import time
import uuid
from collections.abc import Callable

import redis
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from core import queue
from core.jobs import Job, JobLimitError, JobResult
from core.lanes import FAST, SLOW, JobPending, Progress, Submission, Ticket, job_class, limit_for
from core.scheduler import LocalScheduler
from core.workers import PoolPlan, plan_pool, start_pool, worker_ready
from dashboard.i18n import t
from dashboard.number_format import integer
from dashboard.presenter import presenting
from dashboard.widgets import show_error

POLL_S = 0.1  # how often a waiting page looks at its job
YIELD_S = 0.5  # how often it yields to Streamlit unasked (a rerun or a closed tab is noticed this fast)
WORKER_START_S = 120.0  # a worker imports torch when it starts: seconds on a small, busy machine
QUIET_S = 1.0  # a running job shows its progress only after this long: quick jobs show nothing
_lock = threading.Lock()
_local: dict[str, object] = {}  # "scheduler", "plan": one per process, started by warm_up()


def warm_up() -> LocalScheduler:
    """Start this process's worker pools (a fast lane and a low-priority slow lane) once; the server calls it
    at start so the first visitor does not wait for them."""
    with _lock:
        if "scheduler" not in _local:
            plan = plan_pool()
            pools = {FAST: start_pool(plan), SLOW: start_pool(plan, background=True)}
            for pool in pools.values():  # pebble starts workers at a pool's first job: start them now
                pool.schedule(worker_ready).result(timeout=WORKER_START_S)
            _local["scheduler"] = LocalScheduler(pools, {FAST: plan.workers, SLOW: plan.workers})
            _local["plan"] = plan
        return _local["scheduler"]


def prepare() -> None:
    """Import torch and start the local pools now (server start), unless jobs go to the Redis queue."""
    if queue.redis_url() is None:
        warm_up()


def plan() -> PoolPlan:
    """How this server split its cores and memory between the UI and the workers."""
    warm_up()
    return _local["plan"]


def restart_pool() -> None:
    """Stop the workers and start afresh on the next job, re-reading EAGER_LAB_* (for operators and tests)."""
    with _lock:
        scheduler = _local.pop("scheduler", None)
        _local.pop("plan", None)
    if scheduler is not None:
        scheduler.close()


@st.cache_resource(show_spinner=False)
def redis_connection(url: str) -> redis.Redis:
    """One connection pool per server process to the queue's Redis."""
    return queue.connect(url)


def submission_key(job: Job) -> str:
    """The content of a job: identical requests in flight share one run."""
    routine = f"{job.routine.__module__}.{job.routine.__qualname__}"
    content = repr((routine, job.args, job.threads, job.device, job.measures))  # frozen dataclasses: every field
    return hashlib.sha256(content.encode()).hexdigest()


def _ticket(submission: Submission) -> Ticket:
    url = queue.redis_url()
    if url is not None:
        return queue.submit(redis_connection(url), submission)
    return warm_up().submit(submission)


def submit(job: Job, name: str, time_limit_s: float) -> JobResult:
    """`job`'s result from a worker; its own exceptions propagate, a hit limit raises JobLimitError."""
    context = get_script_run_ctx(suppress_warning=True)
    submission = Submission(
        job=job,
        job_class=job_class(name),
        limit_s=time_limit_s,
        session=context.session_id if context is not None else uuid.uuid4().hex,  # no session: nobody to replace
        key=submission_key(job),
        presenter=presenting(),
    )
    ticket = _ticket(submission)
    waiting = st.empty()
    shown, sent = None, 0.0
    try:
        while True:
            try:
                return ticket.result(timeout=POLL_S)
            except JobPending:
                text = waiting_text(ticket.progress())
                if text != shown or time.monotonic() - sent > YIELD_S:
                    # any element sent is a point where Streamlit raises its rerun or stop request in this thread
                    waiting.info(text, icon=":material/hourglass_top:") if text else waiting.empty()
                    shown, sent = text, time.monotonic()
    finally:
        ticket.release()
        waiting.empty()


def waiting_text(progress: Progress) -> str | None:
    """What the learner reads while a job waits (its place and an estimate) or runs for more than a moment."""
    seconds = integer(max(1, round(progress.estimate_s)))
    if not progress.running:
        return t("job.queued", ahead=integer(progress.position), seconds=seconds)
    if progress.paused:
        return t("job.paused", elapsed=integer(progress.elapsed_s))
    if progress.elapsed_s < QUIET_S:
        return None
    return t("job.running", elapsed=integer(progress.elapsed_s), seconds=seconds)


def run(
    routine: Callable[..., object],
    *args: object,
    settings,
    job_class: str = "program",
    measures: bool = False,
    time_limit_s: float | None = None,
) -> JobResult:
    """`routine(*args)` as a job of `job_class` (core.lanes: its lane and ceiling); when a limit is hit, the
    learner reads which and the page stops here. `time_limit_s` may lower the class's ceiling, never raise it."""
    job = Job(routine=routine, args=args, threads=settings.threads, device=settings.device, measures=measures)
    limit = limit_for(job_class, time_limit_s)  # no limit asked: the class's own ceiling
    try:
        return submit(job, job_class, limit)
    except JobLimitError as exc:
        show_error(exc)
        st.stop()
        raise AssertionError("st.stop() returned") from exc


def value(routine: Callable[..., object], *args: object, settings, job_class: str = "program") -> object:
    """Just the routine's result, for jobs that only run a program."""
    return run(routine, *args, settings=settings, job_class=job_class).value
