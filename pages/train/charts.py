"""Plotly builders for the training page: loss curves, the decision boundary (or fitted curve), layer norms,
autograd nodes per iteration, and the zero_grad pitfall. Data in, Figure out; texts come in `texts`."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import plotly.graph_objects as go

from core.train.datasets import EXTENT
from core.train.loop import GRID, ChunkResult, curve_x
from dashboard.chart_parts import integer_ticks

MAX_LINE_POINTS = 1000  # a per-step series is thinned to about this many points
TRAIN_COLOUR, TEST_COLOUR, BATCH_COLOUR = "#e76f51", "#457b9d", "#adb5bd"
LEGEND_BELOW = {"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom", "x": 0, "xanchor": "left"}


def _frame(figure: go.Figure, title: str, x_title: str | None, y_title: str | None, height: int = 360) -> go.Figure:
    figure.update_layout(title=title, height=height, legend=LEGEND_BELOW, margin={"t": 50})
    figure.update_xaxes(title=x_title, automargin=True)
    figure.update_yaxes(title=y_title, automargin=True)
    return figure


def finite(values: Sequence[float]) -> list[float | None]:
    """inf and NaN as gaps: a diverged run's values are not numbers, so the line stops where they begin."""
    return [value if math.isfinite(value) else None for value in values]


def thinned(values: Sequence[float], start: int = 1) -> tuple[list[int], list[float | None]]:
    """(steps, values) with at most about MAX_LINE_POINTS points: every k-th, and always the last; inf and NaN
    become gaps."""
    stride = max(1, math.ceil(len(values) / MAX_LINE_POINTS))
    indices = list(range(0, len(values), stride))
    if values and indices[-1] != len(values) - 1:
        indices.append(len(values) - 1)
    return [start + i for i in indices], finite([values[i] for i in indices])


def loss_figure(run: ChunkResult, texts: Mapping[str, str]) -> go.Figure:
    """Each step's batch loss (thinned), and the loss on the whole training and test splits every few steps."""
    steps, losses = thinned(run.losses, run.start + 1)
    eval_steps = [e.step for e in run.evals]
    figure = go.Figure(
        [
            go.Scatter(x=steps, y=losses, mode="lines", name=texts["batch_loss"], line={"color": BATCH_COLOUR}),
            go.Scatter(
                x=eval_steps, y=finite([e.train_loss for e in run.evals]), mode="lines", name=texts["train_loss"],
                line={"color": TRAIN_COLOUR},
            ),
            go.Scatter(
                x=eval_steps, y=finite([e.test_loss for e in run.evals]), mode="lines", name=texts["test_loss"],
                line={"color": TEST_COLOUR},
            ),
        ]
    )  # fmt: skip
    if run.diverged is not None:  # where the loss stopped being a number
        figure.add_vline(x=run.diverged, line={"dash": "dot", "color": TRAIN_COLOUR}, annotation_text=texts["diverged"])
    return _frame(figure, texts["loss_title"], texts["step"], texts["loss"])


def _points(run: ChunkResult, texts: Mapping[str, str], classification: bool) -> list[go.Scatter]:
    traces = []
    for test, name, symbol in ((False, texts["train_points"], "circle"), (True, texts["test_points"], "x")):
        chosen = [p for p in run.points if p[3] is test]
        marker = {"symbol": symbol, "size": 6, "line": {"width": 1, "color": "white"}}
        if classification:
            marker |= {"color": [p[2] for p in chosen], "colorscale": "RdBu", "cmin": 0, "cmax": 1}
            y = [p[1] for p in chosen]
        else:
            marker |= {"color": TEST_COLOUR if test else TRAIN_COLOUR}
            y = [p[2] for p in chosen]
        traces.append(go.Scatter(x=[p[0] for p in chosen], y=y, mode="markers", name=name, marker=marker))
    return traces


def boundary_figure(run: ChunkResult, texts: Mapping[str, str], classification: bool) -> go.Figure:
    """The model's probability of class 1 over the plane as a heatmap, under the points; or, for the sine, the
    fitted curve through the points."""
    if classification:
        axis = [-EXTENT + 2 * EXTENT * i / (GRID - 1) for i in range(GRID)]
        rows = [finite(run.view[r * GRID : (r + 1) * GRID]) for r in range(GRID)]
        heat = go.Heatmap(
            x=axis, y=axis, z=rows, zmin=0, zmax=1, colorscale="RdBu", opacity=0.6, name=texts["probability"],
            colorbar={"title": {"text": texts["probability"]}},
        )  # fmt: skip
        figure = go.Figure([heat, *_points(run, texts, True)])
        figure.update_yaxes(scaleanchor="x", scaleratio=1)
        return _frame(figure, texts["boundary_title"], "x₁", "x₂", height=460)
    curve = go.Scatter(
        x=curve_x().tolist(), y=finite(run.view), mode="lines", name=texts["fitted"], line={"color": "#2a9d8f"}
    )
    return _frame(go.Figure([*_points(run, texts, False), curve]), texts["curve_title"], "x", "y", height=460)


def norms_figure(run: ChunkResult, texts: Mapping[str, str], grads: bool) -> go.Figure:
    """Per parameter tensor, the norm of its values (or of its gradient) at every evaluation."""
    steps = [e.step for e in run.evals]
    norms = [e.grad_norms if grads else e.weight_norms for e in run.evals]
    figure = go.Figure(
        [go.Scatter(x=steps, y=finite([n[i] for n in norms]), name=layer) for i, layer in enumerate(run.layers)]
    )
    key = "grad_norms" if grads else "weight_norms"
    return _frame(figure, texts[f"{key}_title"], texts["step"], texts["norm"])


def nodes_figure(run: ChunkResult, texts: Mapping[str, str]) -> go.Figure:
    """Autograd nodes recorded per iteration (and, for the dynamic model, the depth each batch chose)."""
    steps, nodes = thinned(run.nodes, run.start + 1)
    traces = [go.Scatter(x=steps, y=nodes, mode="lines+markers", name=texts["nodes"], line={"shape": "hv"})]
    if run.depths:
        _, depths = thinned(run.depths, run.start + 1)
        traces.append(go.Scatter(x=steps, y=depths, mode="markers", name=texts["depth"], yaxis="y2"))
    figure = go.Figure(traces)
    if run.depths:
        figure.update_layout(yaxis2={"overlaying": "y", "side": "right", "title": {"text": texts["depth"]}, "dtick": 1})
    figure = _frame(figure, texts["nodes_title"], texts["step"], texts["nodes"])
    figure.update_layout(yaxis={"rangemode": "tozero", **integer_ticks(max(nodes, default=1))})  # whole numbers
    return figure


def zero_grad_figure(first: Sequence[float], second: Sequence[float], texts: Mapping[str, str], key: str) -> go.Figure:
    """The same run with zero_grad and without it, side by side on one axis."""
    steps = list(range(1, len(first) + 1))
    figure = go.Figure(
        [
            go.Scatter(x=steps, y=finite(first), name=texts["with_zero_grad"], line={"color": TEST_COLOUR}),
            go.Scatter(x=steps, y=finite(second), name=texts["without_zero_grad"], line={"color": TRAIN_COLOUR}),
        ]
    )
    return _frame(figure, texts[f"{key}_title"], texts["step"], texts[key])
