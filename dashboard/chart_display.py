"""Every chart goes on the page through here: Plotly's toolbar keeps its PNG download, presenter mode enlarges, and
a toggle under each chart shows its numbers as a table."""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go
import streamlit as st

from dashboard import number_format
from dashboard.i18n import current_lang, translate, translate_plain
from dashboard.number_format import plotly_separators
from dashboard.presenter import presenting

PRESENTER_FONT = 20
PRESENTER_MIN_HEIGHT = 560
# a title longer than this, at the presenter's size, reaches past one chart of a pair at 1280 px: it gets two lines
PRESENTER_TITLE_CHARS = 36


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


TITLE_GAP_PX = 12  # between a two-line title and the plot under it


def two_lines(text: str) -> str:
    """`text` broken at the space nearest its middle (a title that is too long for a chart of a pair)."""
    spaces = [i for i, c in enumerate(text) if c == " "]
    if not spaces:
        return text
    cut = min(spaces, key=lambda i: abs(i - len(text) / 2))
    return f"{text[:cut]}<br>{text[cut + 1 :]}"


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
    title = figure.layout.title.text
    if title and len(title) > PRESENTER_TITLE_CHARS and "<br>" not in title:  # Plotly never wraps a title itself
        # standing on the plot area, the margin grown to hold both lines (Plotly's automargin for a paper title):
        # hung from the figure's top instead, its first line was drawn above the figure and cut off
        figure.update_layout(
            title_text=two_lines(title), title_automargin=True, title_yref="paper", title_y=1,
            title_yanchor="bottom", title_pad_b=TITLE_GAP_PX,
        )  # fmt: skip
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
    show_chart_data(figure, key, where)


def _axis_title(axis, fallback: str) -> str:
    return (axis.title.text if axis and axis.title and axis.title.text else None) or fallback


def _errors(trace, count: int) -> tuple[list, list] | None:
    """A trace's error bars below and above each point (along x for bars lying across), or None where it has none."""
    error = getattr(trace, "error_x" if getattr(trace, "orientation", None) == "h" else "error_y", None)
    if error is None or error.array is None or error.visible is False:
        return None
    above = list(error.array)
    below = above if error.symmetric is not False or error.arrayminus is None else list(error.arrayminus)
    return (list(below) + [None] * count)[:count], (above + [None] * count)[:count]


def chart_rows(figure: go.Figure, series: str = "series") -> list[dict[str, object]]:
    """One row per point of every trace with x and y that a reader can hover (not drawn edges): its series' name, x,
    y and, where the trace has error bars, the error below and above. Columns are named after the axes' titles."""
    x_name = _axis_title(figure.layout.xaxis, "x")
    y_name = _axis_title(figure.layout.yaxis, "y")
    x_name = x_name if x_name != y_name else f"{x_name} (x)"
    rows: list[dict[str, object]] = []
    panels = _panel_titles(figure)
    for trace in figure.data:
        xs, ys = getattr(trace, "x", None), getattr(trace, "y", None)
        if xs is None or ys is None or len(xs) != len(ys) or getattr(trace, "hoverinfo", None) == "skip":
            continue
        errors, spans = _errors(trace, len(ys)), _spans(trace, len(ys))
        for index, (x, y) in enumerate(zip(xs, ys, strict=True)):
            row = {
                series: panels.get(getattr(trace, "xaxis", None) or "x", "") + (trace.name or ""),
                x_name: x,
                y_name: y,
            }
            if errors is not None:  # named after the value axis: y, or x for bars lying across
                valued = x_name if getattr(trace, "orientation", None) == "h" else y_name
                row |= {f"{valued} −": errors[0][index], f"{valued} +": errors[1][index]}
            if spans is not None:  # a bar from its base: where it starts on the axis, and how long it is
                along = x_name if getattr(trace, "orientation", None) == "h" else y_name
                row |= {along: spans[index], f"{along} +": row[along]}
            rows.append(row)
    return rows


def _panel_titles(figure: go.Figure) -> dict[str, str]:
    """For a figure of titled subplots (make_subplots), each x axis's subplot title as a prefix of its series' names."""
    grid = getattr(figure, "_grid_ref", None) or []  # rows of cells, each a tuple of subplot references or None
    axes = [cell[0].trace_kwargs.get("xaxis") for row in grid for cell in row if cell]
    titles = [annotation.text for annotation in figure.layout.annotations][: len(axes)]  # make_subplots' titles first
    return {axis: f"{title}: " for axis, title in zip(axes, titles, strict=False) if title}


def _spans(trace, count: int) -> list | None:
    """Each bar's base, for bars drawn from a base rather than from zero (the profiler's timeline)."""
    base = getattr(trace, "base", None)
    if base is None:
        return None
    return [base] * count if isinstance(base, int | float) else list(base)  # one base for all, or one per bar


def _one_type_per_column(rows: list[dict[str, object]]) -> list[dict[str, object]]:
    """Columns mixing numbers and text (categories on one trace, numbers on another) as text throughout."""
    columns = {c for row in rows for c in row}
    mixed = {c for c in columns if len({number_format.is_number(r.get(c)) for r in rows if r.get(c) is not None}) > 1}
    return [{c: (str(v) if c in mixed and v is not None else v) for c, v in row.items()} for row in rows]


def show_chart_data(figure: go.Figure, key: str, where=st) -> None:
    """A toggle under the chart, off by default, that shows the figure's numbers as a table in the learner's
    language (an HTML table while presenting, which the presenter stylesheet enlarges)."""
    lang = current_lang()
    if not where.toggle(translate(lang, "common.chart_data"), value=False, key=f"chart_data.{key}"):
        return
    rows = _one_type_per_column(chart_rows(figure, translate_plain(lang, "common.chart_series")))
    styled = number_format.table(rows, lang)
    if presenting():
        where.table(styled, hide_index=True)
    else:
        where.dataframe(styled, hide_index=True, key=f"chart_data.{key}.table")


def show_charts_in_pairs(charts: Sequence[tuple[go.Figure, str]], where=st) -> None:
    """Charts two to a row (in `where`), each drawn by show_chart under its key."""
    for start in range(0, len(charts), 2):
        for column, (figure, key) in zip(where.columns(2), charts[start : start + 2], strict=False):
            show_chart(figure, key, column)
