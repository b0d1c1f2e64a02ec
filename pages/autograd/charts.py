"""Plotly builders for the autograd page: the recorded graph, backward as an animation, and leaf gradients."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

import plotly.graph_objects as go

from core.autograd.backward import BackwardVisit
from core.autograd.graph import LEAF_GRAD, LEAF_NO_GRAD, OPERATION, OUTPUT, AutogradGraph, GraphNode
from core.autograd.run import GradientView
from dashboard.chart_parts import integer_ticks
from pages.autograd.layout import GraphLayout

KIND_COLOURS = {LEAF_GRAD: "#2a9d8f", LEAF_NO_GRAD: "#adb5bd", OPERATION: "#457b9d", OUTPUT: "#e76f51"}
KIND_ORDER = (LEAF_GRAD, LEAF_NO_GRAD, OPERATION, OUTPUT)
CURRENT, VISITED, WAITING = "#f4a261", "#8ecae6", "#dee2e6"
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


def node_label(node: GraphNode) -> str:
    """A node's words above its marker, micrograd-style: its name, the value it holds and, after backward, its grad."""
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
    for route in layout.routes.values():
        xs += [x for x, _ in route] + [None]
        ys += [y for _, y in route] + [None]
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
    for route in layout.routes.values():
        (ax, ay), (x, y) = route[-2], route[-1]
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
    ys = [y for route in layout.routes.values() for _, y in route] + [y for _, y in layout.positions.values()]
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
    style.setdefault("text", [node_label(n) for n in nodes])
    return go.Scatter(
        x=[layout.positions[n.id][0] for n in nodes],
        y=[layout.positions[n.id][1] for n in nodes],
        mode="markers+text",
        textposition="top center",
        cliponaxis=False,
        customdata=[n.id for n in nodes],
        **style,
    )


def autograd_graph_figure(graph: AutogradGraph, layout: GraphLayout, texts: Mapping[str, str]) -> go.Figure:
    """Nodes coloured by kind (one trace per kind, so the legend explains the colours), edges in forward direction."""
    figure = go.Figure([_edge_trace(layout)])
    for kind in KIND_ORDER:
        nodes = [n for n in graph.nodes if n.kind == kind]
        if not nodes:
            continue
        figure.add_trace(
            _node_trace(
                nodes,
                layout,
                marker={"size": 26, "color": KIND_COLOURS[kind], "line": {"width": 1, "color": "#333"}},
                hovertext=[hover_text(n, texts) for n in nodes],
                hoverinfo="text",
                name=texts[f"kind.{kind}"],
            )
        )
    figure.update_layout(annotations=_arrows(layout))
    return _axes(figure, layout, texts["title"])


def _player_controls(frames: int, texts: Mapping[str, str]) -> dict:
    """A Play button and a slider with one step per frame, below the graph."""
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
                        "label": str(i + 1),
                        "method": "animate",
                        "args": [[str(i)], {"mode": "immediate", "frame": {"duration": 0, "redraw": True}}],
                    }
                    for i in range(frames)
                ],
            }
        ],
    }


def backward_animation_figure(
    graph: AutogradGraph, layout: GraphLayout, visits: Sequence[BackwardVisit], texts: Mapping[str, str]
) -> go.Figure:
    """One frame per node backward visited: the current node highlighted, its incoming gradient in the title,
    and a node's gradient in its label from the frame backward reaches it.

    Needs at least one visit (a backward that starts at a leaf visits no node).
    """
    nodes = list(graph.recorded)

    def colours(step: int) -> list[str]:
        visited = {v.node_id for v in visits[:step]}
        current = visits[step].node_id
        return [CURRENT if n.id == current else VISITED if n.id in visited else WAITING for n in nodes]

    def node_trace(step: int) -> go.Scatter:
        reached = {v.node_id for v in visits[: step + 1]}
        labels = [node_label(n if n.id in reached else replace(n, grads=None)) for n in nodes]
        return _node_trace(
            nodes,
            layout,
            text=labels,
            marker={"size": 26, "color": colours(step), "line": {"width": 1, "color": "#333"}},
            hoverinfo="text",
            hovertext=labels,
            showlegend=False,
            name="nodes",
        )

    def caption(step: int) -> str:
        visit = visits[step]
        incoming = " , ".join(" ".join(g.split()) for g in visit.incoming)  # one line: titles ignore newlines
        return texts["frame"].format(order=step + 1, total=len(visits), label=visit.label, grad=incoming)

    frames = [
        go.Frame(name=str(i), data=[node_trace(i)], traces=[1], layout={"title": {"text": caption(i)}})
        for i in range(len(visits))
    ]
    figure = go.Figure([_edge_trace(layout), node_trace(0)], frames=frames)
    figure.update_layout(annotations=_arrows(layout), **_player_controls(len(visits), texts))
    _axes(figure, layout, caption(0))
    figure.update_layout(height=graph_height(layout) + 40, margin={"b": 90})  # room for the player below
    return figure


def gradient_figure(gradient: GradientView, texts: Mapping[str, str]) -> go.Figure:
    """A leaf's values and its .grad per element (sampled by core), with the analytic derivative if known.

    `texts["analytic"]` names that derivative as the reduction makes it (divided by n under mean).
    """
    indices = list(gradient.indices)
    name = gradient.name
    figure = go.Figure(
        [
            go.Scatter(x=indices, y=list(gradient.values), mode="lines+markers", name=name),
            go.Scatter(x=indices, y=list(gradient.grads), mode="lines+markers", name=f"{name}.grad"),
        ]
    )
    if gradient.analytic is not None:
        figure.add_trace(
            go.Scatter(
                x=indices,
                y=list(gradient.analytic),
                mode="markers",
                marker={"symbol": "x", "size": 10},
                name=texts["analytic"],
            )
        )
    figure.update_layout(title=texts["title"].format(name=name), xaxis_title=texts["index"], height=340)
    figure.update_xaxes(**integer_ticks(max(indices, default=0)))
    return figure
