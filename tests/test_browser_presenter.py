"""Presenter mode and shared links in a real chromium: legible on a projector; a copied link reopens the view."""

from __future__ import annotations

import pytest

from dashboard.i18n import catalog
from tests.browser import ARTIFACTS, wait_until_idle

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
