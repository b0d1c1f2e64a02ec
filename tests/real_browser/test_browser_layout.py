"""Readable on screen, measured in a real chromium at 1280×720: no code block or PyTorch message needs sideways
scrolling, in both languages and in presenter mode, and axe-core finds nothing grave on those very page loads; on
the same loads, what a page's first look must show whole (the loops headline, the training boundary)."""

from __future__ import annotations

import pytest

from core.autograd.errors import AUTOGRAD_ERRORS
from core.pitfalls.mistakes import CASE_KEYS
from dashboard.i18n import catalog
from dashboard.registry import PAGES
from tests.browser import wait_until_idle
from tests.real_browser.readable import (
    PRESENTED_FOR_THEIR_KEY_ELEMENT,
    code_blocks_in_every_tab,
    open_expanders,
    whole_with_expanders_open,
)

pytestmark = pytest.mark.browser

playwright = pytest.importorskip("playwright.sync_api")
WIDTH, HEIGHT = 1280, 720
EN = catalog("en")
# the pages that measure, kept quick
QUICK = {"loops": "sizes=10,1000&budget=0.05", "grad-modes": "size=1000"}
ALL_FIXES = ",".join(case.key for case in AUTOGRAD_ERRORS)


def views() -> list:
    """Every page in both languages, presenting and not (English presenting is read where test_browser_presenter
    loads it, for most pages); then the views that show the longest code and messages."""
    shown = []
    for page in PAGES:
        for lang in ("en", "es"):
            for presenter in ("0", "1"):
                if (lang, presenter) == ("en", "1") and page.url_path in PRESENTED_FOR_THEIR_KEY_ELEMENT:
                    continue
                extra = QUICK.get(page.url_path)
                url = f"{page.url_path}?lang={lang}&presenter={presenter}" + (f"&{extra}" if extra else "")
                shown.append(pytest.param(url, id=f"{page.name}-{lang}-presenter{presenter}"))
    for presenter in ("0", "1"):
        autograd = {
            "backward": f"backward=1&reduce=mean&fixed={ALL_FIXES}",
            "nothing-requires-grad": "grad=&backward=1",
            "non-scalar": "reduce=none&backward=1",
        }
        for name, query in autograd.items():
            shown.append(
                pytest.param(f"autograd?{query}&presenter={presenter}", id=f"autograd-{name}-presenter{presenter}")
            )
    return shown


@pytest.fixture(scope="module")
def context(browser):
    """One tab for every view: a new tab per view costs chromium a renderer's start, twice the CPU of a reload.
    Motion reduced: Streamlit's running animations redraw frames that no layout check reads."""
    context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT}, locale="en-US", reduced_motion="reduce")
    tab = context.new_page()
    yield tab
    context.close()


def open_view(tab, server, view: str):
    tab.goto(f"{server}/{view}")  # a full load: a new document and a new Streamlit session
    wait_until_idle(tab, 120_000)
    return tab


# the loops headline's metric labels cut with an ellipsis ("…Python floats at n =…")
CUT_LABELS = """() => [...document.querySelectorAll("[data-testid='stMain'] [data-testid='stMetricLabel'] *")]
    .filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.innerText)"""
# the decision boundary's chart: how far down its top lies, and its height
BOUNDARY = """(title) => [...document.querySelectorAll("[data-testid='stMain'] [data-testid='stPlotlyChart']")]
    .filter(c => c.querySelector(".gtitle")?.textContent === title)
    .map(c => ({top: c.getBoundingClientRect().top, height: c.getBoundingClientRect().height}))"""


def first_look(page, view: str) -> list:
    """What this view's first look must show whole, as found wanting (nothing: all is well)."""
    path, query = view.split("?")
    if path == "loops":  # "Vectorized vs loop over Python floats at n = 10,000" was cut to "…Python floats at n =…"
        assert page.get_by_test_id("stMetricLabel").count() >= 3
        return page.evaluate(CUT_LABELS)
    if path == "train" and "presenter=1" in query:
        # the intro and the folded controls above the transport pushed the boundary below the fold (its top at 582 of
        # 720 px, 138 of its 644 px shown): most of it must be on the first screen
        lang = "es" if "lang=es" in query else "en"
        (chart,) = page.evaluate(BOUNDARY, catalog(lang)["train.chart.boundary_title"])
        shown = HEIGHT - chart["top"]
        return [] if 0 <= chart["top"] < HEIGHT and shown >= 0.6 * chart["height"] else [chart]
    return []


@pytest.mark.parametrize("view", views())
def test_every_view_reads_whole_and_axe_finds_nothing_grave(context, server, view):
    page = open_view(context, server, view)
    try:
        wanting = first_look(page, view)  # first: opening the expanders moves what follows them
        # axe on each registered page in each language and mode (the views naming `lang`), its expanders open
        blocks, cut, violations = whole_with_expanders_open(page, axe="lang=" in view)
    finally:
        page.goto("about:blank")  # leave nothing running for the next view
    assert wanting == []
    assert blocks, "no code block was laid out"
    assert cut == []
    assert violations == []


@pytest.mark.parametrize("presenter", ["0", "1"])
def test_no_pitfall_cases_code_scrolls_sideways(context, server, presenter):
    """Every case after the first (the first is a registered page's view above), chosen on the page as a learner
    does: one load, then a rerun per case, cheaper than a load per case."""
    page = open_view(context, server, f"pitfalls?case={CASE_KEYS[0]}&presenter={presenter}")
    cut, laid_out = [], {}
    try:
        for case in CASE_KEYS[1:]:
            title = EN[f"pitfalls.case.{case}.title"]
            page.get_by_test_id("stMain").get_by_role("radio", name=title, exact=True).check(force=True)
            page.wait_for_function(f"() => new URLSearchParams(location.search).get('case') === '{case}'")
            wait_until_idle(page, 120_000)
            open_expanders(page)
            blocks = code_blocks_in_every_tab(page)
            laid_out[case] = len(blocks)
            cut += [(case, b["text"]) for b in blocks if b["scroll"] > b["client"]]
    finally:
        page.goto("about:blank")  # leave nothing running for the next view
    assert all(laid_out.values()) and len(laid_out) == len(CASE_KEYS) - 1, laid_out
    assert cut == []


# every point of the graph's edges (sampled along the drawn path, in screen pixels) that falls inside a node's label
EDGES_THROUGH_LABELS = """() => {
    const chart = document.querySelector("[data-testid='stMain'] [data-testid='stPlotlyChart']");
    const edges = chart.querySelector("g.scatterlayer g.trace path.js-line");
    const labels = [...chart.querySelectorAll("g.scatterlayer g.textpoint text")].map(t => t.getBoundingClientRect());
    const ctm = edges.getScreenCTM(), length = edges.getTotalLength(), hits = [];
    for (let at = 0; at <= length; at += 1) {
        const p = edges.getPointAtLength(at);
        const x = ctm.a * p.x + ctm.c * p.y + ctm.e, y = ctm.b * p.x + ctm.d * p.y + ctm.f;
        for (const r of labels) if (x > r.left && x < r.right && y > r.top && y < r.bottom) hits.push([x, y]);
    }
    return {labels: labels.length, length, hits: hits.slice(0, 5)};
}"""
GRAPHS = {
    "lesson": "x=1,2,3&backward=1",
    "long-edge": "x=1,2,3&backward=1&program=a+%3D+x+*+2%0Ad+%3D+a+%2B+1%0Ae+%3D+d+%2B+a",
    "three-inputs": "n=1000&grad=x,w,b&backward=1&program=y+%3D+x+*+w+%2B+b%0Az+%3D+y+**+2",
}


@pytest.mark.parametrize("presenter", ["0", "1"])
@pytest.mark.parametrize("graph", GRAPHS)
def test_no_edge_of_the_autograd_graph_crosses_a_label(context, server, graph, presenter):
    page = open_view(context, server, f"autograd?{GRAPHS[graph]}&presenter={presenter}")
    try:
        drawn = page.evaluate(EDGES_THROUGH_LABELS)
    finally:
        page.goto("about:blank")  # leave nothing running for the next view
    assert drawn["labels"] >= 4 and drawn["length"] > 100
    assert drawn["hits"] == []


CHECKLIST_ROWS = """() => [...document.querySelectorAll("[data-testid='stMain'] [data-testid='stHorizontalBlock']")]
    .filter(row => row.querySelector("[data-testid='stCheckbox']"))
    .map(row => {
        const middle = e => { const r = e.getBoundingClientRect(); return (r.top + r.bottom) / 2; };
        const label = row.querySelector("[data-testid='stCheckbox'] [data-testid='stMarkdownContainer']");
        const link = row.querySelector("[data-testid='stPageLink'] a");
        const button = row.querySelector("[data-testid='stButton'] button");
        return {text: label.innerText, cut: label.scrollWidth > label.clientWidth, box: middle(label.closest('label')),
                link: middle(link), button: button && middle(button)};
    })"""


@pytest.mark.parametrize("presenter", ["0", "1"])
def test_the_checklist_shows_every_item_whole_with_its_links_on_its_line(context, server, presenter):
    page = open_view(context, server, f"pitfalls?presenter={presenter}")
    try:
        rows = page.evaluate(CHECKLIST_ROWS)
        assert len(rows) == 5
        for row in rows:
            assert not row["cut"], row["text"]  # wrapped, never "…"
            assert abs(row["link"] - row["box"]) <= 2, row  # Explore on the item's line
            assert row["button"] is None or abs(row["button"] - row["box"]) <= 2, row
        see = page.get_by_role("button", name=catalog("en")["pitfalls.checklist.see_case"]).nth(1)
        see.scroll_into_view_if_needed()
        see.click()
        wait_until_idle(page)
        dialog = page.get_by_role("dialog")
        dialog.wait_for()
        box = dialog.bounding_box()
        assert box["y"] >= 0 and box["y"] < HEIGHT / 2  # the case opens where the reader is, no scrolling
        assert catalog("en")["pitfalls.case.forgot_requires_grad.title"] in dialog.inner_text()
        assert dialog.get_by_test_id("stCode").first.inner_text().startswith("def nothing_requires_grad(x):")
        assert page.evaluate("() => new URLSearchParams(location.search).get('case')") == "forgot_requires_grad"
    finally:
        page.goto("about:blank")  # leave nothing running for the next view
