"""Rendering pieces of the grad-modes page: the per-mode table, the charts, and the memory notes."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from core.grad_modes.modes import MODES, ModeResult, ScalingPoint
from core.grad_modes.run import WORKLOADS, GradModesResult
from core.grad_modes.spec import SPEC
from core.timing import Measurement, within_spread
from dashboard import number_format as nf
from dashboard import url_state
from dashboard.chart_display import show_charts_in_pairs
from dashboard.i18n import t, tp
from dashboard.i18n import texts as catalog_texts
from dashboard.widgets import choice_radio, limits_of, show_table
from pages.grad_modes import state as grad_modes_state
from pages.grad_modes.charts import saved_figure, scaling_saved_figure, scaling_time_figure, time_figure

CHART_KEYS = (
    "time",
    "time_title",
    "saved_title",
    "anyway",
    "extra",
    "bytes",
    "scaling_saved_title",
    "scaling_time_title",
    "work",
)


def controls() -> None:
    """The workload, and its sizes: n for the program; width, depth and batch for the MLP."""
    columns = st.columns([2, 1, 1, 1])
    choice_radio("workload", t("grad_modes.workload"), WORKLOADS, "grad_modes.workload.{}", columns[0], horizontal=True)
    if grad_modes_state.current().workload == "program":
        _size_input(columns[1], "size", 1000)
    else:
        _size_input(columns[1], "width", 64)
        _size_input(columns[2], "depth", 1)
        _size_input(columns[3], "batch", 64)


def _size_input(where, name: str, step: int) -> None:
    limits = limits_of(SPEC.named(name)) | {"step": step}
    where.number_input(t(f"grad_modes.{name}"), key=url_state.widget_key(name), **limits, **url_state.bind(name))


def comparison(run: GradModesResult, workload: str, key_area=None, noisy: bool = False):
    """What no_grad saves, the per-mode table and the memory note; returns where the four charts go (after the
    savings in `key_area` when given, presenter mode: first on the screen), for `comparison_charts`."""
    with key_area or st.container():
        savings(run.results, noisy)
        charts_area = st.container() if key_area is not None else None
    mode_table(run.results)
    memory_note(run.results)
    return charts_area or st.container()


def comparison_charts(run: GradModesResult, workload: str, charts_area) -> None:
    """The four charts, once the scaling is measured, where `comparison` kept room for them."""
    work_label = t("grad_modes.work.program") if workload == "program" else t("grad_modes.work.mlp")
    with charts_area:
        charts(run.results, run.scaling, work_label)


def chart_texts(work_label: str) -> dict[str, str]:
    texts = catalog_texts("grad_modes.chart", *CHART_KEYS) | catalog_texts("grad_modes.mode", *MODES)
    texts["work"], texts["mode"] = work_label, tp("grad_modes.table.mode")
    return texts


def mode_table(results: Sequence[ModeResult]) -> None:
    """Per mode: the output's flags and the ledger (and the CUDA peak where there is one), then its time; two plain
    tables, each narrow enough to show every value and header whole."""
    mode = tp("grad_modes.table.mode")
    show_table([{mode: tp(f"grad_modes.mode.{r.mode}")} | _records(r) for r in results], "grad_modes.table", whole=True)
    show_table([{mode: tp(f"grad_modes.mode.{r.mode}")} | _timing(r) for r in results], "grad_modes.time", whole=True)


def _records(r: ModeResult) -> dict[str, object]:
    """What the mode's output records and what autograd saved for backward."""
    return {
        "requires_grad": r.flags.requires_grad,
        "grad_fn": r.flags.grad_fn or "None",
        "is_inference()": r.flags.is_inference,
        tp("grad_modes.table.saved"): r.ledger.total_bytes,
        tp("grad_modes.table.extra"): r.ledger.extra_bytes,
        tp("grad_modes.table.peak"): "—" if r.peak_extra_bytes is None else r.peak_extra_bytes,
    }


def _timing(r: ModeResult) -> dict[str, object]:
    """The mode's forward time: median, spread, runs, and whether it judged itself noisy."""
    return {
        tp("grad_modes.table.median"): nf.fixed(r.time.median * 1e6, 1),
        tp("grad_modes.table.iqr"): nf.fixed(r.time.iqr * 1e6, 1),
        tp("grad_modes.table.runs"): r.time.runs,
        tp("grad_modes.table.noisy"): "⚠" if r.time.noisy else "",
    }


def savings(results: Sequence[ModeResult], noisy: bool = False) -> None:
    """What no_grad saves over grad tracking, in bytes and microseconds; `noisy`: the job judged itself noisy."""
    by_mode = {r.mode: r for r in results}
    grad, no_grad = by_mode["grad"], by_mode["no_grad"]
    noisy = noisy or grad.time.noisy or no_grad.time.noisy
    columns = st.columns([2, 2, 3])  # the headline's column is the widest: its value is words, not only a number
    saved = nf.byte_size(grad.ledger.total_bytes)
    columns[0].metric(t("grad_modes.metric.saved"), saved, help=t("grad_modes.metric.saved_help"))
    columns[1].metric(t("grad_modes.metric.extra"), nf.byte_size(grad.ledger.extra_bytes))
    columns[2].metric(t("grad_modes.metric.time_saved"), time_difference(grad.time, no_grad.time, noisy))
    if noisy:
        st.caption(t("timing.noisy_note"))
    elif within_spread(grad.time, no_grad.time):
        st.caption(t("timing.tie_note"))


def time_difference(grad: Measurement, no_grad: Measurement, noisy: bool = False) -> str:
    """no_grad against grad in words: faster or slower by how much, or no winner (within the spread, or noisy)."""
    if noisy:
        return t("timing.noisy")
    if within_spread(grad, no_grad):
        return t("timing.within_spread")
    delta = grad.median - no_grad.median
    return t("timing.faster_by" if delta > 0 else "timing.slower_by", amount=nf.duration(abs(delta), "µs", 1))


def memory_note(results: Sequence[ModeResult]) -> None:
    if results[0].peak_extra_bytes is None:
        st.caption(t("grad_modes.no_peak"))
    else:
        st.caption(t("grad_modes.peak_explain"))


def charts(results: Sequence[ModeResult], scaling: Sequence[ScalingPoint], work_label: str) -> None:
    texts = chart_texts(work_label)
    show_charts_in_pairs(
        [
            (time_figure(results, texts), "grad_modes.chart.time"),
            (saved_figure(results, texts), "grad_modes.chart.saved"),
            (scaling_saved_figure(scaling, texts), "grad_modes.chart.scaling_saved"),
            (scaling_time_figure(scaling, texts), "grad_modes.chart.scaling_time"),
        ]
    )
