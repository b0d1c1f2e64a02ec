"""A class at once, in real browsers: eight sessions pressing "Measure again" on the pitfalls page for 30 s.

Half open the case that once crashed the server (bad_fix: its demo prints w.grad, which is x), half the loop
case (a fresh measurement per press). Every session types its own x, so its printed outputs are its own:
each rerun must show them, and never another session's. Meanwhile /_stcore/health must answer within 1 s in at
least 95 % of its polls (Streamlit's post-run full collection once stalled it for seconds: runner.postScriptGC).
"""

from __future__ import annotations

import asyncio
import time
import urllib.request

import pytest

from core.cases import run_demos
from core.pitfalls.mistakes import PITFALLS
from core.settings import Settings
from core.tensors import InputSpec
from tests.browser import CHROMIUM, CHROMIUM_ARGS, IDLE, HealthPoller

pytestmark = [pytest.mark.browser, pytest.mark.serial]  # eight browsers: the machine's whole load
SESSIONS = 8
DURATION_S = 30
TIMEOUT_MS = 120_000
CASES = ("unnecessary_loop",)  # the pitfall that measures: Measure again shows only where something is timed
HEALTH_WITHIN_S = 1.0
HEALTH_ANSWERED = 0.95
NO_PLACEHOLDER = "() => !document.querySelector(\"[data-testid='stSkeleton'], [data-testid='stSkeletonElement']\")"


def typed_x(index: int) -> str:
    return f"{index}.5, {index + 1}, {index + 2}"


def printed_outputs(case: str, index: int) -> set[str]:
    """What the case's demos print or return for this session's x, computed here with PyTorch directly."""
    pitfall = next(p for p in PITFALLS if p.case.key == case)
    demos = run_demos((pitfall.case.broken, pitfall.case.fixed), InputSpec(values=typed_x(index), n=0), Settings())
    return {text for o in demos.outcomes for text in (o.printed, o.returned) if text}


async def settled(page) -> None:
    await page.wait_for_selector(IDLE, timeout=TIMEOUT_MS)
    await page.wait_for_function(NO_PLACEHOLDER, timeout=TIMEOUT_MS)
    await page.wait_for_timeout(200)
    await page.wait_for_selector(IDLE, timeout=TIMEOUT_MS)


async def session(browser, base: str, index: int, outputs: dict[int, set[str]], deadline: float) -> dict:
    case = CASES[index % len(CASES)]
    mine = outputs[index]
    others = set().union(*(o for i, o in outputs.items() if i != index)) - mine
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    report = {"reruns": 0, "missing": 0, "foreign": 0, "errors": 0}
    try:
        await page.goto(f"{base}/pitfalls?case={case}&x={typed_x(index)}")
        while True:
            await settled(page)
            shown = set(await page.locator("[data-testid='stCode'] code").all_inner_texts())
            report["missing"] += not mine <= shown
            report["foreign"] += bool(others & shown)
            report["errors"] += await page.get_by_test_id("stException").count()
            report["errors"] += await page.get_by_test_id("stAlertContentError").count()
            if time.monotonic() > deadline:
                return report
            await page.get_by_role("button", name="Measure again").click()
            report["reruns"] += 1
    finally:
        await context.close()


async def drive(base: str, outputs: dict[int, set[str]]) -> list[dict]:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            deadline = time.monotonic() + DURATION_S
            return await asyncio.gather(*(session(browser, base, i, outputs, deadline) for i in range(SESSIONS)))
        finally:
            await browser.close()


def test_eight_sessions_measuring_again_for_thirty_seconds(server):
    outputs = {i: printed_outputs(CASES[i % len(CASES)], i) for i in range(SESSIONS)}
    assert all(outputs.values()) and len({frozenset(o) for o in outputs.values()}) == SESSIONS  # each its own
    health = HealthPoller(server, within_s=HEALTH_WITHIN_S)
    health.start()
    try:
        reports = asyncio.run(drive(server, outputs))
    finally:
        health.stop.set()
        health.join()
    assert health.checks >= DURATION_S and health.answered >= HEALTH_ANSWERED, (health.checks, health.failures)
    with urllib.request.urlopen(f"{server}/_stcore/health", timeout=5) as response:
        assert response.read().strip() == b"ok"  # still alive afterwards
    assert all(r["reruns"] >= 1 for r in reports), reports
    assert sum(r["missing"] + r["foreign"] + r["errors"] for r in reports) == 0, reports
