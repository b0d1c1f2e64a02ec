"""The training page's Play and Pause in a real chromium: Pause stops at the step on screen, where the caption, the
step metric and the URL agree, nothing trains on after it, and One step then adds exactly one."""

from __future__ import annotations

import re

import pytest

from dashboard.i18n import catalog
from tests.browser import wait_until_idle

pytestmark = pytest.mark.browser

playwright = pytest.importorskip("playwright.sync_api")

EN = catalog("en")
STEP_CAPTION = re.compile(r"^Step ([\d,]+) \(epoch")


def _where(page) -> tuple[int, int, int]:
    """(caption's step, step metric, URL's steps) as the learner sees them."""
    caption = page.get_by_text(STEP_CAPTION).first.inner_text()
    metric = page.get_by_test_id("stMetricValue").first.inner_text()
    url = page.evaluate("() => new URLSearchParams(location.search).get('steps')")
    return tuple(int(text.replace(",", "")) for text in (STEP_CAPTION.match(caption).group(1), metric, url))


def test_pause_stops_at_the_step_on_screen_and_one_step_adds_one(server, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US", reduced_motion="reduce")
    page = context.new_page()
    try:
        page.goto(f"{server}/train?seed=0")
        wait_until_idle(page)
        page.get_by_role("button", name=EN["train.play"]).click()
        page.wait_for_function("() => Number(new URLSearchParams(location.search).get('steps')) > 0", timeout=60_000)
        page.wait_for_timeout(2_000)  # a few ticks
        page.get_by_role("button", name=EN["train.pause"]).click()
        page.get_by_role("button", name=EN["train.play"]).wait_for(timeout=60_000)
        wait_until_idle(page)
        caption, metric, url = _where(page)
        assert caption == metric == url > 0
        page.wait_for_timeout(1_500)  # no chunk keeps training after the pause
        assert _where(page) == (caption, caption, caption)
        page.get_by_role("button", name=EN["train.one_step"]).click()
        page.wait_for_function(
            f"() => new URLSearchParams(location.search).get('steps') === '{caption + 1}'", timeout=60_000
        )
        wait_until_idle(page)
        assert _where(page) == (caption + 1,) * 3
    finally:
        context.close()
