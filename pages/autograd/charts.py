"""Plotly builders for the autograd page: the recorded graph, backward as an animation, and leaf gradients."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import plotly.graph_objects as go

from core.autograd.backward import BackwardVisit
from core.autograd.graph import LEAF_GRAD, LEAF_NO_GRAD, OPERATION, OUTPUT, AutogradGraph, GraphNode
from core.autograd.run import GradientView

KIND_COLOURS = {LEAF_GRAD: "#2a9d8f", LEAF_NO_GRAD: "#adb5bd", OPERATION: "#457b9d", OUTPUT: "#e76f51"}
KIND_ORDER = (LEAF_GRAD, LEAF_NO_GRAD, OPERATION, OUTPUT)
CURRENT, VISITED, WAITING = "#f4a261", "#8ecae6", "#dee2e6"

Positions = Mapping[str, tuple[float, float]]


def hover_text(node: GraphNode, texts: Mapping[str, str]) -> str:
    """The hover of one node: its kind, variable, line, shape and saved tensors (names are checked identifiers)."""
    parts = [f"<b>{node.label}</b>", texts[f"kind.{node.kind}"]]
    if node.variable:
        parts.append(f"{texts['variable']}: {node.variable}")
    if node.line:
        parts.append(f"{texts['line']}: {node.line}")
    if node.shape is not None:
        parts.append(f"{texts['shape']}: {tuple(node.shape)}")
    for saved in node.saved:
        parts.append(f"{texts['saved']}: {saved.attribute} {tuple(saved.shape)} {saved.dtype}")
    return "<br>".join(parts)


def _edge_trace(graph: AutogradGraph, positions: Positions) -> go.Scatter:
    xs: list[float | None] = []
    ys: list[float | None] = []
    for edge in graph.edges:
        (x0, y0), (x1, y1) = positions[edge.source], positions[edge.target]
        xs += [x0, x1, None]
        ys += [y0, y1, None]
    return go.Scatter(
        x=xs,
        y=ys,
        mode="lines",
        line={"color": "#adb5bd", "width": 1.5},
        hoverinfo="skip",
        showlegend=False,
        name="edges",
    )


def _arrows(graph: AutogradGraph, positions: Positions) -> list[dict]:
    return [
        {
            "x": positions[e.target][0],
            "y": positions[e.target][1],
            "ax": positions[e.source][0],
            "ay": positions[e.source][1],
            "xref": "x",
            "yref": "y",
            "axref": "x",
            "ayref": "y",
            "showarrow": True,
            "arrowhead": 2,
            "arrowsize": 1.2,
            "arrowcolor": "#adb5bd",
            "standoff": 14,
            "text": "",
        }
        for e in graph.edges
    ]


def _node_label(node: GraphNode) -> str:
    return f"{node.label}<br>({node.variable})" if node.variable and node.variable != node.label else node.label


def _axes(figure: go.Figure, title: str, height: int) -> go.Figure:
    figure.update_layout(
        title=title,
        height=height,
        hovermode="closest",
        legend={"orientation": "h"},
        margin={"l": 20, "r": 20, "t": 60, "b": 20},
    )
    figure.update_xaxes(visible=False)
    figure.update_yaxes(visible=False)
    return figure


def autograd_graph_figure(graph: AutogradGraph, positions: Positions, texts: Mapping[str, str]) -> go.Figure:
    """Nodes coloured by kind (one trace per kind, so the legend explains the colours), edges in forward direction."""
    figure = go.Figure([_edge_trace(graph, positions)])
    for kind in KIND_ORDER:
        nodes = [n for n in graph.nodes if n.kind == kind]
        if not nodes:
            continue
        figure.add_trace(
            go.Scatter(
                x=[positions[n.id][0] for n in nodes],
                y=[positions[n.id][1] for n in nodes],
                mode="markers+text",
                text=[_node_label(n) for n in nodes],
                textposition="top center",
                marker={"size": 26, "color": KIND_COLOURS[kind], "line": {"width": 1, "color": "#333"}},
                hovertext=[hover_text(n, texts) for n in nodes],
                hoverinfo="text",
                name=texts[f"kind.{kind}"],
                customdata=[n.id for n in nodes],
            )
        )
    figure.update_layout(annotations=_arrows(graph, positions))
    return _axes(figure, texts["title"], 420)


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
    graph: AutogradGraph, positions: Positions, visits: Sequence[BackwardVisit], texts: Mapping[str, str]
) -> go.Figure:
    """One frame per node backward visited: the current node highlighted, its incoming gradient in the title.

    Needs at least one visit (a backward that starts at a leaf visits no node).
    """
    nodes = list(graph.recorded)
    xs = [positions[n.id][0] for n in nodes]
    ys = [positions[n.id][1] for n in nodes]
    labels = [_node_label(n) for n in nodes]

    def colours(step: int) -> list[str]:
        visited = {v.node_id for v in visits[:step]}
        current = visits[step].node_id
        return [CURRENT if n.id == current else VISITED if n.id in visited else WAITING for n in nodes]

    def node_trace(step: int) -> go.Scatter:
        return go.Scatter(
            x=xs,
            y=ys,
            mode="markers+text",
            text=labels,
            textposition="top center",
            marker={"size": 26, "color": colours(step), "line": {"width": 1, "color": "#333"}},
            hoverinfo="text",
            hovertext=labels,
            showlegend=False,
            name="nodes",
            customdata=[n.id for n in nodes],
        )

    def caption(step: int) -> str:
        visit = visits[step]
        incoming = " , ".join(" ".join(g.split()) for g in visit.incoming)  # one line: titles ignore newlines
        return texts["frame"].format(order=step + 1, total=len(visits), label=visit.label, grad=incoming)

    frames = [
        go.Frame(name=str(i), data=[node_trace(i)], traces=[1], layout={"title": {"text": caption(i)}})
        for i in range(len(visits))
    ]
    figure = go.Figure([_edge_trace(graph, positions), node_trace(0)], frames=frames)
    figure.update_layout(annotations=_arrows(graph, positions), **_player_controls(len(visits), texts))
    _axes(figure, caption(0), 460)
    return figure


def gradient_figure(gradient: GradientView, texts: Mapping[str, str]) -> go.Figure:
    """A leaf's values and its .grad per element (sampled by core), with the analytic derivative if known."""
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
    figure.update_xaxes(tickformat="d")
    return figure
