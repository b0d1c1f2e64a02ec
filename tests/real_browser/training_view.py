"""The training page as a browser sees it, for the Play and Pause test and bench/pause_delay.py: start playing, and
read where the run is in the three places the learner sees it."""

from __future__ import annotations

import re

from dashboard.i18n import catalog
from tests.browser import wait_until_idle

EN = catalog("en")
STEP_CAPTION = re.compile(r"^Step ([\d,]+) \(epoch")


def start_playing(page, base: str, first_chunk_ms: float) -> None:
    """Open /train?seed=0, press Play, and wait until the first chunk has trained (the slow lane runs at nice 19: on
    a busy machine it can wait)."""
    page.goto(f"{base}/train?seed=0")
    wait_until_idle(page)
    page.get_by_role("button", name=EN["train.play"]).click()
    page.wait_for_function(
        "() => Number(new URLSearchParams(location.search).get('steps')) > 0", timeout=first_chunk_ms
    )


def where_the_run_is(page) -> tuple[int, int, int]:
    """(caption's step, step metric, URL's steps) as the learner sees them."""
    caption = page.get_by_text(STEP_CAPTION).first.inner_text()
    metric = page.get_by_test_id("stMetricValue").first.inner_text()
    url = page.evaluate("() => new URLSearchParams(location.search).get('steps')")
    return tuple(int(text.replace(",", "")) for text in (STEP_CAPTION.match(caption).group(1), metric, url))
