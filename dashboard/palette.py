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


def series_style(index: int) -> SeriesStyle:
    """The style of a chart's `index`-th series (0 first); past eight series the styles start again."""
    return SERIES[index % len(SERIES)]
