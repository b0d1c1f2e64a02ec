"""The training charts read back from their figure specs: an explicit empty state at step 0, point legends fixed
per class across datasets, titles below Plotly's toolbar, and norm lines told apart without colour alone."""

from __future__ import annotations

from core.train.loop import TrainConfig, train_chunk
from dashboard.i18n import catalog
from dashboard.palette import OKABE_ITO
from pages.train import charts
from pages.train.views import CHART_KEYS

EN, ES = catalog("en"), catalog("es")


def _texts(lang: dict) -> dict[str, str]:
    return {key: lang[f"train.chart.{key}"] for key in CHART_KEYS}


def _figures(run, lang: dict = EN) -> list:
    texts = _texts(lang)
    return [charts.loss_figure(run, texts), *(charts.norms_figure(run, texts, grads=g) for g in (False, True))]


def test_at_step_0_the_loss_and_norm_charts_say_so_instead_of_an_empty_axis():
    run = train_chunk(TrainConfig(seed=0), None, 0)
    for lang in (EN, ES):
        for figure in _figures(run, lang):
            spec = figure.to_plotly_json()
            (shown,) = [a["text"] for a in spec["layout"]["annotations"]]
            assert shown.replace("<br>", " ") == lang["train.chart.empty"] and "<br>" in shown  # two short lines
            assert spec["data"] == [] or spec["data"] == ()
            assert spec["layout"]["xaxis"]["visible"] is False and spec["layout"]["yaxis"]["visible"] is False
    trained = train_chunk(TrainConfig(seed=0), None, 20)
    for figure in _figures(trained):  # once a step ran, the curves and axes are back and the sentence is gone
        spec = figure.to_plotly_json()
        assert spec["data"] and not spec["layout"].get("annotations")


def _legend(dataset: str) -> dict[str, str]:
    """Legend entry -> the one colour its markers have."""
    run = train_chunk(TrainConfig(seed=0, dataset=dataset), None, 5)
    figure = charts.boundary_figure(run, _texts(EN), classification=True)
    legend = {}
    for trace in figure.data[1:]:
        assert isinstance(trace.marker.color, str), trace.name  # one colour per entry, not one per point
        legend[trace.name] = trace.marker.color
    return legend


def test_the_point_legend_keeps_one_colour_per_class_whatever_the_dataset():
    circle, xor = _legend("circle"), _legend("xor")
    assert circle == xor and len(circle) == 4
    for split in ("train_points", "test_points"):
        zero, one = (circle[f"{EN[f'train.chart.{split}']} ({EN['train.chart.class']} {k})"] for k in (0, 1))
        assert zero == charts.CLASS_COLOURS[0] and one == charts.CLASS_COLOURS[1] and zero != one


def test_every_title_sits_below_plotlys_toolbar():
    run = train_chunk(TrainConfig(seed=0), None, 20)
    texts = _texts(EN)
    figures = [
        *_figures(run),
        charts.boundary_figure(run, texts, True),
        charts.nodes_figure(run, texts),
        charts.zero_grad_figure([1.0, 2.0], [1.0, 3.0], texts, "zero_loss"),
    ]
    for figure in figures:
        layout = figure.to_plotly_json()["layout"]
        title = layout["title"]
        assert title["yref"] == "container" and title["y"] == 1 and title["yanchor"] == "top"
        assert title["pad"]["t"] >= 32  # the toolbar's buttons are about 30 px tall
        assert layout["margin"]["t"] >= title["pad"]["t"] + 26 + 20  # the presenter's title font, then a gap


def test_the_norm_lines_differ_in_colour_dash_and_marker_from_one_colour_blind_safe_palette():
    run = train_chunk(TrainConfig(seed=0), None, 20)
    for figure in _figures(run)[1:]:
        styles = [(t.line.color, t.line.dash, t.marker.symbol) for t in figure.data]
        assert len(styles) == 6
        for part in range(3):
            assert len({style[part] for style in styles}) == 6
        assert all(colour in OKABE_ITO for colour, _, _ in styles)
