"""Checks that read a loaded view without changing what it shows, shared by the browser tests so that a view loaded
for one check serves the others (a page load costs chromium about 2 s of CPU): code blocks that scroll sideways, and
axe-core's grave findings with every expander open."""

from __future__ import annotations

from tests.real_browser.test_axe import grave_violations

# the pages whose presenter view (English, 1280×720) test_browser_presenter loads for their key element: the layout
# and axe checks run there, on that load, instead of on a second load of the same view
PRESENTED_FOR_THEIR_KEY_ELEMENT = ("", "steps", "autograd", "loops", "grad-modes", "pitfalls", "compiled")

# every code block's scrolling element (Streamlit's <pre>), where it is visible: its text, and whether it is cut
CODE_BLOCKS = """() => [...document.querySelectorAll("[data-testid='stMain'] [data-testid='stCode'] pre")]
    .filter(pre => pre.offsetParent !== null)
    .map(pre => ({text: pre.innerText.slice(0, 70), scroll: pre.scrollWidth, client: pre.clientWidth}))"""
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


def whole_with_expanders_open(page, axe: bool = True) -> tuple[list[dict], list[dict], list[str]]:
    """With every expander open: the code blocks laid out, those among them that scroll sideways, and axe-core's
    grave findings (when `axe`). Last on a view: it opens what was folded and selects every tab."""
    open_expanders(page)
    violations = grave_violations(page) if axe else []
    blocks = code_blocks_in_every_tab(page)
    return blocks, [b for b in blocks if b["scroll"] > b["client"]], violations
