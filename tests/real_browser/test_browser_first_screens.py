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


CUT_LABELS = """() => [...document.querySelectorAll("[data-testid='stMain'] [data-testid='stMetricLabel'] *")]
    .filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.innerText)"""


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("presenter", ["0", "1"])
def test_the_loops_headline_labels_are_not_cut(server, projector, lang, presenter):
    """ "Vectorized vs loop over Python floats at n = 10,000" was cut to "…Python floats at n =…"."""
    projector.goto(f"{server}/loops?lang={lang}&presenter={presenter}&sizes=10,1000&budget=0.05")
    wait_until_idle(projector, 120_000)
    assert projector.get_by_test_id("stMetricLabel").count() >= 3
    assert projector.evaluate(CUT_LABELS) == []


# the decision boundary's chart: how far down its top lies, and its height
BOUNDARY = """(title) => [...document.querySelectorAll("[data-testid='stMain'] [data-testid='stPlotlyChart']")]
    .filter(c => c.querySelector(".gtitle")?.textContent === title)
    .map(c => ({top: c.getBoundingClientRect().top, height: c.getBoundingClientRect().height}))"""


@pytest.mark.parametrize("lang", ["en", "es"])
def test_training_opens_with_most_of_its_decision_boundary_on_the_first_screen(server, projector, lang):
    """The intro and the folded controls above the transport and metrics pushed the boundary below the fold (its top
    at 582 of 720 px, 138 of its 644 px shown)."""
    projector.goto(f"{server}/train?presenter=1&lang={lang}")
    wait_until_idle(projector, 120_000)
    try:
        (chart,) = projector.evaluate(BOUNDARY, catalog(lang)["train.chart.boundary_title"])
    finally:
        projector.goto("about:blank")
    shown = FIRST_SCREEN["height"] - chart["top"]
    assert 0 <= chart["top"] < FIRST_SCREEN["height"] and shown >= 0.6 * chart["height"], chart  # most of it
