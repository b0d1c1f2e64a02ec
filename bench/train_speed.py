"""Training speed: eager optimizer steps per second, and how often the page can redraw while a model trains.

1. Steps/s of the page's loop (zero_grad, forward, BCE loss, backward, Adam step) for a 2x8 tanh MLP on 500 points
   (450 for training, batches of 32), one thread, in this process; next to the cost of one tiny eager op
   (`a + b` on 8 floats), the per-op overhead that bounds it: a step is worth that many tiny ops.
2. The live view's update rate: the page's cycle run as fast as it goes for a few seconds: one chunk job
   (run.CHUNK_S of training) in the real worker pool, merged, the four live figures built and serialised as
   Streamlit sends them.
3. A second session while the first plays: the median time of another session's job (one phase walk) with the
   pool idle, then while the training cycle runs in a thread (in the background pool, nice 19, as the page plays
   it); the ratio is the slowdown it sees.

    .venv/bin/python bench/train_speed.py
"""

from __future__ import annotations

import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

BLOCK_STEPS, BLOCKS = 500, 7
LIVE_S = 5.0  # at least; the page runs below make it longer
SECOND_SESSION_RUNS = 15
SECOND_PAGE_RUNS = 9


def steps_per_second() -> tuple[float, float]:
    import torch
    from torch.utils import benchmark

    from core.train.loop import TrainConfig, Trainer

    torch.set_num_threads(1)
    trainer = Trainer(TrainConfig(points=500, test_percent=10, width=8, depth=2, batch=32))
    for _ in range(100):
        trainer.train_step()
    rates = []
    for _ in range(BLOCKS):
        start = time.perf_counter()
        for _ in range(BLOCK_STEPS):
            trainer.train_step()
        rates.append(BLOCK_STEPS / (time.perf_counter() - start))
    a, b = torch.ones(8), torch.ones(8)
    op = benchmark.Timer("a + b", globals={"a": a, "b": b}, num_threads=1).blocked_autorange(min_run_time=0.5)
    return statistics.median(rates), op.median


def _figures(run, config) -> None:
    from pages.train import charts
    from pages.train.views import CHART_KEYS

    texts = {key: key for key in CHART_KEYS}
    for figure in (
        charts.loss_figure(run, texts),
        charts.boundary_figure(run, texts, True),
        charts.norms_figure(run, texts, grads=False),
        charts.norms_figure(run, texts, grads=True),
        charts.nodes_figure(run, texts),
    ):
        figure.to_json()


def live_cycle(pool, stop: threading.Event, counts: list[float]) -> None:
    from core.jobs import Job, execute
    from core.train.loop import TrainConfig, merge
    from core.train.run import CHUNK_MAX_STEPS, CHUNK_S, train

    config = TrainConfig()
    first = run = pool.schedule(execute, args=(Job(routine=train, args=(config, None, 0), threads=1),)).result().value
    while not stop.is_set():
        if run.end > 4000:  # the page stops at MAX_STEPS; start again to keep playing
            run = first
        job = Job(routine=train, args=(config, run.state, min(CHUNK_MAX_STEPS, 5000 - run.end), CHUNK_S), threads=1)
        run = merge(run, pool.schedule(execute, args=(job,)).result().value)
        _figures(run, config)
        counts.append(time.perf_counter())


def second_session(pool) -> float:
    from core.jobs import Job, execute
    from core.train.loop import TrainConfig
    from core.train.run import walk

    times = []
    for _ in range(SECOND_SESSION_RUNS):
        start = time.perf_counter()
        pool.schedule(execute, args=(Job(routine=walk, args=(TrainConfig(dataset="xor"), None), threads=1),)).result()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def second_page(offset: int) -> float:
    """The median time a second session's Step by step page takes to run (AppTest, its own worker pool on the same
    core), each run on a new x so nothing is served from the kept results."""
    from streamlit.testing.v1 import AppTest

    from dashboard.registry import page_script

    app = str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py")
    times = []
    for run in range(SECOND_PAGE_RUNS):
        at = AppTest.from_file(app, default_timeout=60)
        at.query_params.update({"x": f"1, 2, {offset + run}", "lang": "en"})
        at.run()
        start = time.perf_counter()
        at.switch_page(str(page_script("steps"))).run()
        times.append(time.perf_counter() - start)
        assert not at.exception
    return statistics.median(times)


def main() -> None:
    from core.workers import plan_pool, start_pool

    rate, op_s = steps_per_second()
    print(f"steps/s (2x8 MLP, 500 points, batch 32, 1 thread): median {rate:,.0f} over {BLOCKS} blocks")
    print(f"one tiny eager op: {op_s * 1e6:.2f} µs; one step = {1 / rate / op_s:.0f} tiny ops")
    plan = plan_pool()
    pool = start_pool(plan)
    background = start_pool(plan, background=True)  # where the page plays a training (nice 19)
    try:
        second_session(pool)  # warm the workers
        second_page(1000)  # and the page's own pool
        alone = second_session(pool)
        page_alone = second_page(2000)
        stop, counts = threading.Event(), []
        thread = threading.Thread(target=live_cycle, args=(background, stop, counts))
        start = time.perf_counter()
        thread.start()
        time.sleep(1.0)
        during = second_session(pool)
        page_during = second_page(3000)
        time.sleep(max(0.0, LIVE_S - (time.perf_counter() - start)))  # the page runs below extend the play
        stop.set()
        thread.join()
        elapsed = counts[-1] - start if counts else float("nan")
        print(f"workers: {len(plan.worker_cores)} on cores {plan.worker_cores}; UI core {plan.ui_cores}")
        print(f"live updates: {len(counts)} in {elapsed:.2f} s = {len(counts) / elapsed:.1f} updates/s")
        print(f"second session's job: median {alone * 1e3:.1f} ms alone, {during * 1e3:.1f} ms while training plays")
        print(f"  ratio {during / alone:.2f} (slowdown {100 * (during / alone - 1):.0f} %)")
        print(f"second session's Step by step page: median {page_alone * 1e3:.0f} ms alone, {page_during * 1e3:.0f} ms")
        print(f"  while training plays: ratio {page_during / page_alone:.2f} (target <= 1.10)")
    finally:
        for each in (pool, background):
            each.stop()
            each.join(timeout=10)


if __name__ == "__main__":
    main()
