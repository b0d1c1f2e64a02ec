"""A learner solves a challenge in a real chromium, in English and Spanish: the lesson's printed line is refused with
the difference beside PyTorch's value, PyTorch's own line passes and is kept in the link."""

from __future__ import annotations

import pytest

from dashboard.i18n import catalog
from tests.browser import wait_until_idle

pytestmark = pytest.mark.browser

playwright = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def tab(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 720}, locale="en-US", reduced_motion="reduce")
    yield context.new_page()
    context.close()


def check(tab, texts: dict[str, str], answer: str) -> str:
    """Type `answer` as the printed tensor, press Check, and read what the page says back."""
    box = tab.get_by_label(texts["challenges.answer.tensor"])
    box.fill(answer)
    box.press("Enter")
    wait_until_idle(tab)
    tab.get_by_role("button", name=texts["challenges.check_button"]).click()
    wait_until_idle(tab, 120_000)
    return tab.get_by_test_id("stMain").inner_text()


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_lessons_printed_line_fails_and_pytorchs_passes(tab, server, lang):
    texts = catalog(lang)
    try:
        tab.goto(f"{server}/challenges?lang={lang}&challenge=predict-lesson")
        wait_until_idle(tab, 120_000)
        wrong = check(tab, texts, "tensor([9., 47., 135.])")
        assert texts["challenges.feedback.wrong_value"].split("{")[0].strip() in wrong
        assert "39" in wrong and "71" in wrong and "111" in wrong  # PyTorch's own value beside the learner's
        assert texts["challenges.feedback.passed"] not in wrong
        right = check(tab, texts, "tensor([ 39.,  71., 111.])")
        assert texts["challenges.feedback.passed"] in right
        solved = tab.evaluate("() => new URLSearchParams(location.search).get('solved')")
        assert solved == "predict-lesson"
    finally:
        tab.goto("about:blank")
