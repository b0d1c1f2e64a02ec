"""How long does Pause take to act on the training page? Measured in a real chromium, as a learner clicks it.

For each of `--runs` tries (3 by default): a fresh tab opens /train?seed=0, clicks Play, lets it train for `--play`
seconds (6 by default: issue #24 played 10 s, where a run now reaches its last step), then clicks Pause. In the page
a MutationObserver notes the moment the shown step (the step metric) last changes; the figure is that moment minus
the click's, once the step has not changed for `--settle` seconds. The click is the mouse's at the button's centre,
as a learner's. Also printed: when its pointerdown reached the page (after the task the tab was running), when
the Play button came back (the page's own answer to the click), and whether the caption, the metric and the URL
agree on the step where it stopped. Prints the medians.
The app runs in its own server (tests.browser.streamlit_server), the browser is the system chromium with the test
suite's flags. No test asserts these times: they depend on the machine (see docs/performance.md).
Run with `.venv/bin/python bench/pause_delay.py [--runs 3] [--play 6] [--settle 3]`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser import chromium_browser, streamlit_server, wait_until_idle  # noqa: E402
from tests.real_browser.training_view import EN, start_playing, where_the_run_is  # noqa: E402

WATCH = """() => {
  const shown = () => document.querySelector("[data-testid='stMetricValue']")?.innerText ?? "";
  window.__step = shown();
  window.__changed = performance.now();
  window.__arrived = null;
  document.addEventListener("pointerdown", () => { window.__arrived ??= performance.now(); }, true);
  new MutationObserver(() => {
    const now = shown();
    if (now !== window.__step) { window.__step = now; window.__changed = performance.now(); }
  }).observe(document.body, {subtree: true, childList: true, characterData: true});
}"""


def one_try(browser, base: str, play_s: float, settle_s: float) -> dict[str, float | bool]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US", reduced_motion="reduce")
    page = context.new_page()
    try:
        start_playing(page, base, first_chunk_ms=240_000)
        page.wait_for_timeout(play_s * 1000)
        page.evaluate(WATCH)
        box = page.get_by_role("button", name=EN["train.pause"]).bounding_box()
        clicked = page.evaluate("() => performance.now()")
        # the mouse, as a learner's: Locator.click first waits until the button is stable, which a tab busy drawing
        # makes slow, while a real click waits only for the task the tab is running
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.get_by_role("button", name=EN["train.play"]).wait_for(timeout=120_000)
        play_back = page.evaluate("() => performance.now()")
        # settled: the shown step has not changed for settle_s seconds
        page.wait_for_function(f"() => performance.now() - window.__changed > {settle_s * 1000}", timeout=120_000)
        changed = page.evaluate("() => window.__changed")
        arrived = page.evaluate("() => window.__arrived")
        wait_until_idle(page)
        steps = set(where_the_run_is(page))
        return {
            "stops_s": max(0.0, changed - clicked) / 1000,
            "arrived_s": (arrived - clicked) / 1000,
            "play_back_s": (play_back - clicked) / 1000,
            "step": min(steps),
            "agree": len(steps) == 1,
        }
    finally:
        context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--play", type=float, default=6.0, help="seconds of Play before Pause")
    parser.add_argument("--settle", type=float, default=3.0, help="seconds without a change that count as stopped")
    args = parser.parse_args()
    tries = []
    started = time.perf_counter()
    with streamlit_server() as base, chromium_browser() as browser:
        for number in range(1, args.runs + 1):
            result = one_try(browser, base, args.play, args.settle)
            tries.append(result)
            print(
                f"try {number}: the click reaches the page after {result['arrived_s']:.2f} s; "
                f"shown step stops changing {result['stops_s']:.2f} s after the click, Play button back "
                f"after {result['play_back_s']:.2f} s, stopped at step {result['step']:,} "
                f"(caption, metric and URL {'agree' if result['agree'] else 'DISAGREE'})"
            )
    stops = statistics.median(r["stops_s"] for r in tries)
    back = statistics.median(r["play_back_s"] for r in tries)
    arrived = statistics.median(r["arrived_s"] for r in tries)
    print(f"\nmedian of {len(tries)} after {args.play:g} s of Play: the click reaches the page after {arrived:.2f} s")
    print(f"the shown step stops {stops:.2f} s after Pause;")
    print(f"the Play button is back after {back:.2f} s. ({time.perf_counter() - started:.0f} s in all)")
    print("load average (1, 5, 15 min) at the end: " + ", ".join(f"{load:.1f}" for load in os.getloadavg()))


if __name__ == "__main__":
    main()
