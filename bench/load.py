"""Classroom load: K concurrent real browser sessions against one server, each running a measurement.

Starts one Streamlit server on 127.0.0.1, then for each round opens K fresh browser sessions at once on a
measuring page (the pitfalls page's loop case, with a per-session seed so every session really measures),
waits until each page is idle and complete, and checks that none shows an error. Meanwhile
/_stcore/health is polled.
Prints: sessions completed without error, p50/p95 seconds to a finished page, whether health stayed OK,
and the server's resident memory before and after the rounds. Traffic goes only to 127.0.0.1; the script
stops by itself.

    .venv/bin/python bench/load.py --sessions 8 --rounds 50
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser import CHROMIUM, CHROMIUM_ARGS, IDLE, HealthPoller, server_pid, streamlit_server  # noqa: E402

# The pitfalls page's loop case times the lesson's loop against its fix with the engine, per seed, and draws
# no chart: the browsers (which share this machine's cores with the server) stay light.
PAGE = "pitfalls?case=unnecessary_loop&seed={seed}"
FINISHED = "[data-testid='stMetric']"
NO_PLACEHOLDER = "() => !document.querySelector(\"[data-testid='stSkeleton'], [data-testid='stSkeletonElement']\")"


def resident_bytes(pid: int) -> int:
    with open(f"/proc/{pid}/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time the process has used (from /proc/<pid>/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def one_session(browser, url: str, timeout_ms: float) -> tuple[float, bool]:
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    start = time.perf_counter()
    try:
        await page.goto(url)
        await page.wait_for_selector(IDLE, timeout=timeout_ms)
        await page.wait_for_function(NO_PLACEHOLDER, timeout=timeout_ms)
        await page.wait_for_selector(FINISHED, timeout=timeout_ms)
        await page.wait_for_selector(IDLE, timeout=timeout_ms)
        elapsed = time.perf_counter() - start
        errors = (
            await page.get_by_test_id("stException").count() + await page.get_by_test_id("stAlertContentError").count()
        )
        return elapsed, errors == 0
    except Exception:  # noqa: BLE001 - a session that times out or breaks counts as failed
        return time.perf_counter() - start, False
    finally:
        await context.close()


async def drive(base: str, sessions: int, rounds: int, timeout_s: float) -> tuple[list[float], int, int]:
    from playwright.async_api import async_playwright

    times, completed, failed = [], 0, 0
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        seed = 0
        for _ in range(rounds):
            urls = []
            for _ in range(sessions):
                seed += 1
                urls.append(f"{base}/{PAGE.format(seed=seed)}")
            results = await asyncio.gather(*(one_session(browser, url, timeout_s * 1000) for url in urls))
            for elapsed, ok in results:
                times.append(elapsed)
                completed += ok
                failed += not ok
        await browser.close()
    return times, completed, failed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=8, help="concurrent browser sessions per round (K)")
    parser.add_argument("--rounds", type=int, default=50, help="rounds of K sessions")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds one session may take")
    args = parser.parse_args()
    with streamlit_server() as base:
        pid = server_pid(int(base.rsplit(":", 1)[1]))
        health = HealthPoller(base)
        health.start()
        warm = asyncio.run(drive(base, 1, 1, args.timeout))  # the server's first run imports torch
        before, cpu_before, wall_before = resident_bytes(pid), cpu_seconds(pid), time.perf_counter()
        times, completed, failed = asyncio.run(drive(base, args.sessions, args.rounds, args.timeout))
        after, server_cpu, wall = resident_bytes(pid), cpu_seconds(pid) - cpu_before, time.perf_counter() - wall_before
        health.stop.set()
        health.join()
    quantiles = statistics.quantiles(times, n=20, method="inclusive")
    print(f"K={args.sessions} sessions x {args.rounds} rounds on {PAGE.split('?')[0]} (warm-up {warm[0][0]:.1f} s)")
    print(f"completed without error: {completed}/{completed + failed}")
    print(
        f"time to a finished page: p50 {statistics.median(times):.2f} s, p95 {quantiles[18]:.2f} s, "
        f"max {max(times):.2f} s"
    )
    print(f"health: {health.checks - health.failures}/{health.checks} checks OK")
    print(
        f"server resident memory: {before / 2**20:.0f} MiB before, {after / 2**20:.0f} MiB after "
        f"({(after - before) / 2**20:+.0f} MiB)"
    )
    print(
        f"server CPU: {server_cpu:.1f} s over {wall:.1f} s of wall time on {os.cpu_count()} cores "
        f"(the rest went to the {args.sessions} browsers on the same machine)"
    )


if __name__ == "__main__":
    main()
