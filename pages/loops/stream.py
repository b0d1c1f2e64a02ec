"""The sweep on the page, one worker job per size: a progress bar, and the charts and table as the sizes arrive.

Each size is a "sweep" job (core.lanes) kept like any measurement. The sweep's cap counts the seconds the earlier
sizes held a worker (a kept size keeps its seconds, so a rerun asks for the same jobs and reuses them); once spent,
the remaining sizes are not submitted and the page says which.
"""

from __future__ import annotations

import time

import streamlit as st

from core.loops import sweep
from core.loops.run import LoopsRequest, SizeRequest, measure_sweep_size
from core.loops.size import SizeResult
from core.loops.sweep import SweepResult, assemble
from core.settings import Settings
from dashboard import measurement_store
from dashboard import number_format as nf
from dashboard.i18n import tp
from pages.loops import views

PAGE = "loops"
MEASUREMENTS_PER_SIZE = 6  # three implementations, clone() and, on the first size, the two loops' calibration
REDRAW_AFTER_S = 0.3  # a size that took longer came from a worker: worth drawing the partial sweep for


def stream_sweep(
    request: LoopsRequest, runnable: tuple[int, ...], settings: Settings, page_settings: dict, charts_area=None
) -> SweepResult:
    """Measure `runnable` size by size, each as its own job, drawing the sweep so far after each; the whole sweep."""
    again = measurement_store.measuring_again(PAGE)
    total = nf.integer(len(runnable))
    progress = st.progress(0.0, text=tp("loops.progress.measuring", n=nf.integer(runnable[0]), done=1, total=total))
    view = st.empty()
    charts_slot = charts_area.empty() if charts_area is not None else None
    log = st.container()  # each size's "measured at", and a warning for a size that judged itself noisy
    sizes: list[SizeResult] = []
    for index, n in enumerate(runnable):
        spent = sum(size.wall_s for size in sizes)
        if spent >= sweep.MAX_SWEEP_S:
            sizes.append(SizeResult(n=n, timed_out=True))
            continue
        text = tp("loops.progress.measuring", n=nf.integer(n), done=nf.integer(index + 1), total=total)
        progress.progress(index / len(runnable), text=text)
        if again:  # each size is its own measurement: the request to measure again holds for all of them
            measurement_store.measure_again(PAGE)
        history = tuple(p for size in sizes for p in size.history)
        size_request = SizeRequest(
            program=request.program, settings=settings, budget_s=request.budget_s, n=n, history=history, spent_s=spent
        )
        started = time.monotonic()
        with log:
            sizes.append(_measured(size_request, settings))
        if index + 1 < len(runnable) and time.monotonic() - started > REDRAW_AFTER_S:
            _draw(view, charts_slot, _assembled(sizes, request, settings), page_settings, partial=index + 1)
    measured = sum(1 for size in sizes if size.points)
    progress.progress(1.0, text=tp("loops.progress.done", done=nf.integer(measured), total=total))
    result = _assembled(sizes, request, settings)
    _draw(view, charts_slot, result, page_settings)
    return result


def _measured(size_request: SizeRequest, settings: Settings) -> SizeResult:
    return measurement_store.measured(
        PAGE,
        measure_sweep_size,
        size_request,
        settings=settings,
        measurements=MEASUREMENTS_PER_SIZE,
        budget_s=size_request.budget_s,
        job_class="sweep",
    )


def _assembled(sizes: list[SizeResult], request: LoopsRequest, settings: Settings) -> SweepResult:
    return assemble(
        sizes, device=settings.device, threads=settings.threads, budget_s=request.budget_s, cap_s=sweep.MAX_SWEEP_S
    )


def _draw(view, charts_slot, result: SweepResult, page_settings: dict, partial: int = 0) -> None:
    """The sweep so far in `view` (its charts in `charts_slot` when presenting), replacing what was drawn."""
    with view.container():
        charts_area = charts_slot.container() if charts_slot is not None else None
        views.sweep_result(result, page_settings, charts_area, partial=partial)
