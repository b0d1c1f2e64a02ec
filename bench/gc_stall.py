"""How long Streamlit's post-run garbage collection stalls a script thread, with and without gc.freeze().

Streamlit runs gc.collect(2) after every script run (runner.postScriptGC). A full collection walks every
tracked object, and the server holds torch's, plotly's and pandas' module objects: that walk is the stall.
gc.freeze() after the imports moves those long-lived objects out of the collector's sight. This script imports
what the server imports, then prints the median of gc.collect(2) before and after freezing, in one run.

    .venv/bin/python bench/gc_stall.py
"""

from __future__ import annotations

import gc
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

REPEATS = 15


def collect_ms() -> float:
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        gc.collect(2)
        times.append((time.perf_counter() - start) * 1e3)
    return statistics.median(times)


def main() -> None:
    import plotly.graph_objects  # noqa: F401
    import streamlit  # noqa: F401
    import torch  # noqa: F401

    from dashboard import jobs, measurement_store, registry  # noqa: F401
    from pages.autograd import charts as autograd_charts  # noqa: F401
    from pages.loops import charts as loops_charts  # noqa: F401

    tracked = len(gc.get_objects())
    before = collect_ms()
    gc.freeze()
    after = collect_ms()
    print(f"tracked objects after the imports: {tracked:,}")
    print(f"gc.collect(2) median of {REPEATS}: {before:.1f} ms without gc.freeze(), {after * 1e3:.1f} µs with it")


if __name__ == "__main__":
    main()
