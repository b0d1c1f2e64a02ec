"""A learner solves every challenge in a real chromium, in English and Spanish, as they would: picks it, answers the
typical wrong way and reads the feedback that says why, then answers right and reads that PyTorch agrees; the link
keeps what was solved. One load per language: each challenge is picked on the page."""

from __future__ import annotations

import pytest

from core.challenges.catalog import CHALLENGES
from core.grad_modes.modes import MODES
from dashboard.i18n import catalog
from tests.browser import wait_until_idle
from tests.challenges.answers import WRONG, sentence

pytestmark = pytest.mark.browser

playwright = pytest.importorskip("playwright.sync_api")
GRADING_MS = 180_000  # a training or compiling check on a busy machine
# what a wrong answer's feedback must also show: PyTorch's own value beside the lesson's printed line
BESIDE = {"predict-lesson": ("39", "71", "111")}


@pytest.fixture(scope="module")
def tab(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 720}, locale="en-US", reduced_motion="reduce")
    yield context.new_page()
    context.close()


def pick(tab, texts: dict[str, str], challenge) -> None:
    """Open the picker, type the challenge's title, choose it."""
    tab.get_by_test_id("stSelectbox").filter(has_text=texts["challenges.pick"]).click()
    tab.keyboard.type(texts[challenge.title])
    tab.get_by_role("option").filter(has_text=texts[challenge.title]).first.click()
    tab.wait_for_function(f"() => new URLSearchParams(location.search).get('challenge') === '{challenge.id}'")
    wait_until_idle(tab, GRADING_MS)


def answer(tab, texts: dict[str, str], challenge, text: str, options: tuple[str, ...]) -> str:
    """Type or choose the answer, set the switches, press Check; what the page says back. Typed text is not
    submitted on its own first: pressing Check takes it (the box loses focus), as for a learner who types and
    clicks, in one rerun."""
    main = tab.get_by_test_id("stMain")
    if challenge.answer == "tensor":
        main.get_by_label(texts["challenges.answer.tensor"]).fill(text)
    elif challenge.answer == "choice":
        fix = f"{texts.get(f'challenges.{challenge.id}.choice.{text}')} ({text})"  # a fix reads "its words (b)"
        label = fix if challenge.check == "inplace" else text
        main.get_by_role("radio", name=label, exact=True).check(force=True)
    else:
        main.get_by_label(texts["challenges.answer.program"]).fill(text)
        for option in challenge.options:
            name = texts[f"challenges.option.{option}"]
            if option in MODES:
                if option in options:
                    main.get_by_role("radio", name=name, exact=True).check(force=True)
            else:
                main.get_by_role("checkbox", name=name, exact=True).set_checked(option in options, force=True)
    wait_until_idle(tab, GRADING_MS)
    main.get_by_role("button", name=texts["challenges.check_button"]).click()
    wait_until_idle(tab, GRADING_MS)
    return main.inner_text()


@pytest.mark.parametrize("lang", ["en", "es"])
def test_every_challenge_fails_the_typical_wrong_way_and_passes_with_its_solution(tab, server, lang):
    texts = catalog(lang)
    passed, wrong = sentence(lang, "passed"), []
    try:
        tab.goto(f"{server}/challenges?lang={lang}")
        wait_until_idle(tab, GRADING_MS)
        for challenge in CHALLENGES:
            pick(tab, texts, challenge)
            text, options, feedback = WRONG[challenge.id]
            shown = answer(tab, texts, challenge, challenge.start if text is None else text, options)
            beside = all(value in shown for value in BESIDE.get(challenge.id, ()))
            if sentence(lang, feedback) not in shown or not beside or passed in shown or "Traceback" in shown:
                wrong.append((challenge.id, "wrong answer", shown[-600:]))
            shown = answer(tab, texts, challenge, challenge.solution, challenge.solution_options)
            noisy = challenge.check == "vectorize" and sentence(lang, "noisy") in shown  # never graded, says so
            if not noisy and passed not in shown:
                wrong.append((challenge.id, "solution", shown[-600:]))
        solved = tab.evaluate("() => new URLSearchParams(location.search).get('solved') ?? ''").split(",")
    finally:
        tab.goto("about:blank")
    assert wrong == []
    assert set(solved) >= {c.id for c in CHALLENGES} - {"vectorize-loop"}
