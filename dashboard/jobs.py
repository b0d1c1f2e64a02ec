"""Pages run every program and measurement through here: a job for the local worker pool, and a visible wait.

The pool is one per server process (st.cache_resource). A job past its time limit has its worker killed and
replaced; a worker that dies takes only its job with it. Either way the learner reads which limit was hit,
and the page stops there, working, instead of showing a traceback.
"""

from __future__ import annotations

from collections.abc import Callable

import pebble
import redis
import streamlit as st

from core import jobs as core_jobs
from core import queue
from core.jobs import Job, JobLimitError, JobResult, execute
from core.lanes import limit_for
from core.settings import Settings
from core.workers import PoolPlan, plan_pool, start_pool, wait_for
from dashboard.i18n import t
from dashboard.widgets import show_error


@st.cache_resource(show_spinner=False)
def _pool() -> tuple[pebble.ProcessPool, PoolPlan]:
    plan = plan_pool()
    return start_pool(plan), plan


@st.cache_resource(show_spinner=False)
def _background_pool() -> pebble.ProcessPool:
    """Workers on the same cores at the lowest CPU priority, for work that plays on (live training)."""
    return start_pool(plan_pool(), background=True)


def plan() -> PoolPlan:
    """How this server split its cores and memory between the UI and the workers."""
    return _pool()[1]


def restart_pool() -> None:
    """Stop the workers and start afresh on the next job, re-reading EAGER_LAB_* (for operators and tests)."""
    for pool in (_pool()[0], _background_pool()):
        pool.stop()
        pool.join(timeout=10)
    _pool.clear()
    _background_pool.clear()


@st.cache_resource(show_spinner=False)
def redis_connection(url: str) -> redis.Redis:
    """One connection pool per server process to the queue's Redis."""
    return queue.connect(url)


def submit(job: Job, time_limit_s: float, background: bool = False) -> JobResult:
    """`job`'s result from a worker (the Redis queue's when EAGERLAB_REDIS_URL is set, else the local pool, or with
    `background` its lowest-priority twin); its own exceptions propagate, a limit hit raises JobLimitError."""
    waiting = st.empty()

    def say_waiting() -> None:
        waiting.info(t("measuring.waiting"), icon=":material/hourglass_top:")

    try:
        url = queue.redis_url()
        if url is not None:
            return queue.submit(redis_connection(url), job, time_limit_s, say_waiting)
        pool = _background_pool() if background else _pool()[0]
        future = pool.schedule(execute, args=(job,), timeout=time_limit_s)
        return wait_for(future, time_limit_s, say_waiting)
    finally:
        waiting.empty()


def run(
    routine: Callable[..., object],
    *args: object,
    settings: Settings,
    job_class: str = "program",
    measures: bool = False,
    time_limit_s: float | None = None,
) -> JobResult:
    """`routine(*args)` as a job of `job_class` (core.lanes: its lane and ceiling); when a limit is hit, the
    learner reads which and the page stops here. `time_limit_s` may lower the class's ceiling, never raise it."""
    job = Job(routine, args, settings.threads, settings.device, measures)
    limit = limit_for(job_class, time_limit_s or core_jobs.time_limit())
    try:
        return submit(job, limit, job_class in ("train", "sweep", "compile", "compile_cost", "profile"))
    except JobLimitError as exc:
        show_error(exc)
        st.stop()
        raise AssertionError("st.stop() returned") from exc


def value(routine: Callable[..., object], *args: object, settings: Settings, job_class: str = "program") -> object:
    """Just the routine's result, for jobs that only run a program."""
    return run(routine, *args, settings=settings, job_class=job_class).value
