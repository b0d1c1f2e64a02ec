"""Plotly builders for the grad-modes page: time and saved bytes per mode, and how both scale with the work."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import plotly.graph_objects as go

from core.grad_modes.modes import MODES, ModeResult, ScalingPoint
from dashboard.chart_parts import quartile_bars

COLOURS = {"grad": "#e76f51", "no_grad": "#2a9d8f", "inference_mode": "#457b9d"}
ANYWAY_COLOUR, EXTRA_COLOUR = "#adb5bd", "#e76f51"


def time_figure(results: Sequence[ModeResult], texts: Mapping[str, str]) -> go.Figure:
    """Median forward time per mode in microseconds, with IQR error bars."""
    figure = go.Figure(
        go.Bar(
            x=[texts[r.mode] for r in results],
            y=[r.time.median * 1e6 for r in results],
            error_y=quartile_bars([(r.time.median, r.time.q1, r.time.q3) for r in results], scale=1e6),
            marker_color=[COLOURS[r.mode] for r in results],
            name=texts["time"],
        )
    )
    figure.update_layout(title=texts["time_title"], yaxis_title="µs", height=340)
    return figure


def saved_figure(results: Sequence[ModeResult], texts: Mapping[str, str]) -> go.Figure:
    """Bytes saved for backward per mode, stacked into storages that exist anyway and extra activations."""
    labels = [texts[r.mode] for r in results]
    figure = go.Figure(
        [
            go.Bar(
                x=labels, y=[r.ledger.anyway_bytes for r in results], name=texts["anyway"], marker_color=ANYWAY_COLOUR
            ),
            go.Bar(x=labels, y=[r.ledger.extra_bytes for r in results], name=texts["extra"], marker_color=EXTRA_COLOUR),
        ]
    )
    figure.update_layout(barmode="stack", title=texts["saved_title"], yaxis_title=texts["bytes"], height=340)
    return figure


def _line(x: list[int], y: list[float], name: str, colour: str) -> go.Scatter:
    return go.Scatter(x=x, y=y, mode="lines+markers", name=name, line={"color": colour})


def scaling_saved_figure(points: Sequence[ScalingPoint], texts: Mapping[str, str]) -> go.Figure:
    work = [p.work for p in points]
    figure = go.Figure(
        [
            _line(work, [p.ledger.extra_bytes for p in points], texts["extra"], EXTRA_COLOUR),
            _line(work, [p.ledger.anyway_bytes for p in points], texts["anyway"], ANYWAY_COLOUR),
        ]
    )
    figure.update_layout(
        title=texts["scaling_saved_title"], xaxis_title=texts["work"], yaxis_title=texts["bytes"], height=340
    )
    return figure


def scaling_time_figure(points: Sequence[ScalingPoint], texts: Mapping[str, str]) -> go.Figure:
    work = [p.work for p in points]
    figure = go.Figure(
        [_line(work, [p.seconds[mode] * 1e6 for p in points], texts[mode], COLOURS[mode]) for mode in MODES]
    )
    figure.update_layout(title=texts["scaling_time_title"], xaxis_title=texts["work"], yaxis_title="µs", height=340)
    return figure
