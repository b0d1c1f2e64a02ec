"""Nothing on the grad-modes page's first screen is cut, in either language, at 1280 px in a real chromium: no metric's
label or value, nor any value its headline can take (faster or slower by a three-digit amount, within the noise,
noisy), nor a chart's title."""

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
# every chart title: its text, and whether it reaches past its chart's drawing
CHART_TITLES = """() => [...document.querySelectorAll("[data-testid='stMain'] .gtitle")].map(title => {
    const t = title.getBoundingClientRect(), chart = title.closest(".main-svg").getBoundingClientRect();
    return {text: title.textContent, scroll: Math.round(t.right - chart.left), client: Math.round(chart.width)};
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


@pytest.mark.parametrize("lang", ["en", "es"])
def test_no_grad_modes_metric_is_cut(tab, server, lang):
    tab.goto(f"{server}/grad-modes?lang={lang}&size=1000")
    wait_until_idle(tab, 120_000)
    try:
        shown = tab.evaluate(METRIC_TEXTS)
        titles = tab.evaluate(CHART_TITLES)
        possible = tab.evaluate(HEADLINE_TEXTS, headlines(lang))
    finally:
        tab.goto("about:blank")
    assert len(shown) >= 6 and len(titles) >= 4, (shown, titles)  # three labels, three values, four charts
    assert [m for m in shown + possible + titles if m["scroll"] > m["client"]] == []
