"""Readable on screen, measured in a real chromium at 1280 px: no code block or PyTorch message needs sideways
scrolling, in both languages and in presenter mode; and axe-core finds nothing grave on those very page loads."""

from __future__ import annotations

import pytest

from core.autograd.errors import AUTOGRAD_ERRORS
from core.pitfalls.mistakes import CASE_KEYS
from dashboard.i18n import catalog
from dashboard.registry import PAGES
from tests.browser import wait_until_idle
from tests.real_browser.test_axe import grave_violations

pytestmark = pytest.mark.browser

playwright = pytest.importorskip("playwright.sync_api")
WIDTH, HEIGHT = 1280, 720
# the pages that measure, kept quick
QUICK = {"loops": "sizes=10,1000&budget=0.05", "grad-modes": "size=1000"}
ALL_FIXES = ",".join(case.key for case in AUTOGRAD_ERRORS)

# every code block's scrolling element (Streamlit's <pre>), where it is visible: its text, and whether it is cut
CODE_BLOCKS = """() => [...document.querySelectorAll("[data-testid='stMain'] [data-testid='stCode'] pre")]
    .filter(pre => pre.offsetParent !== null)
    .map(pre => ({text: pre.innerText.slice(0, 70), scroll: pre.scrollWidth, client: pre.clientWidth}))"""


def views() -> list:
    """Every page in both languages, presenting and not; then the views that show the longest code and messages."""
    shown = []
    for page in PAGES:
        for lang in ("en", "es"):
            for presenter in ("0", "1"):
                extra = QUICK.get(page.url_path)
                url = f"{page.url_path}?lang={lang}&presenter={presenter}" + (f"&{extra}" if extra else "")
                shown.append(pytest.param(url, id=f"{page.name}-{lang}-presenter{presenter}"))
    for presenter in ("0", "1"):
        for case in CASE_KEYS[1:]:
            shown.append(pytest.param(f"pitfalls?case={case}&presenter={presenter}", id=f"{case}-presenter{presenter}"))
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


FOLDED = "[data-testid='stMain'] [data-testid='stExpander'] details:not([open]) > summary"
OPEN_EXPANDERS = f'() => document.querySelectorAll("{FOLDED}").forEach(summary => summary.click())'
EVERY_EXPANDER_OPEN = f'() => !document.querySelector("{FOLDED}")'


def open_expanders(page) -> None:
    """Open every folded expander of the page (client-side: no rerun), so their code is laid out too."""
    page.evaluate(OPEN_EXPANDERS)  # clicked in the page, all at once: Playwright's checks per click cost seconds
    page.wait_for_function(EVERY_EXPANDER_OPEN)
    page.wait_for_timeout(200)


def code_blocks_in_every_tab(page) -> list[dict]:
    """The visible code blocks, once per tab selected (a hidden tab lays nothing out)."""
    blocks = page.evaluate(CODE_BLOCKS)
    for tab in page.get_by_test_id("stMain").get_by_role("tab").all():
        tab.click()
        page.wait_for_timeout(200)
        blocks += page.evaluate(CODE_BLOCKS)
    return blocks


@pytest.mark.parametrize("view", views())
def test_no_code_block_scrolls_sideways_and_axe_finds_nothing_grave(context, server, view):
    page = open_view(context, server, view)
    try:
        open_expanders(page)
        # each registered page in each language and mode (the views naming `lang`), with its expanders open
        violations = grave_violations(page) if "lang=" in view else []
        blocks = code_blocks_in_every_tab(page)
    finally:
        page.goto("about:blank")  # leave nothing running for the next view
    assert blocks, "no code block was laid out"
    assert [b for b in blocks if b["scroll"] > b["client"]] == []
    assert violations == []


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
