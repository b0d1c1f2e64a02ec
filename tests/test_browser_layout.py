"""Readable on screen, measured in a real chromium at 1280 px: no code block or PyTorch message needs sideways
scrolling, in both languages and in presenter mode."""

from __future__ import annotations

import pytest

from core.autograd.errors import AUTOGRAD_ERRORS
from core.pitfalls.mistakes import CASE_KEYS
from dashboard.registry import PAGES
from tests.browser import wait_until_idle

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
    context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT}, locale="en-US")
    yield context
    context.close()


def open_view(context, server, view: str):
    page = context.new_page()
    page.goto(f"{server}/{view}")
    wait_until_idle(page, 120_000)
    return page


def open_expanders(page) -> None:
    """Open every folded expander of the page (client-side: no rerun), so their code is laid out too."""
    folded = page.locator("[data-testid='stMain'] [data-testid='stExpander'] details:not([open]) > summary")
    for _ in range(folded.count()):
        folded.first.click()
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
def test_no_code_block_scrolls_sideways(context, server, view):
    page = open_view(context, server, view)
    try:
        open_expanders(page)
        blocks = code_blocks_in_every_tab(page)
    finally:
        page.close()
    assert blocks, "no code block was laid out"
    assert [b for b in blocks if b["scroll"] > b["client"]] == []
