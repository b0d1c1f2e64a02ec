"""Where eager's time goes, for scripts: one call under torch.profiler, summed per operator, and its Chrome trace."""

import time
from collections.abc import Callable

from torch.profiler import ProfilerActivity, profile


def profiled(name: str, call: Callable[[], object], n: int) -> None:
    """`call()` once to warm up, then once under torch.profiler: each operator's calls and self CPU time, the share
    of the wall time outside operators (Python), and the Chrome trace written beside the script."""
    call()  # first calls pay for lazy initialisation
    with profile(activities=[ProfilerActivity.CPU]) as prof:
        start = time.perf_counter()
        call()
        wall_us = (time.perf_counter() - start) * 1e6
    # time inside top-level operators (those no other operator called): the rest is Python
    inside_us = sum(event.time_range.elapsed_us() for event in prof.events() if event.cpu_parent is None)
    outside = max(0.0, 1 - inside_us / wall_us)
    print(f"profile {name} at n={n}: wall {wall_us:.1f} us, outside operators (Python) {outside:.0%}")
    for row in sorted(prof.key_averages(), key=lambda row: (-row.self_cpu_time_total, row.key)):
        print(f"    {row.key:<32} {row.count:>8} calls {row.self_cpu_time_total:>12.1f} us self")
    prof.export_chrome_trace(f"eager_lab_loops_{name}_trace.json")  # open it in ui.perfetto.dev
