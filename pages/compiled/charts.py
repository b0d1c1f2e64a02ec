"""Plotly builders for the Eager vs compiled page: the graphs Dynamo captured with their breaks, recompiles per
call, and the cumulative cost of each backend against the number of calls."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import plotly.graph_objects as go

from core.compiled.capture import Explained
from core.compiled.cost import BackendCost
from core.compiled.guards import Recompiles
from dashboard.palette import BLUE, GREY, VERMILLION, SeriesStyle, bar_style, series_style

LEGEND_BELOW = {"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom", "x": 0, "xanchor": "left"}
BREAK_COLOUR = VERMILLION
# each backend's line: its own colour and dash (dashboard.palette)
EAGER_STYLE = SeriesStyle(GREY, "solid", "circle")
BACKEND_STYLES = {"eager": EAGER_STYLE, "aot_eager": series_style(0), "inductor": series_style(1)}
RECOMPILE_COLOURS = (VERMILLION, BLUE)


def capture_figure(explained: Explained, texts: Mapping[str, str]) -> go.Figure:
    """In execution order, top to bottom: each captured graph as a bar of its operations (one colour per program
    line), and each graph break as a red mark labelled with its line and PyTorch's reason."""
    rows: list[str] = []  # y categories, in execution order
    breaks = list(explained.breaks)
    for index in range(len(explained.graphs)):
        rows.append(texts["graph"].format(number=index + 1))
        if index < len(breaks):
            rows.append(texts["break"].format(line=breaks[index].line or "?"))
    for extra in breaks[len(explained.graphs) :]:
        rows.append(texts["break"].format(line=extra.line or "?"))
    lines = sorted({line for g in explained.graphs for line in g.lines if line is not None})
    figure = go.Figure()
    for position, line in enumerate(lines):
        counts, hovers = [], []
        for graph in explained.graphs:
            ops = [op for op, at in zip(graph.ops, graph.lines, strict=True) if at == line]
            counts.append(len(ops))
            hovers.append(", ".join(ops))
        figure.add_trace(
            go.Bar(
                y=[texts["graph"].format(number=i + 1) for i in range(len(explained.graphs))],
                x=counts,
                orientation="h",
                name=texts["line"].format(line=line),
                marker=bar_style(position).marker(),
                # each segment names its line and operations on the bar itself, not only in the legend below
                text=[f"{texts['line'].format(line=line)}: {ops}" if ops else "" for ops in hovers],
                textposition="inside",
                insidetextanchor="middle",
                customdata=hovers,
                hovertemplate="%{customdata}<extra>%{fullData.name}</extra>",
            )
        )
    if breaks:
        figure.add_trace(
            go.Scatter(
                y=[texts["break"].format(line=b.line or "?") for b in breaks],
                x=[0] * len(breaks),
                mode="markers+text",
                marker={"symbol": "x", "size": 16, "color": BREAK_COLOUR},
                cliponaxis=False,
                text=[f"{b.source}  ({b.reason})" for b in breaks],
                textposition="middle right",
                name=texts["breaks"],
                hovertemplate="%{text}<extra></extra>",
            )
        )
    figure.update_layout(
        barmode="stack", title=texts["title"], height=max(260, 70 * len(rows) + 140), legend=LEGEND_BELOW
    )
    figure.update_yaxes(categoryorder="array", categoryarray=list(reversed(rows)), automargin=True)
    figure.update_xaxes(title=texts["ops"], rangemode="tozero", dtick=1 if _most_ops(explained) <= 12 else None)
    return figure


def _most_ops(explained: Explained) -> int:
    return max((len(g.ops) for g in explained.graphs), default=0)


def recompile_figure(runs: Sequence[Recompiles], texts: Mapping[str, str]) -> go.Figure:
    """Graphs compiled at each call, one bar group per call, one colour per `dynamic` choice."""
    figure = go.Figure()
    for run, colour in zip(runs, RECOMPILE_COLOURS, strict=False):
        labels = [texts["call"].format(number=i + 1, numel=c.numel, dtype=c.dtype) for i, c in enumerate(run.calls)]
        figure.add_trace(
            go.Bar(
                x=labels,
                y=[c.compiled_graphs for c in run.calls],
                name=texts[f"dynamic_{run.dynamic}"],
                marker_color=colour,
                customdata=["<br>".join(c.reasons) or texts["no_recompile"] for c in run.calls],
                hovertemplate="%{customdata}<extra>%{fullData.name}</extra>",
            )
        )
    figure.update_layout(barmode="group", title=texts["title"], height=380, legend=LEGEND_BELOW)
    figure.update_yaxes(title=texts["graphs"], dtick=1, rangemode="tozero", automargin=True)
    figure.update_xaxes(automargin=True)
    return figure


def cost_figure(costs: Sequence[BackendCost], texts: Mapping[str, str], max_calls: int) -> go.Figure:
    """Total seconds after k calls (compile time plus k times the time per call), log-log: where a compiled
    backend's line crosses eager's is its break-even."""
    calls = [round(10 ** (i / 4)) for i in range(0, 4 * len(str(max_calls)))]
    calls = sorted({c for c in calls if c <= max_calls} | {1, max_calls})
    figure = go.Figure()
    for cost in costs:
        if cost.per_call is None:
            continue
        compile_s = cost.compile_s or 0.0
        figure.add_trace(
            go.Scatter(
                x=calls,
                y=[compile_s + k * cost.per_call.median for k in calls],
                mode="lines",
                name=cost.backend,
                line=BACKEND_STYLES.get(cost.backend, series_style(2)).line(),
            )
        )
    figure.update_layout(title=texts["title"], height=400, legend=LEGEND_BELOW)
    figure.update_xaxes(type="log", title=texts["calls"], automargin=True)
    figure.update_yaxes(type="log", title=texts["seconds"], automargin=True)
    return figure
