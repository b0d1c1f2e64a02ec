"""Results of jobs kept process-wide, keyed by content, so reruns and other visitors reuse them.

The key is everything a result depends on: the routine, its request (program, inputs or seed, sizes,
settings: dtype, device, threads), the torch version and the CPU model. Streamlit's st.cache_resource does
the keeping: bounded (least recently used dropped first), shared by every session. A measurement that judged
itself noisy is shown once and never kept; a page's "Measure again" button makes its next run measure afresh.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Hashable

import redis
import streamlit as st
import torch

from core import queue
from core.jobs import JobResult, environment_key, time_limit
from core.settings import Settings
from dashboard import jobs
from dashboard.i18n import t, tp
from dashboard.number_format import percent

KEPT = 64


@st.cache_resource(max_entries=KEPT, show_spinner=False)
def _slot(page: str, key: str) -> dict:
    """The mutable slot of one (page, key): empty until a result fills it; `key` is the repr of the content."""
    return {}


def _force_key(page: str) -> str:
    return f"{page}.force_measure"


def measuring_again(page: str) -> bool:
    """Whether the learner asked `page` to measure again (a page measuring in several jobs asks before each)."""
    return bool(st.session_state.get(_force_key(page)))


def measure_again(page: str) -> None:
    """Callback of a page's "measure again" button."""
    st.session_state[_force_key(page)] = True


def kept_job(page: str, key: Hashable, run: Callable[[], JobResult], fresh: bool = False) -> JobResult:
    """The kept result for `key`, or `run()` now and keep it unless it is noisy.

    With a Redis queue, results are kept in Redis, shared by every replica; else in this process.
    """
    url = queue.redis_url()
    if url is not None:
        return _kept_in_redis(jobs.redis_connection(url), page, key, run, fresh)
    slot = _slot(page, repr((key, environment_key())))  # frozen dataclasses' reprs show every field
    if "result" not in slot or fresh:
        result = run()
        if result.noisy:
            slot.pop("result", None)
            return result
        slot["result"] = result
    return slot["result"]


def _kept_in_redis(connection, page: str, key: Hashable, run: Callable[[], JobResult], fresh: bool) -> JobResult:
    """A result kept in Redis (signed: a forged one is refused and measured again), or `run()`'s, then kept."""
    unreachable = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)
    try:
        content = repr((page, key, torch.__version__, queue.fleet_cpu_models(connection)))
        digest = hashlib.sha256(content.encode()).hexdigest()
        result = None if fresh else queue.kept(connection, digest)
    except unreachable:
        return run()  # the job itself then says the queue is unavailable
    if result is None:
        result = run()
        if not result.noisy:
            try:
                queue.keep(connection, digest, result)
            except unreachable:
                pass  # shown now, measured again next time
    return result


def measured(
    page: str,
    routine: Callable[..., object],
    *args: Hashable,
    settings: Settings,
    measurements: int,
    budget_s: float,
    extra_s: float = 0.0,
    job_class: str = "measure",
    shown: list[JobResult] | None = None,
) -> object:
    """`routine(*args)` measured in a worker (or kept from before): says when, and whether it is noisy.

    `extra_s` adds to the job's time limit what the routine does besides measuring (compiling, say); a section
    measuring in several jobs passes `shown`, collects their results and calls show_measured once for them all.
    """
    key = (routine.__module__, routine.__qualname__, args, settings)
    limit = time_limit(measurements, budget_s) + extra_s
    fresh = bool(st.session_state.get(_force_key(page)))
    with st.spinner(t("common.measuring")):
        result = kept_job(
            page,
            key,
            lambda: jobs.run(routine, *args, settings=settings, job_class=job_class, measures=True, time_limit_s=limit),
            fresh,
        )
    st.session_state[_force_key(page)] = False
    if shown is None:
        show_measured(result)
    else:
        shown.append(result)
    return result.value


def show_measured(*results: JobResult) -> None:
    """When and where the figures of `results` (one section's jobs) were measured, in one caption, and one warning
    when any judged itself noisy; its numbers written once, each sentence keeping its capital."""
    when = time.strftime("%H:%M:%S", time.localtime(max(result.finished_at for result in results)))
    cores = sorted({core for result in results for core in result.cores})
    st.caption(t("measured_at", time=when, cores=", ".join(map(str, cores)) or "?"))
    reasons = _noisy_reasons([result.honesty for result in results if result.noisy])
    if reasons:
        st.warning(tp("measured.noisy", reasons=reasons), icon=":material/warning:")


def _noisy_reasons(records: list) -> str:
    """The reasons of the noisy honesty `records`, each named once with its worst figure, as plain sentences."""
    drifts = [record.drift for record in records if "drift" in record.reasons]
    shares = [record.cpu_share or 0 for record in records if "cpu_share" in record.reasons]
    sentences = [tp("measured.reason.drift", drift=percent(max(drifts)))] if drifts else []
    sentences += [tp("measured.reason.cpu_share", share=percent(min(shares)))] if shares else []
    return " ".join(sentences)
