"""Plotly figure builders: plain data in, a Figure out; no computation beyond layout."""

from __future__ import annotations

import plotly.graph_objects as go

from core.steps.value_paths import ValuePaths
from core.tensors import TensorSummary
from dashboard.chart_parts import integer_ticks
from dashboard.palette import BLUE, series_style


def value_paths_figure(paths: ValuePaths, title: str, element_label: str) -> go.Figure:
    """One line per sampled element, its value at each variable in program order."""
    figure = go.Figure()
    for position, (index, row) in enumerate(zip(paths.indices, paths.values, strict=True)):
        style = series_style(position)
        figure.add_trace(
            go.Scatter(
                x=list(paths.names),
                y=list(row),
                mode="lines+markers",
                name=f"{element_label}[{index}]",
                line=style.line(),
                marker=style.markers(),
            )
        )
    figure.update_layout(title=title, xaxis_title=None, yaxis_title=None, legend_title=element_label)
    figure.update_xaxes(type="category")
    return figure


def histogram_figure(summary: TensorSummary, title: str, count_label: str) -> go.Figure:
    """The summary's histogram as bars at bin centres (counts computed by PyTorch, not the browser)."""
    edges = summary.bin_edges
    centres = [(a + b) / 2 for a, b in zip(edges[:-1], edges[1:], strict=True)]
    widths = [b - a for a, b in zip(edges[:-1], edges[1:], strict=True)]
    figure = go.Figure(go.Bar(x=centres, y=list(summary.counts), width=widths, name=count_label, marker_color=BLUE))
    figure.update_layout(title=title, yaxis_title=count_label, bargap=0.02, height=260)
    figure.update_yaxes(**integer_ticks(max(summary.counts, default=0), most=5))
    return figure
