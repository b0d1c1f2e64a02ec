"""How honest are the loops page's figures? Compares them with torch.utils.benchmark run directly.

Prints, on this machine, in one run:
1. the default sweep's wall time (target: under 10 s on a 2-core machine);
2. per size and implementation, the per-element cost the page reports next to torch.utils.benchmark's
   blocked_autorange on the same callable and inputs, and their ratio;
3. for each loop, the prediction error at the largest size actually measured, when the fit is made
   from the smaller measured sizes only (target: within +-30%).
Run with `.venv/bin/python bench/loops_accuracy.py`.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import torch  # noqa: E402
from torch.utils import benchmark  # noqa: E402

from core.loops.implementations import LOOPS, build_implementations  # noqa: E402
from core.loops.sweep import DEFAULT_SIZES, SWEEP_BUDGET_S, fit_per_element, run_sweep  # noqa: E402  # noqa: E402
from core.program import DEFAULT_PROGRAM, parse_program  # noqa: E402
from core.tensors import program_inputs, random_input  # noqa: E402


def main() -> None:
    program = parse_program(DEFAULT_PROGRAM)
    threads = torch.get_num_threads()

    def make_inputs(n: int):
        return program_inputs(program.inputs, random_input(n, "float32", "cpu", 0, 20, max_n=10**8), 0)

    result = run_sweep(program, DEFAULT_SIZES, make_inputs, device="cpu", threads=threads, budget_s=SWEEP_BUDGET_S)
    print(f"default sweep: sizes {DEFAULT_SIZES}, budget {SWEEP_BUDGET_S} s, {threads} threads")
    print(f"wall time: {result.wall_s:.2f} s (target < 10 s)\n")

    implementations = build_implementations(program)
    print(f"{'implementation':<12} {'n':>9} {'page ns/elt':>12} {'benchmark ns/elt':>17} {'ratio':>6}")
    for point in result.points:
        if not point.measured:
            continue
        inputs = make_inputs(point.n)
        timer = benchmark.Timer(
            "f(inputs)",
            globals={"f": implementations.functions[point.implementation], "inputs": inputs},
            num_threads=threads,
        )
        direct = timer.blocked_autorange(min_run_time=SWEEP_BUDGET_S).median
        print(
            f"{point.implementation:<12} {point.n:>9,} {point.per_element * 1e9:>12.2f} "
            f"{direct / point.n * 1e9:>17.2f} {point.median / direct:>6.2f}"
        )

    print("\nprediction at the largest measured size, fitted on the smaller measured sizes:")
    for name in LOOPS:
        measured = [p for p in result.points if p.implementation == name and p.measured]
        if len(measured) < 2:
            print(f"{name}: fewer than two measured sizes")
            continue
        largest = measured[-1]
        predicted = fit_per_element(measured[:-1]) * largest.n
        error = (predicted - largest.median) / largest.median
        print(
            f"{name:<12} n={largest.n:>9,}: predicted {predicted:.4g} s, measured {largest.median:.4g} s, "
            f"error {error:+.0%} (target within +-30%)"
        )


if __name__ == "__main__":
    main()
