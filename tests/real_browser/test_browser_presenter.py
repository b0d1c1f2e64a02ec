"""Presenter mode and shared links in a real chromium: legible on a projector; a copied link reopens the view."""

from __future__ import annotations

import pytest

from dashboard.i18n import catalog
from tests.browser import ARTIFACTS, FIRST_SCREEN, wait_until_idle
from tests.real_browser.readable import PRESENTED_FOR_THEIR_KEY_ELEMENT, whole_with_expanders_open

pytestmark = pytest.mark.browser

playwright = pytest.importorskip("playwright.sync_api")
EN = catalog("en")
DEMO = "steps?presenter=1&x=1,2,3&program=y+%3D+x+*+2+%2B+5%0Az+%3D+y+**+2+-+10&step=1"


@pytest.mark.parametrize(("width", "height"), [(1280, 720), (1920, 1080)])
def test_presenter_mode_is_legible_at_projector_sizes(server, browser, width, height):
    context = browser.new_context(viewport={"width": width, "height": height}, locale="en-US")
    page = context.new_page()
    try:
        page.goto(f"{server}/{DEMO}")
        wait_until_idle(page)
        # the sidebar starts folded away: the computation has the screen
        assert page.get_by_test_id("stSidebar").get_attribute("data-collapsed") == "true"
        step = page.get_by_role("button", name=EN["steps.step"])
        box = step.bounding_box()
        assert box["y"] + box["height"] <= height  # the transport is on the first screen, without scrolling
        assert box["height"] >= 50
        title_px = page.locator("h1").first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
        text_px = page.get_by_text(EN["steps.intro"][:30]).first.evaluate(
            "e => parseFloat(getComputedStyle(e).fontSize)"
        )
        assert title_px >= 50 and text_px >= 20
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"presenter-steps-{width}x{height}.png"  # what the room sees, before any scrolling
        page.screenshot(path=str(path))
        assert path.stat().st_size > 10_000
        step.click()  # the demo goes on: one more statement
        wait_until_idle(page)
        page.wait_for_function("() => new URLSearchParams(location.search).get('step') === '2'")
    finally:
        context.close()


def test_a_copied_link_opens_the_same_view(server, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    try:
        page.goto(f"{server}/steps?x=3,4&step=0&seed=5&dtype=float64")
        wait_until_idle(page)
        page.get_by_role("button", name=EN["steps.step"]).click()
        wait_until_idle(page)
        sidebar = page.get_by_test_id("stSidebar")
        link_box = sidebar.get_by_test_id("stCode").last
        link_box.hover()
        link_box.get_by_role("button").first.click()  # Streamlit's own copy button
        copied = page.evaluate("() => navigator.clipboard.readText()")
        assert copied == link_box.inner_text().strip()
        assert copied.startswith(f"{server}/steps?") and "step=1" in copied and "dtype=float64" in copied
        view = [block.inner_text() for block in page.get_by_test_id("stMain").get_by_test_id("stCode").all()]
    finally:
        context.close()

    fresh = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    again = fresh.new_page()
    try:
        again.goto(copied)
        wait_until_idle(again)
        reopened = [block.inner_text() for block in again.get_by_test_id("stMain").get_by_test_id("stCode").all()]
        assert reopened == view
        assert again.get_by_text(EN["steps.progress"].format(done=1, total=2)).count() == 1
    finally:
        fresh.close()


# what a projector shows without scrolling
QUICK = {"loops": "&sizes=10,100,1000&budget=0.05", "grad-modes": "&size=1000"}
# every text Plotly draws for ticks, legends, axis titles and node labels (SVG: sized by the figure, not by CSS)
CHART_TEXT = ", ".join(
    f"[data-testid='stMain'] [data-testid='stPlotlyChart'] {part}"
    for part in (
        "g.xtick text",
        "g.ytick text",
        "text.legendtext",
        "g.g-xtitle text",
        "g.g-ytitle text",
        "g.textpoint text",
    )
)


def open_presenting(page, server, path: str) -> None:
    page.goto(f"{server}/{path}?presenter=1{QUICK.get(path, '')}")
    wait_until_idle(page, 120_000)


def on_first_screen(locator) -> bool:
    box = locator.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= FIRST_SCREEN["height"]


def test_the_steps_open_at_the_start_and_step_shows_its_value_on_the_first_screen(server, projector):
    open_presenting(projector, server, "steps")
    assert projector.evaluate("() => new URLSearchParams(location.search).get('step')") == "0"
    step = projector.get_by_role("button", name=EN["steps.step"])
    assert step.is_enabled()
    step.click()
    wait_until_idle(projector)
    projector.wait_for_function("() => new URLSearchParams(location.search).get('step') === '1'")
    value = projector.get_by_test_id("stMain").get_by_test_id("stCode").first
    assert value.inner_text().strip() == "tensor([ 7.,  9., 11.])"  # y = x * 2 + 5, just computed
    assert on_first_screen(value) and on_first_screen(step)


def key_elements(page, path: str) -> list:
    """Each page's key chart or metric: what the room must see without scrolling."""
    main = page.get_by_test_id("stMain")
    if path == "":  # the lesson's example printed live
        return [main.get_by_test_id("stCode").filter(has_text="tensor([ 39.,  71., 111.])").first]
    if path == "steps":
        page.get_by_role("button", name=EN["steps.step"]).click()
        wait_until_idle(page)
        return [main.get_by_test_id("stCode").first]
    if path == "autograd":  # the recorded graph
        return [main.get_by_test_id("stPlotlyChart").first]
    if path == "loops":  # time per call and the speedup
        return [main.get_by_test_id("stPlotlyChart").nth(0), main.get_by_test_id("stPlotlyChart").nth(1)]
    if path in {"grad-modes", "compiled"}:  # what no_grad saves; graphs captured and graph breaks
        return [main.get_by_test_id("stMetric").nth(i) for i in range(3)]
    return [main.get_by_test_id("stCode").nth(0), main.get_by_test_id("stCode").nth(1)]  # pitfalls: mistake, result


CHARTED = {"autograd", "loops", "grad-modes"}  # the pages whose first screen holds charts and a table


def chart_and_table_text_sizes(page) -> tuple[list[float], list[float]]:
    """The font size of every chart text, and of every plain table cell."""
    charts = page.evaluate(
        f"() => [...document.querySelectorAll({CHART_TEXT!r})].map(t => parseFloat(getComputedStyle(t).fontSize))"
    )
    cells = page.evaluate(
        "() => [...document.querySelectorAll(\"[data-testid='stMain'] [data-testid='stTable'] td\")]"
        ".map(td => parseFloat(getComputedStyle(td).fontSize))"
    )
    return charts, cells


@pytest.mark.parametrize("path", PRESENTED_FOR_THEIR_KEY_ELEMENT)
def test_each_pages_key_chart_or_metric_is_on_the_first_screen_and_the_page_reads_whole(server, projector, path):
    """One load per page, read three ways: its key chart or metric on the first screen; where it has charts, their
    text is 20 px and its tables large (the theme's own sizes were 11-12 px); then, every expander open, no code
    block scrolls sideways and axe-core finds nothing grave (test_browser_layout's checks, on this load)."""
    open_presenting(projector, server, path)
    try:
        sizes = chart_and_table_text_sizes(projector) if path in CHARTED else None
        elements = key_elements(projector, path)
        on_screen = [on_first_screen(element) for element in elements]
        blocks, cut, violations = whole_with_expanders_open(projector)
    finally:
        projector.goto("about:blank")  # leave nothing running for the next view
    if sizes is not None:
        charts, cells = sizes
        assert len(charts) >= 5 and min(charts) >= 20
        assert cells and min(cells) >= 20
    assert on_screen == [True] * len(elements)
    assert blocks and cut == [] and violations == [], (cut, violations)


def test_what_a_presenter_types_is_as_large_as_the_text(server, browser):
    """A challenge's program box kept Streamlit's 14 px while presenting: unreadable from the back of a room."""
    context = browser.new_context(viewport={"width": 1280, "height": 720}, locale="en-US")
    page = context.new_page()
    try:
        page.goto(f"{server}/challenges?presenter=1&challenge=autograd-scalar")
        wait_until_idle(page)
        box = page.get_by_test_id("stMain").locator("textarea").first
        box_px = box.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
        text_px = (
            page.get_by_test_id("stMain").locator("p").first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
        )
    finally:
        context.close()
    assert box_px >= 19 and text_px >= 20
