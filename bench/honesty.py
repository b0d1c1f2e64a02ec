"""Are timings honest while a class uses the server? The same measurements quiet and under load, in one run.

Load is what a class puts on the server process: K busy Python threads there (each visitor's script run is
a thread of that one process). Figures:

- in-process (how Eager Lab measured before the workers): `core.timing.measure` called in this process, next to
  the K threads, as a page's script thread did;
- in a worker (now): the same routine as a job of the local pool, as pages send it, while the K threads run here.

For the lesson's loop and the vectorized call of the lesson's program at n = 10^3 and 10^5 it prints the
median, the loaded/quiet ratio (target: at most 1.10 in a worker) and the job's own honesty record (drift of
the clone() reference, CPU share).

    .venv/bin/python bench/honesty.py
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.jobs import Job, execute  # noqa: E402
from core.loops.run import LoopsRequest, time_implementation  # noqa: E402
from core.program import DEFAULT_PROGRAM  # noqa: E402
from core.settings import Settings  # noqa: E402
from core.tensors import InputSpec  # noqa: E402
from core.workers import plan_pool, start_pool, wait_for  # noqa: E402

LOADS = (0, 8, 16)
CASES = (("lesson_loop", 1_000), ("lesson_loop", 100_000), ("vectorized", 1_000), ("vectorized", 100_000))
IN_PROCESS_CASES = (("vectorized", 1_000),)  # the loop under 16 busy threads would take minutes per figure
BUDGET_S = 0.5
REQUEST = LoopsRequest(
    program=DEFAULT_PROGRAM,
    inputs=InputSpec(values=None, n=1000),
    sizes=(),
    settings=Settings(threads=1),
    budget_s=BUDGET_S,
)


class Load:
    """K threads of busy Python in this process, as K visitors' script runs are."""

    def __init__(self, threads: int) -> None:
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self.spin, daemon=True) for _ in range(threads)]

    def spin(self) -> None:
        while not self.stop.is_set():
            sum(i * i for i in range(2000))

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join()


def table(title: str, rows: list[tuple]) -> None:
    print(f"\n{title}")
    print("| what | n | load (busy threads) | median | loaded / quiet | reference drift | CPU share |")
    print("|---|---|---|---|---|---|---|")
    for name, n, load, median, ratio, drift, share in rows:
        print(f"| {name} | {n:,} | {load} | {median * 1e6:,.1f} µs | {ratio:.2f} | {drift} | {share} |")


def in_process() -> list[tuple]:
    rows = []
    for name, n in IN_PROCESS_CASES:
        quiet = None
        for load in LOADS:
            with Load(load):
                median = time_implementation(REQUEST, name, n).median
            quiet = quiet or median
            rows.append((name, n, load, median, median / quiet, "—", "—"))
    return rows


def in_workers() -> list[tuple]:
    plan = plan_pool()
    pool = start_pool(plan)
    print(f"pool: UI on cores {plan.ui_cores}, workers on {plan.worker_cores}")
    rows = []
    try:
        for name, n in CASES:
            quiet = None
            for load in LOADS:
                with Load(load):
                    future = pool.schedule(
                        execute,
                        args=(
                            Job(
                                routine=time_implementation,
                                args=(REQUEST, name, n),
                                threads=1,
                                device="cpu",
                                measures=True,
                            ),
                        ),
                    )
                    result = wait_for(future, 600)
                median, honesty = result.value.median, result.honesty
                quiet = quiet or median
                drift = f"{honesty.drift:.1%}"
                rows.append((name, n, load, median, median / quiet, drift, f"{honesty.cpu_share:.2f}"))
    finally:
        pool.stop()
        pool.join(timeout=10)
    return rows


def main() -> None:
    table("In-process (before): measured in the server process beside K busy threads", in_process())
    table("In a worker (now): the same, as a job of the local pool, K busy threads in the UI process", in_workers())


if __name__ == "__main__":
    main()
