"""Rendering pieces of the training page: controls, transport, the live charts, the loop's phases, the pitfalls."""

from __future__ import annotations

import math

import streamlit as st

from core.timing import within_spread
from core.train.datasets import CLASSIFICATION
from core.train.divergence import Divergence, first_not_finite, growth, suggested_lr
from core.train.loop import MAX_STEPS, ChunkResult, TrainConfig, steps_per_epoch
from core.train.phases import LOOP_CODE, PHASES, PhaseWalk
from core.train.pitfalls import PITFALLS, DropoutEval, EvalMemory, ItemCost, ZeroGradRun
from core.train.spec import SPEC
from dashboard import number_format as nf
from dashboard import url_state
from dashboard.chart_display import show_chart, show_charts_in_pairs
from dashboard.float_input import float_input
from dashboard.i18n import t, tp
from dashboard.i18n import texts as catalog_texts
from dashboard.widgets import choice_radio, choices_of, limits_of, show_table
from pages.train import cache, charts
from pages.train import state as train_state

CHART_KEYS = (
    "batch_loss train_loss test_loss loss_title step loss train_points test_points probability boundary_title "
    "fitted curve_title norm weight_norms_title grad_norms_title nodes depth nodes_title with_zero_grad "
    "without_zero_grad zero_loss_title zero_loss zero_norm_title zero_norm diverged empty class"
).split()


def chart_texts() -> dict[str, str]:
    return catalog_texts("train.chart", *CHART_KEYS)


def _number(where, name: str, step, **extra) -> None:
    """A number input bound to `name`, within the limits its spec declares."""
    limits = limits_of(SPEC.named(name)) | {"step": step}
    where.number_input(t(f"train.{name}"), key=url_state.widget_key(name), **limits, **url_state.bind(name), **extra)


def _choices(name: str, where=st, horizontal: bool = True) -> None:
    """A radio over `name`'s declared choices, each labelled by its catalog text."""
    choice_radio(name, t(f"train.{name}"), choices_of(SPEC.named(name)), f"train.{name}.{{}}", where, horizontal)


def controls() -> None:
    """Data, model and optimizer settings, each bound to its URL parameter."""
    _choices("data")
    columns = st.columns(3)
    _number(columns[0], "points", 50)
    _number(columns[1], "noise", 5)
    _number(columns[2], "test", 5)
    _choices("model")
    columns = st.columns(3)
    _number(columns[0], "units", 1)
    _number(columns[1], "layers", 1)
    _choices("act", columns[2])
    if train_state.current().model == "program":
        st.text_area(t("train.forward"), key=url_state.widget_key("forward"), **url_state.bind("forward"))
        st.caption(t("train.forward_help"))
    columns = st.columns(3)
    _choices("opt", columns[0])
    float_input(SPEC.named("lr"), t("train.lr"), columns[1])  # "0,03" in Spanish, as the text writes it
    _number(columns[2], "bs", 8)


def transport(config: TrainConfig, steps: int) -> None:
    """Play or pause, one step, one epoch, one phase, reset (where the run is is drawn with the charts)."""
    row = st.container(horizontal=True)  # each button as wide as its label, wrapping: fixed columns cut "Reproducir"
    if train_state.playing():
        row.button(t("train.pause"), key="train.pause", on_click=_pause, icon=":material/pause:")
    else:
        row.button(
            t("train.play"), key="train.play", on_click=train_state.set_playing, args=(True,), type="primary",
            icon=":material/play_arrow:", disabled=steps >= MAX_STEPS,
        )  # fmt: skip
    at_end = steps >= MAX_STEPS
    row.button(t("train.one_step"), key="train.one_step", on_click=train_state.one_step, disabled=at_end)
    row.button(
        t("train.one_epoch"), key="train.one_epoch", on_click=train_state.one_epoch, args=(config,), disabled=at_end
    )
    row.button(t("train.next_phase"), key="train.next_phase", on_click=train_state.next_phase, disabled=at_end)
    row.button(t("train.reset"), key="train.reset", on_click=train_state.reset)


def _pause() -> None:
    train_state.pause(cache.kept_end())


def progress(steps: int, epoch_length: int) -> None:
    """Where the run on screen is: drawn with its charts, so it moves with them while playing."""
    epoch = nf.fixed(steps / epoch_length, 1)
    st.caption(t("train.progress", steps=nf.integer(steps), epoch=epoch, most=nf.integer(MAX_STEPS)))


def metrics(run: ChunkResult) -> None:
    """Where the run is; after a divergence its accuracy is no score (NaN outputs all read as class 0): —."""
    final = run.final
    columns = st.columns(4)
    columns[0].metric(t("train.metric.step"), nf.integer(final.step))
    columns[1].metric(t("train.metric.train_loss"), nf.significant(final.train_loss, 3))
    columns[2].metric(t("train.metric.test_loss"), nf.significant(final.test_loss, 3))
    unscored = final.test_accuracy is None or run.diverged is not None
    accuracy = "—" if unscored else nf.percent(final.test_accuracy, 1)
    columns[3].metric(t("train.metric.test_accuracy"), accuracy)


def _lr(value: float) -> str:
    return nf.significant(value, 3)


def _times(ratio: float) -> str:
    """A growth factor: 226.3× / 226,3×; a huge one in scientific form (9.41E18×), never twenty digits."""
    return nf.ratio(ratio, 1) if ratio < 1e4 else nf.significant(ratio, 3) + "×"


def _restart_button(lr: float | None, key: str) -> None:
    if lr is not None:
        st.button(
            t("train.diverged.retry", lr=_lr(lr)), key=key, on_click=train_state.restart_with_lr, args=(lr,),
            icon=":material/restart_alt:",
        )  # fmt: skip


def divergence_notice(found: Divergence, config: TrainConfig) -> None:
    """Why the run diverged, in its own numbers, and the way back: the same run with a smaller learning rate."""
    lines = [
        t(
            "train.diverged",
            step=nf.integer(found.step),
            lr=_lr(found.lr),
            optimizer=tp(f"train.opt.{config.optimizer}"),
            dtype=config.dtype,
        )
    ]
    if math.isfinite(found.first_loss) and math.isfinite(found.peak_loss) and found.peak_step > 1:
        lines.append(
            t(
                "train.diverged.grew",
                first=nf.significant(found.first_loss, 3),
                peak=nf.significant(found.peak_loss, 3),
                peak_step=nf.integer(found.peak_step),
            )
        )
    if found.suggested_lr is None:
        lines.append(t("train.diverged.smallest"))
    else:
        lines.append(t("train.diverged.suggest", lr=_lr(found.suggested_lr)))
    st.error("\n\n".join(lines), icon=":material/trending_up:")
    _restart_button(found.suggested_lr, "train.lower_lr")


def live_charts(run: ChunkResult, config: TrainConfig) -> None:
    """The loss curves and the boundary first, then the layer norms and the graph's size per iteration."""
    texts = chart_texts()
    classification = config.dataset in CLASSIFICATION
    progress(run.end, steps_per_epoch(config))
    metrics(run)
    show_charts_in_pairs(
        [
            (charts.boundary_figure(run, texts, classification), "train.chart.boundary"),
            (charts.loss_figure(run, texts), "train.chart.loss"),
            (charts.norms_figure(run, texts, grads=False), "train.chart.weights"),
            (charts.norms_figure(run, texts, grads=True), "train.chart.grads"),
        ]
    )
    st.header(t("train.graph.header"))
    st.markdown(t("train.graph.intro"))
    if run.nodes:
        show_chart(charts.nodes_figure(run, texts), "train.chart.nodes")
        distinct = sorted(set(run.nodes))
        st.caption(t("train.graph.counts", counts=", ".join(nf.integer(n) for n in distinct)))


def loop_code(phase: int) -> str:
    """The loop, the phases already run marked ✓ and the last one run marked ◀."""
    lines = [LOOP_CODE[0]]
    for index, line in enumerate(LOOP_CODE[1:], 1):
        mark = "  # ◀ " + tp("train.phase.now") if index == phase else ("  # ✓" if index < phase else "")
        lines.append(line + mark)
    return "\n".join(lines)


def _grad_text(value: float | None) -> str:
    return "None" if value is None else nf.significant(value, 4)


def phase_table(walk: PhaseWalk, phase: int) -> None:
    """Per parameter: its gradient before the iteration and after the phase, and how far the phase moved it."""
    change = walk.changes[phase - 1]
    st.markdown(t(f"train.phase.explain.{PHASES[phase - 1]}", step=nf.integer(walk.step)))
    if change.loss is not None:
        st.caption(t("train.phase.loss", loss=nf.significant(change.loss, 4), nodes=nf.integer(change.nodes or 0)))
    elif change.nodes is not None:
        st.caption(t("train.phase.nodes", nodes=nf.integer(change.nodes)))
    rows = [
        {
            tp("train.phase.parameter"): name,
            tp("train.phase.grad_before"): _grad_text(before),
            tp("train.phase.grad_now"): _grad_text(now),
            tp("train.phase.moved"): nf.significant(moved, 3),
        }
        for name, before, now, moved in zip(walk.layers, walk.before, change.grads, change.moved, strict=True)
    ]
    show_table(rows, key="train.phase.table")


def pitfall_choice() -> None:
    """The pitfall's radio and its introduction (forgetting zero_grad harms SGD and Adam differently)."""
    choice_radio("pitfall", t("train.pitfall"), PITFALLS, "train.pitfall.{}", horizontal=True)
    chosen = train_state.current()
    suffix = f"_{chosen.opt}" if chosen.pitfall == "zero_grad" else ""
    st.markdown(t(f"train.pitfall.{chosen.pitfall}.intro{suffix}"))


def _diverged_pitfall(config: TrainConfig) -> None:
    """A pitfall whose own run diverged shows nothing about the pitfall: say so, and offer a smaller rate."""
    smaller = suggested_lr(config.lr)
    st.warning(t("train.pitfall.diverged", lr=_lr(config.lr)), icon=":material/trending_up:")
    _restart_button(smaller, "train.pitfall.lower_lr")


def zero_grad_view(run: ZeroGradRun, config: TrainConfig) -> None:
    texts = chart_texts()
    show_charts_in_pairs(
        [
            (charts.zero_grad_figure(run.losses, run.forgot_losses, texts, "zero_loss"), "train.chart.zero_loss"),
            (
                charts.zero_grad_figure(run.grad_norms, run.forgot_grad_norms, texts, "zero_norm"),
                "train.chart.zero_norm",
            ),
        ]
    )
    forgot = growth(run.forgot_grad_norms)
    if first_not_finite(run.losses + run.grad_norms) is not None:  # even with zero_grad: the rate, not the pitfall
        _diverged_pitfall(config)
    elif forgot.broke_at is not None:
        st.caption(
            t(
                "train.pitfall.zero_grad.overflowed",
                ratio=_times(forgot.ratio),
                steps=nf.integer(forgot.broke_at),
                step=nf.integer(forgot.broke_at + 1),
            )
        )
    else:
        st.caption(t("train.pitfall.zero_grad.growth", ratio=_times(forgot.ratio)))


def no_grad_view(memory: EvalMemory) -> None:
    rows = [
        {
            tp("train.memory.mode"): mode,
            "requires_grad": flag,
            tp("train.memory.extra"): nf.byte_size(extra),
            tp("train.memory.total"): nf.byte_size(total),
        }
        for mode, flag, extra, total in zip(
            memory.modes, memory.requires_grad, memory.extra_bytes, memory.total_bytes, strict=True
        )
    ]
    st.caption(t("train.memory.points", points=nf.integer(memory.points)))
    show_table(rows, key="train.memory.table")


def item_view(cost: ItemCost) -> None:
    columns = st.columns(2)
    per_step = {"every": cost.every_step.median / cost.steps, "once": cost.once.median / cost.steps}
    columns[0].metric(t("train.item.every"), nf.duration(per_step["every"], "µs", 1))
    columns[1].metric(t("train.item.once"), nf.duration(per_step["once"], "µs", 1))
    if within_spread(cost.every_step, cost.once):
        st.caption(t("timing.tie_note"))
    st.caption(t("train.item.cuda" if cost.device.startswith("cuda") else "train.item.cpu"))


def dropout_view(result: DropoutEval, config: TrainConfig) -> None:
    values = result.train_mode_losses + result.eval_mode_losses
    if not all(math.isfinite(v) for v in values):
        _diverged_pitfall(config)
    columns = st.columns(2)
    train_losses = " · ".join(nf.significant(v, 4) for v in result.train_mode_losses)
    eval_losses = " · ".join(nf.significant(v, 4) for v in result.eval_mode_losses)
    columns[0].metric(t("train.dropout.train_mode"), train_losses)
    columns[1].metric(t("train.dropout.eval_mode"), eval_losses)
    st.caption(t("train.dropout.note"))
