"""Every chart goes on the page through here: Plotly's toolbar keeps its PNG download, and presenter mode enlarges."""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go
import streamlit as st

from dashboard.number_format import plotly_separators
from dashboard.presenter import presenting

PRESENTER_FONT = 20
PRESENTER_MIN_HEIGHT = 560


def chart_config(key: str) -> dict[str, object]:
    """Plotly's own toolbar, always shown, with its camera button saving a 2x PNG named after the chart."""
    filename = "eager-lab-" + key.replace(".", "-")
    return {
        "displaylogo": False,
        "displayModeBar": True,
        "toImageButtonOptions": {"format": "png", "filename": filename, "scale": 2},
    }


def localize(figure: go.Figure) -> go.Figure:
    """Ticks and hovers in the learner's language: its decimal mark and thousands separator (`separators`), and
    four-digit numbers grouped as number_format groups them in text (1,000 / 1.000), not Plotly's default 1000."""
    figure.update_layout(separators=plotly_separators())
    figure.update_xaxes(separatethousands=True)
    figure.update_yaxes(separatethousands=True)
    return figure


def presenter_fonts(figure: go.Figure, size: int = PRESENTER_FONT) -> go.Figure:
    """Every text of the figure at `size` px. Streamlit's theme sets the ticks', legend's and axis titles' own sizes
    (11-12 px), which win over layout.font, so each is set here by name."""
    figure.update_layout(
        font={"size": size},
        title_font_size=size + 6,
        legend_font_size=size,
        legend_title_font_size=size,
        hoverlabel_font_size=size,
    )
    figure.update_xaxes(tickfont_size=size, title_font_size=size)
    figure.update_yaxes(tickfont_size=size, title_font_size=size)
    figure.update_annotations(font_size=size)
    for menu in figure.layout.updatemenus:
        menu.font.size = size
    for slider in figure.layout.sliders:
        slider.font.size = size
        slider.currentvalue.font.size = size
    return figure


def show_chart(figure: go.Figure, key: str, where=st) -> None:
    """Draw `figure` in `where` (st or a column), numbers in the learner's language; in presenter mode with larger
    text and height."""
    localize(figure)
    if presenting():
        height = max(PRESENTER_MIN_HEIGHT, int((figure.layout.height or 450) * 1.4))
        presenter_fonts(figure).update_layout(height=height)
    where.plotly_chart(figure, key=key, config=chart_config(key))


def show_charts_in_pairs(charts: Sequence[tuple[go.Figure, str]], where=st) -> None:
    """Charts two to a row (in `where`), each drawn by show_chart under its key."""
    for start in range(0, len(charts), 2):
        for column, (figure, key) in zip(where.columns(2), charts[start : start + 2], strict=False):
            show_chart(figure, key, column)
