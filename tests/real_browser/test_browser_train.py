"""The training page's Play and Pause in a real chromium: Pause stops at the step on screen, where the caption, the
step metric and the URL agree, nothing trains on after it, and One step then adds exactly one."""

from __future__ import annotations

import pytest

from tests.browser import wait_until_idle
from tests.real_browser.training_view import EN, start_playing, where_the_run_is

pytestmark = pytest.mark.browser

playwright = pytest.importorskip("playwright.sync_api")


def test_pause_stops_at_the_step_on_screen_and_one_step_adds_one(server, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US", reduced_motion="reduce")
    page = context.new_page()
    try:
        start_playing(page, server, first_chunk_ms=60_000)
        page.wait_for_timeout(2_000)  # a few ticks
        page.get_by_role("button", name=EN["train.pause"]).click()
        page.get_by_role("button", name=EN["train.play"]).wait_for(timeout=60_000)
        wait_until_idle(page)
        caption, metric, url = where_the_run_is(page)
        assert caption == metric == url > 0
        page.wait_for_timeout(1_500)  # no chunk keeps training after the pause
        assert where_the_run_is(page) == (caption, caption, caption)
        page.get_by_role("button", name=EN["train.one_step"]).click()
        page.wait_for_function(
            f"() => new URLSearchParams(location.search).get('steps') === '{caption + 1}'", timeout=60_000
        )
        wait_until_idle(page)
        assert where_the_run_is(page) == (caption + 1,) * 3
    finally:
        context.close()
