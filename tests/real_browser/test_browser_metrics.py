"""Nothing on the grad-modes page's first screen is cut, in either language, at 1280 px in a real chromium: no metric's
label or value, nor any value its headline can take (faster or slower by a three-digit amount, within the noise,
noisy), nor a chart's title, nor a mode's name on the per-mode bars (presenting too); nor a cell of the mode table or
of the autograd flags table."""

from __future__ import annotations

import pytest

from dashboard import number_format as nf
from dashboard.i18n import catalog
from tests.browser import wait_until_idle

pytestmark = pytest.mark.browser

playwright = pytest.importorskip("playwright.sync_api")
WIDTH, HEIGHT = 1280, 720

# every clipping box of every metric (Streamlit's label and value: one line, ellipsis): its text, and whether it is cut
METRIC_TEXTS = """() => [...document.querySelectorAll("[data-testid='stMain'] [data-testid='stMetric'] *")]
    .filter(e => e.offsetParent !== null && e.innerText && getComputedStyle(e).overflow !== "visible")
    .map(e => ({text: e.innerText, scroll: e.scrollWidth, client: e.clientWidth}))"""
# the same, after writing `texts` in turn into the last metric's value (the headline), each measured in place
HEADLINE_TEXTS = """(texts) => {
    const metrics = document.querySelectorAll("[data-testid='stMain'] [data-testid='stMetric']");
    const value = metrics[metrics.length - 1].querySelector("[data-testid='stMetricValue']");
    const box = [...value.querySelectorAll("*")].find(e => getComputedStyle(e).overflow !== "visible");
    const leaf = box.querySelector("p") || box;
    return texts.map(text => { leaf.textContent = text;
        return {text, scroll: box.scrollWidth, client: box.clientWidth}; });
}"""
# every chart title: its text, whether it reaches past its chart's drawing, and how far it sticks out above it
CHART_TITLES = """() => [...document.querySelectorAll("[data-testid='stMain'] .gtitle")].map(title => {
    const t = title.getBoundingClientRect(), chart = title.closest(".main-svg").getBoundingClientRect();
    return {text: title.textContent, scroll: Math.round(t.right - chart.left), client: Math.round(chart.width),
            above: Math.round(chart.top - t.top)};
})"""


def headlines(lang: str) -> list[str]:
    texts = catalog(lang)
    amount = nf.duration(999.9e-6, "µs", 1, lang)
    return [texts["timing.noisy"], texts["timing.within_spread"]] + [
        texts[key].format(amount=amount) for key in ("timing.faster_by", "timing.slower_by")
    ]


@pytest.fixture(scope="module")
def tab(browser):
    context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT}, locale="en-US", reduced_motion="reduce")
    yield context.new_page()
    context.close()


def read_view(tab, server, view: str, *scripts) -> list:
    """Open `view`, run each script (a JS text, or a (text, argument) pair) in it, and leave nothing running."""
    tab.goto(f"{server}/{view}")
    wait_until_idle(tab, 120_000)
    try:
        return [tab.evaluate(*(script if isinstance(script, tuple) else (script,))) for script in scripts]
    finally:
        tab.goto("about:blank")


# every tick label a titled chart draws (Plotly hides those that would overlap): its text, whether on the y axis,
# how far down, and whether it lies inside the chart's own box on the page
TICKS_OF = """(title) => {
    const chart = [...document.querySelectorAll("[data-testid='stMain'] [data-testid='stPlotlyChart']")]
        .find(c => [...c.querySelectorAll(".gtitle tspan.line")].map(l => l.textContent).join(" ") === title
            || c.querySelector(".gtitle")?.textContent === title);  // presenting, a long title has two lines
    const box = chart.getBoundingClientRect();
    const drawn = [...chart.querySelectorAll("g.ytick text, g.xtick text")].filter(t => t.getBBox().width > 0);
    return drawn.map(t => {
        const r = t.getBoundingClientRect();
        const inside = r.left >= box.left - 1 && r.right <= box.right + 1 && r.top >= box.top - 1
            && r.bottom <= box.bottom + 1;
        return {text: t.textContent, y: t.closest("g.ytick") !== null, top: r.top, inside};
    });
}"""
# every plain table on the page, its boxes and each header and cell: its text, and whether it is cut or scrolls
CUT_CELLS = """() => [...document.querySelectorAll("[data-testid='stMain'] [data-testid='stTable']")]
    .flatMap(host => [host, ...host.querySelectorAll("div, th, td")])
    .map(c => ({text: c.innerText.trim(), scroll: c.scrollWidth, client: c.clientWidth}))"""


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("presenter", ["0", "1"])
def test_nothing_on_the_grad_modes_page_is_cut(tab, server, lang, presenter):
    """One load per language and mode, read four ways: upright bars turned the mode names, and presenting at 1280×720
    clipped them below the chart; the tables cut or scrolled away headers and values; Spanish cut the key metric
    ("Dentro de la di…") and, presenting, the time chart's title ("…(mediana, barra")."""
    texts = catalog(lang)
    tab.goto(f"{server}/grad-modes?lang={lang}&presenter={presenter}&size=1000")
    wait_until_idle(tab, 120_000)
    try:
        ticks = {
            key: tab.evaluate(TICKS_OF, texts[key])
            for key in ("grad_modes.chart.time_title", "grad_modes.chart.saved_title")
        }
        cells = tab.evaluate(CUT_CELLS)
        shown, titles = tab.evaluate(METRIC_TEXTS), tab.evaluate(CHART_TITLES)
        possible = tab.evaluate(HEADLINE_TEXTS, headlines(lang))  # last: it writes into the headline
    finally:
        tab.goto("about:blank")
    names = [texts[f"grad_modes.mode.{mode}"] for mode in ("grad", "no_grad", "inference_mode")]
    for drawn in ticks.values():
        modes = sorted((t for t in drawn if t["y"]), key=lambda t: t["top"])
        assert [t["text"] for t in modes] == names  # the modes on the category axis, level, top-down in order
        assert [t for t in drawn if not t["inside"]] == []
    # the grid cut "is_inference()" to "is_inferenc"; one plain table of 11 columns scrolled its last ones away
    assert {"is_inference()", texts["grad_modes.table.median"]} <= {c["text"] for c in cells}
    assert [c for c in cells if c["scroll"] > c["client"]] == []
    assert len(shown) >= 6 and len(titles) >= 4, (shown, titles)  # three labels, three values, four charts
    assert [m for m in shown + possible + titles if m["scroll"] > m["client"]] == []
    assert [m for m in titles if m["above"] > 0] == []  # a two-line title centred in the margin lost its first line


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_autograd_flags_table_cuts_no_gradient(tab, server, lang):
    """The grid cut the `.grad` column to "tensor([28., 36"."""
    (cells,) = read_view(tab, server, f"autograd?lang={lang}&presenter=0&backward=1", CUT_CELLS)
    assert ".grad" in {c["text"] for c in cells}
    assert any(c["text"].startswith("tensor([") and c["text"].endswith("])") for c in cells), cells
    assert [c for c in cells if c["scroll"] > c["client"]] == []


# every button's label box (Streamlit's: one line, ellipsis): its text, and whether it is cut
BUTTON_TEXTS = """() => [...document.querySelectorAll("[data-testid='stMain'] [data-testid='stButton'] button")]
    .filter(b => b.offsetParent !== null)
    .map(b => ({text: b.innerText, scroll: b.scrollWidth, client: b.clientWidth}))"""


@pytest.mark.parametrize("presenter", ["0", "1"])
def test_no_training_chart_title_or_button_is_cut_in_spanish(tab, server, presenter):
    """Presenting, Spanish cut the Play button ("Reprod…"); grad-modes' titles are read above."""
    titles, buttons = read_view(tab, server, f"train?lang=es&presenter={presenter}", CHART_TITLES, BUTTON_TEXTS)
    assert len(titles) >= 2 and buttons, (titles, buttons)
    assert [m for m in titles + buttons if m["scroll"] > m["client"]] == []
