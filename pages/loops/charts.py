"""Plotly builders for the loops page: time, speedup, cost per element and bandwidth against n; the profiler's self
time per operator and its timeline of events."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from core.loops.implementations import IMPLEMENTATIONS, LOOPS
from core.loops.profile import PROFILED, ProfileReport
from core.loops.sweep import SweepPoint, SweepResult
from dashboard.chart_parts import quartile_bars
from dashboard.palette import GREY, SeriesStyle, bar_style, series_style

# each implementation's colour and marker (dashboard.palette); the dash tells measured (solid) from estimated
STYLES = {
    "lesson_loop": series_style(1),
    "float_loop": series_style(4),
    "vectorized": series_style(0),
    "copy": SeriesStyle(GREY, "dot", "circle"),
}
COLOURS = {name: style.colour for name, style in STYLES.items()}


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
            x=xs,
            y=ys,
            mode="lines+markers",
            name=label,
            error_y=error,
            line={"color": COLOURS[name]},
            marker={"symbol": STYLES[name].marker},
            legendgroup=name,
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
                marker={"symbol": STYLES[name].marker + "-open"},
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
                    marker={"symbol": STYLES[name].marker + ("" if measured else "-open")},
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
                marker={"symbol": STYLES["vectorized"].marker},
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


def self_time_figure(report: ProfileReport, texts: Mapping[str, str], top: int = 12) -> go.Figure:
    """Self CPU time per operator, the loop's and the vectorized call's side by side (horizontal bars, the `top`
    operators by the loop's self time, largest on top); the hover adds each operator's call count."""
    loop, vectorized = (report.profile(name) for name in PROFILED)
    names = [row.name for row in loop.operators[:top]]
    names += [row.name for row in vectorized.operators if row.name not in names][: max(0, top - len(names))]
    figure = go.Figure()
    for profiled in (loop, vectorized):
        rows = {row.name: row for row in profiled.operators}
        figure.add_trace(
            go.Bar(
                y=names,
                x=[rows[n].self_us if n in rows else 0 for n in names],
                customdata=[rows[n].count if n in rows else 0 for n in names],
                orientation="h",
                name=texts[profiled.implementation],
                marker={"color": COLOURS[profiled.implementation]},
                hovertemplate=f"%{{y}}: %{{x:,.1f}} µs, %{{customdata:,}} {texts['calls']}<extra></extra>",
            )
        )
    figure.update_layout(
        title=texts["self_title"],
        barmode="group",
        height=max(320, 60 + 36 * len(names)),
        legend={"orientation": "h", "y": -0.2},
    )
    figure.update_xaxes(title=texts["self_axis"])
    figure.update_yaxes(autorange="reversed", type="category")
    return figure


def timeline_figure(report: ProfileReport, texts: Mapping[str, str]) -> go.Figure:
    """Every profiler event as a horizontal bar from its start, one row per call depth (0: called by no operator, on
    top), the loop above the vectorized call, each on its own time axis; one colour per operator, shared by both."""
    figure = make_subplots(
        rows=2,
        cols=1,
        subplot_titles=[texts[name] for name in PROFILED],
        vertical_spacing=0.22,
    )
    names = sorted({e.name for name in PROFILED for e in report.profile(name).events})
    palette = {name: bar_style(i) for i, name in enumerate(names)}
    for row, implementation in enumerate(PROFILED, 1):
        events = report.profile(implementation).events
        for name in names:
            chosen = [e for e in events if e.name == name]
            if not chosen:
                continue
            figure.add_trace(
                go.Bar(
                    base=[e.start_us for e in chosen],
                    x=[e.duration_us for e in chosen],
                    y=[e.depth for e in chosen],
                    customdata=[[e.start_us, e.duration_us] for e in chosen],
                    width=0.8,
                    orientation="h",
                    name=name,
                    legendgroup=name,
                    showlegend=row == 1 or not any(e.name == name for e in report.profile(PROFILED[0]).events),
                    marker=palette[name].marker(line={"width": 0}),
                    hovertemplate=f"{name}<br>{texts['start']}: %{{customdata[0]:,.1f}} µs"
                    f"<br>{texts['duration']}: %{{customdata[1]:,.2f}} µs<extra></extra>",
                ),
                row=row,
                col=1,
            )
        figure.update_xaxes(title=texts["start_axis"], row=row, col=1)
        figure.update_yaxes(title=texts["depth_axis"], autorange="reversed", dtick=1, row=row, col=1)
    figure.update_layout(title=texts["timeline_title"], barmode="overlay", bargap=0.15, height=620)
    return figure
