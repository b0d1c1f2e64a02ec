"""The UI server's memory and health over many sessions, with Streamlit's post-run full collection on and off.

Streamlit runs gc.collect(2) after every script run unless `runner.postScriptGC` is false (as .streamlit/config.toml
sets it: under load that collection held the GIL and stalled /_stcore/health). Without it, only the interpreter's
generational collector frees reference cycles. For each setting this script starts one server on 127.0.0.1, opens
one warm-up session, then N fresh sessions (C at a time, Streamlit's own websocket protocol, no browser) on a
rotation of pages with a per-session seed, polling /_stcore/health meanwhile. It prints the server's resident
memory after the warm-up, its peak, after the N sessions and once their disconnected sessions expired, and the
health polls answered within 1 s.

    .venv/bin/python bench/gc_memory.py --sessions 200
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load import resident_bytes  # noqa: E402
from tests.browser import server_pid, streamlit_server  # noqa: E402
from tests.streamlit_client import open_page  # noqa: E402

# each session's own x: a fresh program run in a worker and fresh charts, never a result kept for another session
PAGES = (
    ("", "seed={i}"),
    ("steps", "x={i},2,3"),
    ("autograd", "x=1,{i},3"),
    ("pitfalls", "case=bad_fix&seed={i}"),
    ("train", "steps=20&seed={i}"),  # five charts of a fresh run
)
SESSION_TTL_S = 10  # disconnected sessions are dropped after this (Streamlit's default is 120 s)
MIB = 2**20


@dataclass(kw_only=True)
class Health:
    """Polls /_stcore/health every half second, keeping each answer's latency (None: failed or over 5 s)."""

    base: str
    latencies: list[float | None] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def poll(self) -> None:
        while not self.stop.is_set():
            start = time.perf_counter()
            try:
                with urllib.request.urlopen(f"{self.base}/_stcore/health", timeout=5) as response:
                    ok = response.read().strip() == b"ok"
            except OSError:
                ok = False
            self.latencies.append(time.perf_counter() - start if ok else None)
            self.stop.wait(0.5)


def measure(post_script_gc: bool, sessions: int, concurrency: int) -> dict[str, float]:
    """One server with the setting given: resident memory through `sessions` sessions, and health latencies."""
    env = {
        "STREAMLIT_RUNNER_POST_SCRIPT_GC": str(post_script_gc).lower(),
        "STREAMLIT_SERVER_DISCONNECTED_SESSION_TTL": str(SESSION_TTL_S),
    }
    with streamlit_server(env=env) as base:
        pid = server_pid(int(base.rsplit(":", 1)[1]))
        open_page(base, "steps", "x=0,2,3")  # the first run imports torch and starts the pool
        warm = resident_bytes(pid)
        peak = warm
        health = Health(base=base)
        poller = threading.Thread(target=health.poll, daemon=True)
        poller.start()
        errors = 0

        def visit(index: int) -> None:
            nonlocal peak, errors
            page, query = PAGES[index % len(PAGES)]
            run = open_page(base, page, query.format(i=index + 1))
            if run.errors or not run.finished:
                errors += 1
                print(f"  /{page}?{query}: {run.errors or 'unfinished'}", file=sys.stderr)
            peak = max(peak, resident_bytes(pid))

        started = time.perf_counter()
        with ThreadPoolExecutor(concurrency) as executor:
            list(executor.map(visit, range(sessions)))
        wall = time.perf_counter() - started
        health.stop.set()
        poller.join()
        after = resident_bytes(pid)
        time.sleep(SESSION_TTL_S + 5)  # the closed sessions expire; the next health check's run cleans up
        urllib.request.urlopen(f"{base}/_stcore/health", timeout=30).read()
        expired = resident_bytes(pid)
    answered = [s for s in health.latencies if s is not None]
    return {
        "warm": warm / MIB,
        "peak": peak / MIB,
        "after": after / MIB,
        "expired": expired / MIB,
        "errors": errors,
        "wall": wall,
        "polls": len(health.latencies),
        "within_1s": sum(s <= 1.0 for s in answered),
        "p95_ms": 1e3 * statistics.quantiles(answered, n=20, method="inclusive")[18]
        if len(answered) >= 2
        else float("nan"),
        "max_ms": 1e3 * max(answered, default=float("nan")),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=4, help="sessions open at once")
    args = parser.parse_args()
    pages = ", ".join(f"/{page}?{query}" for page, query in PAGES)
    print(f"{args.sessions} sessions, {args.concurrency} at a time, rotating over {pages}")
    for post_script_gc in (True, False):
        r = measure(post_script_gc, args.sessions, args.concurrency)
        sessions = args.sessions
        print(
            f"postScriptGC={str(post_script_gc).lower():5}: RSS {r['warm']:.0f} MiB warm, peak {r['peak']:.0f}, "
            f"{r['after']:.0f} after the sessions, {r['expired']:.0f} once they expired "
            f"({r['expired'] - r['warm']:+.0f} MiB); {r['wall']:.0f} s ({sessions / r['wall']:.1f} sessions/s), "
            f"{r['errors']} sessions with errors; "
            f"health {r['within_1s']}/{r['polls']} polls within 1 s, p95 {r['p95_ms']:.0f} ms, "
            f"max {r['max_ms']:.0f} ms"
        )


if __name__ == "__main__":
    main()
