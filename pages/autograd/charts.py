"""Plotly builders for the autograd page: the recorded graph, backward as an animation, and leaf gradients."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

import plotly.graph_objects as go

from core.autograd.drawing import SUMMARY, GraphDrawing
from core.autograd.frames import BackwardStep
from core.autograd.graph import LEAF_GRAD, LEAF_NO_GRAD, OPERATION, OUTPUT, GraphNode
from core.autograd.layout import GraphLayout
from core.autograd.run import GradientResult
from dashboard.chart_parts import integer_ticks
from dashboard.palette import BLUE, GREY, ORANGE, SKY_BLUE, VERMILLION, YELLOW, series_style

# Okabe-Ito colours (dashboard.palette) that stay apart under deuteranopia and protanopia (grey and bluish green
# do not: tests/frame/test_chart_palette.py)
KIND_COLOURS = {
    LEAF_GRAD: YELLOW,
    LEAF_NO_GRAD: GREY,
    OPERATION: BLUE,
    OUTPUT: VERMILLION,
    SUMMARY: GREY,
}
KIND_ORDER = (LEAF_GRAD, LEAF_NO_GRAD, OPERATION, OUTPUT, SUMMARY)
# the summary node is a square, so it stands apart from the grey leaves without its colour
KIND_SYMBOLS = {SUMMARY: "square"}
CURRENT, VISITED, WAITING = ORANGE, SKY_BLUE, "#dee2e6"
# the graph's height: one row of nodes with labels of up to three lines above each, and at least this much
ROW_HEIGHT, GRAPH_MIN_HEIGHT = 120, 320


def short_values(values: Sequence[float], shape: tuple[int, ...] | None) -> str:
    """A tensor's first values as a node shows them: `14` for a single number, `[7, 9, 11, …]` for more."""
    numbers = [f"{v:.3g}" for v in values]
    if shape == () and len(numbers) == 1:
        return numbers[0]
    count = 1
    for size in shape or (len(numbers),):
        count *= size
    return "[" + ", ".join(numbers + (["…"] if count > len(numbers) else [])) + "]"


def hover_text(node: GraphNode, texts: Mapping[str, str]) -> str:
    """The hover of one node: kind, variable, line, shape, value, gradient and saved tensors (names are identifiers)."""
    if node.kind == SUMMARY:
        return f"<b>{texts['summary']}</b><br>{texts['kind.summary']}"
    parts = [f"<b>{node.label}</b>", texts[f"kind.{node.kind}"]]
    if node.variable:
        parts.append(f"{texts['variable']}: {node.variable}")
    if node.line:
        parts.append(f"{texts['line']}: {node.line}")
    if node.shape is not None:
        parts.append(f"{texts['shape']}: {tuple(node.shape)}")
    if node.values:
        parts.append(f"{texts['value']}: {short_values(node.values, node.shape)}")
    if node.grads is not None:
        parts.append(f"{texts['grad']}: {short_values(node.grads, node.shape)}")
    for saved in node.saved:
        parts.append(f"{texts['saved']}: {saved.attribute} {tuple(saved.shape)} {saved.dtype}")
    return "<br>".join(parts)


def node_label(node: GraphNode, summary: str = "") -> str:
    """A node's words above its marker, micrograd-style: its name, the value it holds and, after backward, its grad.

    The summary node shows `summary` (how many nodes it gathers, in the learner's words).
    """
    if node.kind == SUMMARY:
        return summary
    lines = [node.label]
    named = node.variable if node.variable and node.variable != node.label else ""
    if node.values:
        lines.append(f"{named} = {short_values(node.values, node.shape)}".strip())
    elif named:
        lines.append(f"({named})")
    if node.grads is not None:
        lines.append(f"grad {short_values(node.grads, node.shape)}")
    return "<br>".join(lines)


def _edge_trace(layout: GraphLayout) -> go.Scatter:
    """Every edge along its route, one polyline each (None between them)."""
    xs: list[float | None] = []
    ys: list[float | None] = []
    for route in layout.routes:
        xs += [x for x, _ in route.points] + [None]
        ys += [y for _, y in route.points] + [None]
    return go.Scatter(
        x=xs,
        y=ys,
        mode="lines",
        line={"color": "#8d99ae", "width": 1.5},
        hoverinfo="skip",
        showlegend=False,
        name="edges",
    )


def _arrows(layout: GraphLayout) -> list[dict]:
    """One arrowhead per edge, on its last level stretch, pointing into its target."""
    arrows = []
    for route in layout.routes:
        (ax, ay), (x, y) = route.points[-2], route.points[-1]
        arrows.append(
            {
                "x": x,
                "y": y,
                "ax": ax,
                "ay": ay,
                "xref": "x",
                "yref": "y",
                "axref": "x",
                "ayref": "y",
                "showarrow": True,
                "arrowhead": 2,
                "arrowsize": 1.2,
                "arrowcolor": "#8d99ae",
                "standoff": 14,
                "text": "",
            }
        )
    return arrows


def graph_height(layout: GraphLayout) -> int:
    """Room for each row's node and its label of up to three lines above it."""
    return max(GRAPH_MIN_HEIGHT, ROW_HEIGHT * layout.rows + 120)


def _axes(figure: go.Figure, layout: GraphLayout, title: str) -> go.Figure:
    xs = [x for x, _ in layout.positions.values()] or [0.0]
    ys = [y for route in layout.routes for _, y in route.points] + [y for _, y in layout.positions.values()]
    figure.update_layout(
        title=title,
        height=graph_height(layout),
        hovermode="closest",
        legend={"orientation": "h", "yanchor": "top", "y": -0.02},
        margin={"l": 20, "r": 20, "t": 60, "b": 20},
    )
    figure.update_xaxes(visible=False, range=[min(xs) - 0.45, max(xs) + 0.45])
    figure.update_yaxes(visible=False, range=[min(ys or [0.0]) - 0.5, max(ys or [0.0]) + 0.8])
    return figure


def _node_trace(nodes: Sequence[GraphNode], layout: GraphLayout, **style) -> go.Scatter:
    """Nodes as markers at their positions, with their words above them."""
    return go.Scatter(
        x=[layout.positions[n.id][0] for n in nodes],
        y=[layout.positions[n.id][1] for n in nodes],
        mode="markers+text",
        textposition="top center",
        cliponaxis=False,
        customdata=[n.id for n in nodes],
        **style,
    )


def _marker(colour: str | list[str], symbol: str | list[str] = "circle") -> dict:
    """A node's marker; circles (most nodes) leave the symbol to Plotly's default."""
    marker = {"size": 26, "color": colour, "line": {"width": 1, "color": "#333"}}
    return marker if symbol == "circle" else {**marker, "symbol": symbol}


def autograd_graph_figure(drawing: GraphDrawing, texts: Mapping[str, str]) -> go.Figure:
    """Nodes coloured by kind (one trace per kind, so the legend explains the colours), edges in forward direction.

    The layout comes computed (core.autograd.drawing, in the worker): this only turns coordinates into traces.
    """
    layout = drawing.layout
    figure = go.Figure([_edge_trace(layout)])
    for kind in KIND_ORDER:
        nodes = [n for n in drawing.nodes if n.kind == kind]
        if not nodes:
            continue
        figure.add_trace(
            _node_trace(
                nodes,
                layout,
                text=[node_label(n, texts.get("summary", "")) for n in nodes],
                marker=_marker(KIND_COLOURS[kind], KIND_SYMBOLS.get(kind, "circle")),
                hovertext=[hover_text(n, texts) for n in nodes],
                hoverinfo="text",
                name=texts[f"kind.{kind}"],
            )
        )
    figure.update_layout(annotations=_arrows(layout))
    return _axes(figure, layout, texts["title"])


def _player_controls(labels: Sequence[str], texts: Mapping[str, str]) -> dict:
    """A Play button and a slider with one step per frame (labelled `labels`), below the graph."""
    return {
        "updatemenus": [
            {
                "type": "buttons",
                "showactive": False,
                "x": 0,
                "y": -0.05,
                "xanchor": "left",
                "buttons": [
                    {
                        "label": texts["play"],
                        "method": "animate",
                        "args": [None, {"frame": {"duration": 900, "redraw": True}, "fromcurrent": True}],
                    }
                ],
            }
        ],
        "sliders": [
            {
                "active": 0,
                "y": -0.05,
                "x": 0.12,
                "len": 0.88,
                "currentvalue": {"prefix": texts["step"] + " "},
                "steps": [
                    {
                        "label": label,
                        "method": "animate",
                        "args": [[str(i)], {"mode": "immediate", "frame": {"duration": 0, "redraw": True}}],
                    }
                    for i, label in enumerate(labels)
                ],
            }
        ],
    }


def backward_animation_figure(
    drawing: GraphDrawing,
    steps: Sequence[BackwardStep],
    texts: Mapping[str, str],
    number: Callable[[int], str] = str,
) -> go.Figure:
    """One frame per step of backward (core.autograd.frames): the current node highlighted, its incoming gradient in
    the title, and a node's gradient in its label from the frame backward reaches it; `number` writes counts.

    Needs at least one step (a backward that starts at a leaf visits no node).
    """
    nodes = list(drawing.recorded)
    total = steps[-1].first + steps[-1].count
    symbols = [KIND_SYMBOLS.get(n.kind, "circle") for n in nodes]

    def colours(step: int) -> list[str]:
        visited = {s.node_id for s in steps[:step]}
        current = steps[step].node_id
        return [CURRENT if n.id == current else VISITED if n.id in visited else WAITING for n in nodes]

    def node_trace(step: int) -> go.Scatter:
        reached = {s.node_id for s in steps[: step + 1]}
        summary = texts.get("summary", "")
        labels = [node_label(n if n.id in reached else replace(n, grads=None), summary) for n in nodes]
        return _node_trace(
            nodes,
            layout=drawing.layout,
            text=labels,
            marker=_marker(colours(step), symbols if drawing.hidden else "circle"),
            hoverinfo="text",
            hovertext=labels,
            showlegend=False,
            name="nodes",
        )

    def caption(step: int) -> str:
        current = steps[step]
        if current.node_id == SUMMARY:
            first, last = number(current.first + 1), number(current.first + current.count)
            return texts["frame_summary"].format(first=first, last=last, total=number(total))
        incoming = " , ".join(" ".join(g.split()) for g in current.incoming)  # one line: titles ignore newlines
        return texts["frame"].format(
            order=number(current.first + 1), total=number(total), label=current.label, grad=incoming
        )

    frames = [
        go.Frame(name=str(i), data=[node_trace(i)], traces=[1], layout={"title": {"text": caption(i)}})
        for i in range(len(steps))
    ]
    figure = go.Figure([_edge_trace(drawing.layout), node_trace(0)], frames=frames)
    labels = [number(step.first + 1) for step in steps]
    figure.update_layout(annotations=_arrows(drawing.layout), **_player_controls(labels, texts))
    _axes(figure, drawing.layout, caption(0))
    figure.update_layout(height=graph_height(drawing.layout) + 40, margin={"b": 90})  # room for the player below
    return figure


def gradient_figure(gradient: GradientResult, texts: Mapping[str, str]) -> go.Figure:
    """A leaf's values and its .grad per element (sampled by core), with the analytic derivative if known.

    `texts["analytic"]` names that derivative as the reduction makes it (divided by n under mean).
    """
    indices = list(gradient.indices)
    name = gradient.name
    values, grads, analytic = series_style(0), series_style(1), series_style(4)
    figure = go.Figure(
        [
            go.Scatter(
                x=indices,
                y=list(gradient.values),
                mode="lines+markers",
                name=name,
                line=values.line(),
                marker=values.markers(),
            ),
            go.Scatter(
                x=indices,
                y=list(gradient.grads),
                mode="lines+markers",
                name=f"{name}.grad",
                line=grads.line(),
                marker=grads.markers(),
            ),
        ]
    )
    if gradient.analytic is not None:
        figure.add_trace(
            go.Scatter(
                x=indices,
                y=list(gradient.analytic),
                mode="markers",
                marker=analytic.markers(size=10),
                name=texts["analytic"],
            )
        )
    figure.update_layout(title=texts["title"].format(name=name), xaxis_title=texts["index"], height=340)
    figure.update_xaxes(**integer_ticks(max(indices, default=0)))
    return figure
