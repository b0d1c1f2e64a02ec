"""Accessibility in a real chromium: axe-core's WCAG 2 AA rules (run on test_browser_layout.py's page loads), the
document's language, and a keyboard focus that shows."""

from __future__ import annotations

import functools

import pytest

from tests.browser import wait_until_idle

pytestmark = pytest.mark.browser

playwright = pytest.importorskip("playwright.sync_api")
# WCAG 2.0 to 2.2 A and AA, and of the best practices only heading-order (h1 then h3 leaves a gap in a screen
# reader's outline): the other best-practice rules cost a quarter more time on every page, for moderate findings
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
    "rules": {"heading-order": {"enabled": True}},
    "resultTypes": ["violations"],
}
GRAVE = {"serious", "critical"}
ALSO = {"heading-order"}  # "moderate" by axe's reckoning, but the issue asks for an outline without gaps
NAV_LINK = "[data-testid='stSidebarNav'] a"


@functools.cache
def axe():
    """The engine (axe-core's 550 kB script), read once per test process."""
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def grave_violations(tab) -> list[str]:
    """axe-core's serious and critical violations on the page in `tab` (and heading-order): rule, impact, where."""
    found = axe().run(tab, options=AXE_OPTIONS).response["violations"]
    return [
        f"{v['id']} ({v['impact']}, {len(v['nodes'])}x): {v['nodes'][0]['target']} "
        f"{(v['nodes'][0].get('failureSummary') or '')[:160]}"
        for v in found
        if v["impact"] in GRAVE or v["id"] in ALSO
    ]


@pytest.fixture(scope="module")
def tab(browser):
    """One tab for the module: each test opens its own URL."""
    context = browser.new_context(viewport={"width": 1280, "height": 720}, locale="en-US", reduced_motion="reduce")
    page = context.new_page()
    yield page
    context.close()


def test_the_document_is_in_the_learners_language_after_a_switch(server, tab):
    try:
        tab.goto(f"{server}/steps?lang=en")
        wait_until_idle(tab)
        assert tab.evaluate("() => document.documentElement.lang") == "en"
        tab.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").first.click()
        tab.get_by_role("option", name="Español").click()
        wait_until_idle(tab)
        tab.wait_for_function("() => new URLSearchParams(location.search).get('lang') === 'es'")
        tab.wait_for_function("() => document.documentElement.lang === 'es'", timeout=10_000)
    finally:
        tab.goto("about:blank")


# the focused element's outline, and the current page's highlight in the sidebar to tell it from
FOCUS = """() => {
    const focused = document.activeElement, style = getComputedStyle(focused);
    const current = document.querySelector("[data-testid='stSidebarNav'] a[aria-current='page']");
    return {inNav: !!focused.closest("[data-testid='stSidebarNav']"), style: style.outlineStyle,
            width: parseFloat(style.outlineWidth), colour: style.outlineColor,
            highlight: current ? getComputedStyle(current).backgroundColor : null};
}"""


def test_a_sidebar_link_with_keyboard_focus_shows_a_ring_unlike_the_current_page(server, tab):
    try:
        tab.goto(f"{server}/steps?lang=en")
        wait_until_idle(tab)
        tab.locator(NAV_LINK).first.focus()
        tab.keyboard.press("Tab")  # keyboard focus (:focus-visible) on the next page's link
        tab.keyboard.press("Shift+Tab")
        focus = tab.evaluate(FOCUS)
    finally:
        tab.goto("about:blank")
    assert focus["inNav"], focus
    assert focus["style"] not in ("none", "hidden") and focus["width"] >= 2, focus
    assert focus["colour"] != focus["highlight"], focus
