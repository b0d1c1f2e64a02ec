"""Series colours for every chart: the Okabe-Ito palette, each colour with its own dash and marker.

Okabe & Ito (2008), "Color Universal Design": eight colours that stay apart under the common colour-vision
deficiencies; the dash and marker of each style tell series apart where two colours still come close."""

from __future__ import annotations

from typing import NamedTuple

BLACK = "#000000"
ORANGE = "#E69F00"
SKY_BLUE = "#56B4E9"
BLUISH_GREEN = "#009E73"
YELLOW = "#F0E442"
BLUE = "#0072B2"
VERMILLION = "#D55E00"
REDDISH_PURPLE = "#CC79A7"
GREY = "#999999"

OKABE_ITO = (BLACK, ORANGE, SKY_BLUE, BLUISH_GREEN, YELLOW, BLUE, VERMILLION, REDDISH_PURPLE)
COLOURS = (*OKABE_ITO, GREY)


class SeriesStyle(NamedTuple):
    """One series' look: a line colour, a Plotly dash name and a Plotly marker symbol."""

    colour: str
    dash: str
    marker: str

    def line(self, width: float | None = None) -> dict:
        """Plotly `line` settings for this style."""
        return {"color": self.colour, "dash": self.dash} | ({"width": width} if width else {})

    def markers(self, **extra) -> dict:
        """Plotly `marker` settings for this style."""
        return {"color": self.colour, "symbol": self.marker, **extra}


# Yellow comes last: on a white background it is the faintest of the eight.
SERIES = (
    SeriesStyle(BLUE, "solid", "circle"),
    SeriesStyle(VERMILLION, "dash", "square"),
    SeriesStyle(BLUISH_GREEN, "dot", "diamond"),
    SeriesStyle(REDDISH_PURPLE, "dashdot", "triangle-up"),
    SeriesStyle(ORANGE, "longdash", "x"),
    SeriesStyle(SKY_BLUE, "longdashdot", "star"),
    SeriesStyle(BLACK, "solid", "cross"),
    SeriesStyle(YELLOW, "dash", "triangle-down"),
)


# past eight series the styles come round again with open, dotted, then open dotted markers: 32 distinct styles
MARKER_ROUNDS = ("", "-open", "-dot", "-open-dot")


def series_style(index: int) -> SeriesStyle:
    """The style of a chart's `index`-th series (0 first): no two alike among the first 32."""
    style = SERIES[index % len(SERIES)]
    variant = MARKER_ROUNDS[index // len(SERIES) % len(MARKER_ROUNDS)]
    return style._replace(marker=style.marker + variant)


class BarStyle(NamedTuple):
    """One bar series' look: a fill colour and a Plotly fill pattern ("" for none)."""

    colour: str
    pattern: str

    def marker(self, **extra) -> dict:
        """Plotly `marker` settings for bars in this style."""
        return {"color": self.colour, "pattern": {"shape": self.pattern}, **extra}


# An order of the nine colours in which neighbours and next-but-one neighbours stay at least ΔE 24 apart under
# simulated deuteranopia and protanopia (tests/frame/test_chart_palette.py): bar_style's colours repeat with the
# same pattern only 8 or 16 series apart, that is one or two places along this cycle.
BAR_CYCLE = (BLUE, SKY_BLUE, BLUISH_GREEN, ORANGE, BLACK, REDDISH_PURPLE, YELLOW, VERMILLION, GREY)
PATTERNS = ("", "/", "\\", "x", "-", "|", "+", ".")


def bar_style(index: int) -> BarStyle:
    """The style of the `index`-th of many bar series (a stack, a timeline): 72 distinct colour-pattern pairs."""
    return BarStyle(BAR_CYCLE[index % len(BAR_CYCLE)], PATTERNS[index % len(PATTERNS)])
