"""Plotly builders for the training page: loss curves, the decision boundary (or fitted curve), layer norms,
autograd nodes per iteration, and the zero_grad pitfall. Data in, Figure out; texts come in `texts`."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import plotly.graph_objects as go

from core.train.datasets import EXTENT
from core.train.loop import GRID, ChunkResult, curve_x
from dashboard.chart_parts import integer_ticks
from dashboard.palette import BLUE, GREY, VERMILLION, series_style

MAX_LINE_POINTS = 1000  # a per-step series is thinned to about this many points
# Plotly draws at most this many of a line's markers (the line keeps every point): while playing, thousands of SVG
# markers redrawn every tick kept the browser seconds behind the server, and a click on Pause waited behind them
MARKERS_SHOWN = 24
TEST, TRAIN = series_style(0), series_style(1)  # blue solid circles, vermillion dashed squares
CLASS_COLOURS = (VERMILLION, BLUE)  # class 0, class 1: the two ends of the probability heatmap
CLASS_SCALE = [[0.0, VERMILLION], [0.5, "#ffffff"], [1.0, BLUE]]
LEGEND_BELOW = {"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom", "x": 0, "xanchor": "left"}
MODEBAR_PX = 36  # Plotly's toolbar takes the figure's top-right corner: the title starts below it
TOP_MARGIN_PX = 96  # the toolbar, then the title (26 px in presenter mode), then the plot
# the boundary: 400 px (560 presenting, show_chart's least) keeps most of it on a 1280x720 first screen
BOUNDARY_HEIGHT = 400


def _frame(figure: go.Figure, title: str, x_title: str | None, y_title: str | None, height: int = 360) -> go.Figure:
    """Title under the toolbar (never beneath its buttons), legend below the plot, axis titles."""
    heading = {"text": title, "yref": "container", "y": 1, "yanchor": "top", "pad": {"t": MODEBAR_PX}}
    figure.update_layout(title=heading, height=height, legend=LEGEND_BELOW, margin={"t": TOP_MARGIN_PX})
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


def _empty(figure: go.Figure, texts: Mapping[str, str]) -> go.Figure:
    """No step trained yet: no traces and no axes, one sentence saying so (never an empty axis from -1 to 0.5), on
    two lines at its colon (on one, presenting cut the Spanish at both ends of a half-width chart)."""
    figure.data = ()
    figure.update_xaxes(visible=False)
    figure.update_yaxes(visible=False)
    text = texts["empty"].replace(": ", ":<br>", 1)
    figure.add_annotation(text=text, showarrow=False, xref="paper", yref="paper", x=0.5, y=0.5)
    return figure


def loss_figure(run: ChunkResult, texts: Mapping[str, str]) -> go.Figure:
    """Each step's batch loss (thinned), and the loss on the whole training and test splits every few steps."""
    steps, losses = thinned(run.losses, run.start + 1)
    eval_steps = [e.step for e in run.evals]
    figure = go.Figure(
        [
            go.Scatter(x=steps, y=losses, mode="lines", name=texts["batch_loss"], line={"color": GREY, "width": 1}),
            go.Scatter(
                x=eval_steps, y=finite([e.train_loss for e in run.evals]), mode="lines", name=texts["train_loss"],
                line=TRAIN.line(),
            ),
            go.Scatter(
                x=eval_steps, y=finite([e.test_loss for e in run.evals]), mode="lines", name=texts["test_loss"],
                line=TEST.line(),
            ),
        ]
    )  # fmt: skip
    if run.end == 0:
        _empty(figure, texts)
    if run.diverged is not None:  # where the loss stopped being a number
        figure.add_vline(x=run.diverged, line={"dash": "dot", "color": VERMILLION}, annotation_text=texts["diverged"])
    return _frame(figure, texts["loss_title"], texts["step"], texts["loss"])


def _points(run: ChunkResult, texts: Mapping[str, str], classification: bool) -> list[go.Scatter]:
    """The points, one trace per split (and per class): a legend entry keeps its colour whatever the dataset."""
    traces = []
    for test, name, symbol in ((False, texts["train_points"], "circle"), (True, texts["test_points"], "x")):
        chosen = [p for p in run.points if p[3] is test]
        marker = {"symbol": symbol, "size": 7, "line": {"width": 1, "color": "white"}}
        if not classification:
            colour = (TEST if test else TRAIN).colour
            x, y = [p[0] for p in chosen], [p[2] for p in chosen]
            traces.append(go.Scatter(x=x, y=y, mode="markers", name=name, marker=marker | {"color": colour}))
            continue
        for label, colour in enumerate(CLASS_COLOURS):
            ours = [p for p in chosen if round(p[2]) == label]
            traces.append(
                go.Scatter(
                    x=[p[0] for p in ours], y=[p[1] for p in ours], mode="markers", marker=marker | {"color": colour},
                    name=f"{name} ({texts['class']} {label})",
                )
            )  # fmt: skip
    return traces


def boundary_figure(run: ChunkResult, texts: Mapping[str, str], classification: bool) -> go.Figure:
    """The model's probability of class 1 over the plane as a heatmap, under the points; or, for the sine, the
    fitted curve through the points."""
    if classification:
        axis = [-EXTENT + 2 * EXTENT * i / (GRID - 1) for i in range(GRID)]
        rows = [finite(run.view[r * GRID : (r + 1) * GRID]) for r in range(GRID)]
        heat = go.Heatmap(
            x=axis, y=axis, z=rows, zmin=0, zmax=1, colorscale=CLASS_SCALE, opacity=0.6, name=texts["probability"],
            colorbar={"title": {"text": texts["probability"]}},
        )  # fmt: skip
        figure = go.Figure([heat, *_points(run, texts, True)])
        figure.update_yaxes(scaleanchor="x", scaleratio=1)
        return _frame(figure, texts["boundary_title"], "x₁", "x₂", height=BOUNDARY_HEIGHT)
    curve = go.Scatter(
        x=curve_x().tolist(), y=finite(run.view), mode="lines", name=texts["fitted"], line=series_style(2).line()
    )
    return _frame(
        go.Figure([*_points(run, texts, False), curve]), texts["curve_title"], "x", "y", height=BOUNDARY_HEIGHT
    )


def norms_figure(run: ChunkResult, texts: Mapping[str, str], grads: bool) -> go.Figure:
    """Per parameter tensor, the norm of its values (or of its gradient) at every evaluation."""
    steps = [e.step for e in run.evals]
    norms = [e.grad_norms if grads else e.weight_norms for e in run.evals]
    figure = go.Figure(
        [
            go.Scatter(
                x=steps, y=finite([n[i] for n in norms]), name=layer, mode="lines+markers",
                line=series_style(i).line(), marker=series_style(i).markers(size=6, maxdisplayed=MARKERS_SHOWN),
            )
            for i, layer in enumerate(run.layers)
        ]
    )  # fmt: skip
    if run.end == 0:
        _empty(figure, texts)
    key = "grad_norms" if grads else "weight_norms"
    return _frame(figure, texts[f"{key}_title"], texts["step"], texts["norm"])


def nodes_figure(run: ChunkResult, texts: Mapping[str, str]) -> go.Figure:
    """Autograd nodes recorded per iteration (and, for the dynamic model, the depth each batch chose)."""
    steps, nodes = thinned(run.nodes, run.start + 1)
    line = series_style(0).line() | {"shape": "hv"}
    marker = series_style(0).markers(maxdisplayed=MARKERS_SHOWN)
    traces = [go.Scatter(x=steps, y=nodes, mode="lines+markers", name=texts["nodes"], line=line, marker=marker)]
    if run.depths:
        _, depths = thinned(run.depths, run.start + 1)
        marker = series_style(1).markers()
        traces.append(go.Scatter(x=steps, y=depths, mode="markers", name=texts["depth"], yaxis="y2", marker=marker))
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
            go.Scatter(x=steps, y=finite(first), name=texts["with_zero_grad"], line=TEST.line()),
            go.Scatter(x=steps, y=finite(second), name=texts["without_zero_grad"], line=TRAIN.line()),
        ]
    )
    return _frame(figure, texts[f"{key}_title"], texts["step"], texts[key])
