"""Charts a colour-blind learner can read (issue #24): every series on every page takes its colour from the Okabe-Ito
palette (dashboard/palette.py), no two series of a chart look alike, and two series that differ only in colour stay
apart under simulated deuteranopia and protanopia.

The simulation applies Machado, Oliveira & Fernandes (2009)'s matrices (severity 1) to linear sRGB, and compares
colours by CIE76 ΔE in CIELAB (D65). MIN_DELTA_E = 20: ten times the just-noticeable 2.3, a difference seen at a
glance on a 2 px line; the closest Okabe-Ito pairs under deuteranopia (grey and reddish purple, ΔE 7; orange and
yellow, 17) fall under it, so charts that use them must tell those series apart by dash, marker or bar pattern too.
"""

from __future__ import annotations

import itertools
import json

import pytest

from dashboard.palette import BAR_CYCLE, COLOURS, bar_style
from pages.compiled.state import EXAMPLE_PROGRAM

MIN_DELTA_E = 20
MACHADO = {
    "deuteranopia": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413), (-0.011820, 0.042940, 0.968881)),
    "protanopia": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216), (-0.003882, -0.048116, 1.051998)),
}
# each page opened where it draws its charts quickly (small sizes, short budgets, the profile and backward on)
PAGE_QUERIES = {
    "steps": {"n": "5000", "step": "12"},
    "autograd": {"x": "1,2,3", "program": "y = x * w + b", "backward": "1"},
    "loops": {"program": "y = x * 2 + 5", "sizes": "10,1000", "budget": "0.05", "profile": "1"},
    "grad-modes": {"size": "1000"},
    "compiled": {"x": "1, 2, 3", "program": EXAMPLE_PROGRAM},
    "train": {"steps": "300", "seed": "0"},
}


def _linear(channel: float) -> float:
    return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4


def lab(colour: str, matrix=None) -> tuple[float, float, float]:
    """CIELAB (D65) of an sRGB hex colour, as seen through a Machado matrix when given one."""
    rgb = [_linear(int(colour[i : i + 2], 16) / 255) for i in (1, 3, 5)]
    if matrix is not None:
        rgb = [min(1.0, max(0.0, sum(m * c for m, c in zip(row, rgb, strict=True)))) for row in matrix]
    r, g, b = rgb
    xyz = (
        0.4124 * r + 0.3576 * g + 0.1805 * b,
        0.2126 * r + 0.7152 * g + 0.0722 * b,
        0.0193 * r + 0.1192 * g + 0.9505 * b,
    )

    def f(t: float) -> float:
        return t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29

    fx, fy, fz = (f(v / white) for v, white in zip(xyz, (0.95047, 1.0, 1.08883), strict=True))
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def delta_e(first: str, second: str, deficiency: str) -> float:
    """CIE76 distance between two colours as a learner with `deficiency` sees them."""
    a, b = lab(first, MACHADO[deficiency]), lab(second, MACHADO[deficiency])
    return sum((p - q) ** 2 for p, q in zip(a, b, strict=True)) ** 0.5


def _as_list(value) -> list:
    return list(value) if isinstance(value, list | tuple) else [value]


def series(spec: dict) -> list[dict]:
    """The chart's series as a reader tells them apart: name, colours, dash, marker symbol and bar pattern."""
    found = []
    for trace in spec["data"]:
        kind, marker, line = trace.get("type", "scatter"), trace.get("marker", {}), trace.get("line", {})
        if trace.get("showlegend") is False or kind not in ("scatter", "bar") or "colorscale" in marker:
            continue
        mode = trace.get("mode", "lines") if kind == "scatter" else ""
        colours = _as_list(line.get("color")) if "lines" in mode else []
        colours += _as_list(marker["color"]) if "color" in marker else []  # markers without follow the line
        found.append(
            {
                "name": trace.get("name"),
                "colours": tuple(c.upper() if isinstance(c, str) else c for c in colours),
                "dash": line.get("dash", "solid") if "lines" in mode else None,
                "symbol": str(marker.get("symbol", "circle")) if "markers" in mode else None,
                "pattern": marker.get("pattern", {}).get("shape", "") if kind == "bar" else None,
            }
        )
    return found


def check_chart(spec: dict) -> None:
    """Palette colours only; no two series alike; same dash, marker and pattern only with CVD-distinct colours."""
    title = spec["layout"].get("title", {}).get("text")
    shown = series(spec)
    for one in shown:
        assert one["colours"] and set(one["colours"]) <= set(COLOURS), (title, one)
    looks = [(s["colours"], s["dash"], s["symbol"], s["pattern"]) for s in shown]
    assert len(set(looks)) == len(looks), (title, shown)
    for a, b in itertools.combinations(shown, 2):
        if (a["dash"], a["symbol"], a["pattern"]) != (b["dash"], b["symbol"], b["pattern"]):
            continue
        for deficiency, x, y in itertools.product(MACHADO, a["colours"], b["colours"]):
            assert delta_e(x, y, deficiency) >= MIN_DELTA_E, (title, deficiency, a, b)


def test_the_simulation_finds_what_okabe_and_ito_warn_about():
    """The checker itself: red and green merge under deuteranopia, lightness-only pairs under both; blue and
    vermillion stay apart."""
    assert delta_e("#D62728", "#2CA02C", "deuteranopia") < 10  # Plotly's default red and green
    for deficiency in MACHADO:
        assert delta_e("#E76F51", "#F4A261", deficiency) < MIN_DELTA_E  # the loops page's two loops, before
        assert delta_e("#0072B2", "#D55E00", deficiency) > 40
    with pytest.raises(AssertionError):
        check_chart({"layout": {}, "data": [{"name": n, "line": {"color": c}} for n, c in (("a", "#D55E00"),) * 2]})


def test_many_bar_series_stay_apart():
    """bar_style's 72 colour-pattern pairs: all distinct, and same-pattern bars CVD-distinct up to 24 series."""
    styles = [bar_style(i) for i in range(72)]
    assert len(set(styles)) == 72 and {s.colour for s in styles} == set(BAR_CYCLE)
    check_chart(
        {
            "layout": {},
            "data": [{"type": "bar", "name": str(i), "marker": s.marker()} for i, s in enumerate(styles[:24])],
        }
    )


def readable_without_red_green(at) -> None:
    """Every chart the page drew: its series told apart under simulated deuteranopia and protanopia (tests of each
    page's charts call it on the run they already made: test_chart_tables)."""
    specs = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
    assert specs and any(len(series(spec)) > 1 for spec in specs)
    for spec in specs:
        check_chart(spec)
