"""Plotly builders for the loops page: time, speedup, cost per element and bandwidth against n."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import plotly.graph_objects as go

from core.loops.implementations import IMPLEMENTATIONS, LOOPS
from core.loops.sweep import SweepPoint, SweepResult
from dashboard.chart_parts import quartile_bars

COLOURS = {"lesson_loop": "#e76f51", "float_loop": "#f4a261", "vectorized": "#2a9d8f", "copy": "#6c757d"}


def _series(points: list[SweepPoint], value) -> tuple[list, list]:
    return [p.n for p in points], [value(p) for p in points]


def _measured_and_estimated(
    figure: go.Figure, result: SweepResult, name: str, label: str, estimated_label: str, value, with_iqr=False
) -> None:
    """A solid line through measured points and, where the loop was not run, a dashed line labelled estimated."""
    points = [p for p in result.points if p.implementation == name]
    measured = [p for p in points if p.measured]
    estimated = [p for p in points if not p.measured]
    xs, ys = _series(measured, value)
    error = quartile_bars([(p.median, p.q1, p.q3) for p in measured]) if with_iqr else None
    figure.add_trace(
        go.Scatter(
            x=xs, y=ys, mode="lines+markers", name=label, error_y=error, line={"color": COLOURS[name]}, legendgroup=name
        )
    )
    if estimated:
        bridge = measured[-1:] + estimated  # start the dashed line at the last measured point
        xs, ys = _series(bridge, value)
        figure.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines+markers",
                name=estimated_label.format(name=label),
                line={"color": COLOURS[name], "dash": "dash"},
                marker={"symbol": "circle-open"},
                legendgroup=name,
            )
        )


def _decade_ticks(values: list[float]) -> dict:
    """One labelled tick per power of ten where the values span a decade or more: Plotly's default log ticks also
    label 2 and 5 of every decade (in smaller type), a column of digits nobody can read, above all on a projector."""
    positive = [v for v in values if v is not None and v > 0]
    if not positive or max(positive) < 10 * min(positive):
        return {}
    return {"dtick": 1}


def _log_axes(figure: go.Figure, title: str, y_title: str, x_title: str) -> go.Figure:
    figure.update_layout(title=title, height=380, legend={"orientation": "h", "y": -0.25})
    xs = [x for trace in figure.data for x in trace.x or ()]
    ys = [y for trace in figure.data for y in trace.y or ()]
    figure.update_xaxes(type="log", title=x_title, **_decade_ticks(xs))
    figure.update_yaxes(type="log", title=y_title, **_decade_ticks(ys))
    return figure


def time_figure(result: SweepResult, texts: Mapping[str, str]) -> go.Figure:
    figure = go.Figure()
    for name in IMPLEMENTATIONS:
        _measured_and_estimated(figure, result, name, texts[name], texts["estimated"], lambda p: p.median, True)
    return _log_axes(figure, texts["time_title"], texts["seconds"], "n")


def speedup_figure(result: SweepResult, texts: Mapping[str, str]) -> go.Figure:
    figure = go.Figure()
    for name in LOOPS:
        points = [p for p in result.points if p.implementation == name]
        for measured, dash in ((True, None), (False, "dash")):
            chosen = [p for p in points if p.measured == measured]
            if not measured and chosen:
                chosen = [p for p in points if p.measured][-1:] + chosen
            if not chosen:
                continue
            label = texts[name] if measured else texts["estimated"].format(name=texts[name])
            figure.add_trace(
                go.Scatter(
                    x=[p.n for p in chosen],
                    y=[result.speedup(name, p.n) for p in chosen],
                    mode="lines+markers",
                    name=texts["speedup_of"].format(name=label),
                    line={"color": COLOURS[name], "dash": dash},
                )
            )
    return _log_axes(figure, texts["speedup_title"], texts["times_faster"], "n")


def per_element_figure(result: SweepResult, texts: Mapping[str, str]) -> go.Figure:
    figure = go.Figure()
    for name in IMPLEMENTATIONS:
        _measured_and_estimated(figure, result, name, texts[name], texts["estimated"], lambda p: p.per_element * 1e9)
    return _log_axes(figure, texts["per_element_title"], texts["ns_per_element"], "n")


def bandwidth_figure(result: SweepResult, texts: Mapping[str, str], shares: Sequence[str]) -> go.Figure:
    """The vectorized call's achieved bytes/s against clone()'s on the same device: a roofline-style reference.

    `shares`: each size's share of clone()'s bandwidth, already written in the learner's language (the hover shows it);
    the hover's own numbers use d3 formats, which follow the layout's `separators` (set by show_chart).
    """
    ns = [b.n for b in result.bandwidth]
    figure = go.Figure(
        [
            go.Scatter(
                x=ns,
                y=[b.vectorized / 1e9 for b in result.bandwidth],
                mode="lines+markers",
                name=texts["vectorized"],
                line={"color": COLOURS["vectorized"]},
                customdata=list(shares),
                hovertemplate="n=%{x:,}<br>%{y:,.2f} GB/s (%{customdata})<extra></extra>",
            ),
            go.Scatter(
                x=ns,
                y=[b.copy / 1e9 for b in result.bandwidth],
                mode="lines",
                name=texts["copy"],
                line={"color": COLOURS["copy"], "dash": "dot", "width": 3},
            ),
        ]
    )
    _log_axes(figure, texts["bandwidth_title"], "GB/s", "n")
    figure.update_yaxes(tickformat="~g")  # 0.01 0.1 1 10, not 10m 100m 1 10
    return figure
