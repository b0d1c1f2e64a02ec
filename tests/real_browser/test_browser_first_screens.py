"""Presenter first screens at 1280×720 in a real chromium: each page's story is above the fold, not two paragraphs."""

from __future__ import annotations

import pytest

from core.home.lesson import LESSON_CLAIM
from dashboard.i18n import catalog
from tests.browser import FIRST_SCREEN, wait_until_idle

pytestmark = pytest.mark.browser

playwright = pytest.importorskip("playwright.sync_api")
EN = catalog("en")


def within_first_screen(locator) -> bool:
    box = locator.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= FIRST_SCREEN["height"]


def test_home_opens_on_its_punchline_the_lessons_printed_line_is_wrong(server, projector):
    projector.goto(f"{server}/?presenter=1")
    wait_until_idle(projector, 120_000)
    main = projector.get_by_test_id("stMain")
    punchline = main.get_by_test_id("stAlert").filter(has_text="The lesson's comment is wrong.").first
    printed = main.get_by_test_id("stCode").filter(has_text="tensor([ 39.,  71., 111.])").first
    assert LESSON_CLAIM not in printed.inner_text()
    assert within_first_screen(punchline) and within_first_screen(printed)


def test_compiled_opens_on_the_program_and_its_example_and_loading_it_keeps_the_view_at_the_top(server, projector):
    projector.goto(f"{server}/compiled?presenter=1")
    wait_until_idle(projector, 120_000)
    main = projector.get_by_test_id("stMain")
    program = main.get_by_test_id("stCode").filter(has_text="y = x * 2 + 5").first
    load = projector.get_by_role("button", name=EN["compiled.load_example"])
    assert within_first_screen(program) and within_first_screen(load)
    load.click()
    wait_until_idle(projector, 120_000)
    projector.wait_for_function("() => new URLSearchParams(location.search).get('program')?.includes('if')")
    wait_until_idle(projector, 120_000)
    branch = main.get_by_test_id("stCode").filter(has_text="if y.sum() > 0:").first
    assert within_first_screen(branch)


CUT = """() => [...document.querySelectorAll("[data-testid='stMain'] [data-testid='stMetricValue'] div")]
    .filter(d => d.scrollWidth > d.clientWidth + 1).map(d => d.innerText)"""


def test_homes_environment_cuts_nothing_the_platform_wraps(server, projector):
    """The platform ("Linux-6.1.0-…-x86_64-with-glibc2.36") was a metric cut to "Linux-6.1…"."""
    import platform

    projector.goto(f"{server}/?presenter=0")
    wait_until_idle(projector, 120_000)
    assert projector.evaluate(CUT) == []
    shown = projector.get_by_test_id("stMain").get_by_text(platform.platform()).first
    box = shown.bounding_box()
    assert box is not None and box["x"] + box["width"] <= FIRST_SCREEN["width"]
