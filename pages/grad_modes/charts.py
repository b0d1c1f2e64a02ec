"""Plotly builders for the grad-modes page: time and saved bytes per mode, and how both scale with the work."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import plotly.graph_objects as go

from core.grad_modes.modes import MODES, ModeResult, ScalingPoint
from dashboard.chart_parts import integer_ticks, quartile_bars
from dashboard.palette import BLUE, BLUISH_GREEN, GREY, VERMILLION, SeriesStyle, series_style

# Okabe-Ito colours (dashboard.palette); each line also has its own dash and marker
COLOURS = {"grad": VERMILLION, "no_grad": BLUISH_GREEN, "inference_mode": BLUE}
STYLES = {"grad": series_style(1), "no_grad": series_style(2), "inference_mode": series_style(0)}
ANYWAY_COLOUR, EXTRA_COLOUR = GREY, VERMILLION
ANYWAY_STYLE, EXTRA_STYLE = SeriesStyle(GREY, "dot", "diamond"), series_style(1)
# legends go under the chart, across its whole width: beside it, their long labels squeezed the plot to a sliver
LEGEND_BELOW = {"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom", "x": 0, "xanchor": "left"}


def _frame(figure: go.Figure, title: str, x_title: str | None, y_title: str) -> go.Figure:
    """Title, axis titles (margins grow to hold them, whatever the font size) and the legend under the chart."""
    figure.update_layout(title=title, height=380, legend=LEGEND_BELOW)
    figure.update_xaxes(title=x_title, automargin=True)
    figure.update_yaxes(title=y_title, automargin=True)
    return figure


def _modes_across(figure: go.Figure, texts: Mapping[str, str], title: str, value_title: str) -> go.Figure:
    """Bars lying across, one row per mode, first mode on top: each mode's name reads whole and level on the
    category axis, whose margin grows to hold it (upright bars' turned names were clipped when presenting)."""
    _frame(figure, title, value_title, texts["mode"])
    figure.update_yaxes(autorange="reversed", tickangle=0, ticklabelposition="outside")
    return figure


def time_figure(results: Sequence[ModeResult], texts: Mapping[str, str]) -> go.Figure:
    """Median forward time per mode in microseconds, with IQR error bars."""
    figure = go.Figure(
        go.Bar(
            y=[texts[r.mode] for r in results],
            x=[r.time.median * 1e6 for r in results],
            orientation="h",
            error_x=quartile_bars([(r.time.median, r.time.q1, r.time.q3) for r in results], scale=1e6),
            marker_color=[COLOURS[r.mode] for r in results],
            name=texts["time"],
        )
    )
    return _modes_across(figure, texts, texts["time_title"], "µs")


def _across(labels: list[str], values: list[int], name: str, colour: str) -> go.Bar:
    """One stack of the bytes chart: a bar lying across per mode."""
    return go.Bar(y=labels, x=values, orientation="h", name=name, marker_color=colour)


def saved_figure(results: Sequence[ModeResult], texts: Mapping[str, str]) -> go.Figure:
    """Bytes saved for backward per mode, stacked into storages that exist anyway and extra activations."""
    labels = [texts[r.mode] for r in results]
    figure = go.Figure(
        [
            _across(labels, [r.ledger.anyway_bytes for r in results], texts["anyway"], ANYWAY_COLOUR),
            _across(labels, [r.ledger.extra_bytes for r in results], texts["extra"], EXTRA_COLOUR),
        ]
    )
    figure.update_layout(barmode="stack")
    return _modes_across(figure, texts, texts["saved_title"], texts["bytes"])


def _line(x: list[int], y: list[float], name: str, style: SeriesStyle) -> go.Scatter:
    return go.Scatter(x=x, y=y, mode="lines+markers", name=name, line=style.line(), marker=style.markers())


def scaling_saved_figure(points: Sequence[ScalingPoint], texts: Mapping[str, str]) -> go.Figure:
    work = [p.work for p in points]
    figure = go.Figure(
        [
            _line(work, [p.ledger.extra_bytes for p in points], texts["extra"], EXTRA_STYLE),
            _line(work, [p.ledger.anyway_bytes for p in points], texts["anyway"], ANYWAY_STYLE),
        ]
    )
    figure.update_xaxes(**integer_ticks(max(work, default=0)))
    return _frame(figure, texts["scaling_saved_title"], texts["work"], texts["bytes"])


def scaling_time_figure(points: Sequence[ScalingPoint], texts: Mapping[str, str]) -> go.Figure:
    work = [p.work for p in points]
    figure = go.Figure(
        [_line(work, [p.seconds[mode] * 1e6 for p in points], texts[mode], STYLES[mode]) for mode in MODES]
    )
    figure.update_xaxes(**integer_ticks(max(work, default=0)))
    return _frame(figure, texts["scaling_time_title"], texts["work"], "µs")
