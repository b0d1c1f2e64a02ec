"""The running app in a real chromium: the home page's live output, the language switch, and a screenshot."""

from __future__ import annotations

import pytest
import torch

from dashboard.i18n import catalog
from tests.browser import ARTIFACTS, wait_until_idle

pytestmark = pytest.mark.browser

playwright = pytest.importorskip("playwright.sync_api")


def code_blocks(page) -> list[str]:
    return [block.inner_text() for block in page.get_by_test_id("stCode").all()]


@pytest.fixture(scope="module")
def page(browser):
    """One tab for the module: each test opens its own URL (a new document and session); a new tab per test
    would double chromium's CPU."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US", reduced_motion="reduce")
    tab = context.new_page()
    yield tab
    context.close()


def test_home_renders_the_real_output_of_the_example(server, page):
    page.goto(server)
    wait_until_idle(page)
    x = torch.tensor([1.0, 2.0, 3.0])
    expected = str((x * 2 + 5) ** 2 - 10)
    assert expected in code_blocks(page)
    assert page.locator("h1").first.inner_text() == catalog("en")["home.title"]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "home-en.png"), full_page=True)
    assert (ARTIFACTS / "home-en.png").stat().st_size > 10_000


def test_switching_the_language_changes_the_text_and_the_url(server, page):
    page.goto(server)
    wait_until_idle(page)
    page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").first.click()
    page.get_by_role("option", name="Español").click()
    wait_until_idle(page)
    page.wait_for_function("() => new URLSearchParams(location.search).get('lang') === 'es'")
    assert page.locator("h1").first.inner_text() == catalog("es")["home.title"]
    page.screenshot(path=str(ARTIFACTS / "home-es.png"), full_page=True)


def test_settings_survive_a_reload_of_the_url(server, page):
    page.goto(f"{server}/?lang=es&device=cpu&dtype=float64&seed=7")
    wait_until_idle(page)
    page.reload()
    wait_until_idle(page)
    assert page.locator("h1").first.inner_text() == catalog("es")["home.title"]
    x = torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64)
    assert str((x * 2 + 5) ** 2 - 10) in code_blocks(page)
    params = page.evaluate("() => Object.fromEntries(new URLSearchParams(location.search))")
    assert params["dtype"] == "float64" and params["seed"] == "7" and params["lang"] == "es"


def test_the_steps_page_keeps_settings_when_navigating(server, page):
    page.goto(f"{server}/?lang=es&dtype=float64")
    wait_until_idle(page)
    page.get_by_test_id("stSidebarNav").get_by_text(catalog("es")["page.steps"]).click()
    wait_until_idle(page)
    page.wait_for_function("() => location.pathname.endsWith('/steps')")
    assert page.locator("h1").first.inner_text() == catalog("es")["steps.title"]
    params = page.evaluate("() => Object.fromEntries(new URLSearchParams(location.search))")
    assert params["dtype"] == "float64" and params["lang"] == "es" and params["x"] == "1, 2, 3"
    x = torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64)
    assert str(x * 2 + 5) in code_blocks(page) and str((x * 2 + 5) ** 2 - 10) in code_blocks(page)
    page.screenshot(path=str(ARTIFACTS / "steps-es.png"), full_page=True)


def test_the_autograd_page_draws_the_recorded_graph(server, page):
    page.goto(f"{server}/autograd?x=1,2,3&backward=1")
    wait_until_idle(page)
    charts = page.get_by_test_id("stPlotlyChart")
    assert charts.count() >= 3  # the graph, x's gradient, backward step by step
    assert page.locator(".js-plotly-plot").first.is_visible()
    assert str(4 * (2 * torch.tensor([1.0, 2.0, 3.0]) + 5)) in code_blocks(page)
    page.screenshot(path=str(ARTIFACTS / "autograd-en.png"), full_page=True)


@pytest.mark.parametrize(
    ("path", "charts"),
    [("loops?sizes=10,100&budget=0.05&profile=1", 6), ("grad-modes?size=1000", 4), ("pitfalls?case=bad_fix", 0)],
)
def test_the_measuring_pages_render_without_errors(server, page, path, charts):
    page.goto(f"{server}/{path}")
    wait_until_idle(page)
    assert page.get_by_test_id("stException").count() == 0
    assert page.get_by_test_id("stPlotlyChart").count() == charts
    assert page.locator("h1").first.is_visible()
