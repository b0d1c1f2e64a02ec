"""What does compiling cost, and when does it pay? The Eager vs compiled page's cost section, at three sizes.

For the default program (`y = x * 2 + 5`, `z = y ** 2 - 10`) at n = 10, 10^4 and 10^6 prints, in one run here:
per backend (eager, aot_eager, inductor) the compile time (first call after torch._dynamo.reset(), capture +
compilation + one run), the median time per call with its IQR (torch.utils.benchmark, through
core.timing.measure), the speed ratio against eager, and the break-even number of calls. Inductor is skipped, with
the reason, where no C++ compiler is found. Its disk cache is fresh, so the first Inductor figure is a cold
compile; later sizes reuse what the cache kept (the page's situation after the first learner). Each Inductor row
says which it was (Inductor's own FX graph cache counters, core.compiled.cost.cache_state): cold or warm.
After each size, the same program's eager call is timed again the loops page's way (core.loops' vectorized call on
its own input, its 0.5 s budget, as bench/loops_accuracy.py does), so both pages' eager figures come from one run.
Run with `.venv/bin/python bench/compile_cost.py [--budget 0.3]`.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# a fresh Inductor cache of our own, so the first compile is cold whatever ran on this machine before
os.environ.setdefault("EAGER_LAB_INDUCTOR_CACHE", tempfile.mkdtemp(prefix="eager-lab-inductor-"))

import torch  # noqa: E402

from core.compiled.cost import BACKENDS, backend_cost, break_even_calls  # noqa: E402
from core.compiled.function import program_function  # noqa: E402
from core.loops.implementations import build_implementations  # noqa: E402
from core.loops.sweep import SWEEP_BUDGET_S  # noqa: E402
from core.program import DEFAULT_PROGRAM, parse_program  # noqa: E402
from core.tensors import program_inputs, random_input  # noqa: E402
from core.timing import measure, within_spread  # noqa: E402

SIZES = (10, 10**4, 10**6)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budget", type=float, default=0.3, help="seconds of timing per backend and size")
    args = parser.parse_args()
    program = parse_program(DEFAULT_PROGRAM)
    built = program_function(program)
    vectorized = build_implementations(program).functions["vectorized"]
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, g++: {shutil.which('g++') or 'not found'}")
    print(f"Inductor cache: {os.environ['EAGER_LAB_INDUCTOR_CACHE']} (fresh, one folder per worker)\n")
    print(f"{'n':>9} {'backend':<10} {'compile s':>17} {'per call µs':>12} {'IQR µs':>8} {'vs eager':>9}", end="")
    print(f" {'break-even':>12}")
    for n in SIZES:
        x = torch.randn(n, generator=torch.Generator().manual_seed(0))
        costs = [backend_cost(built, {"x": x}, backend, "cpu", args.budget) for backend in BACKENDS]
        eager = costs[0]
        for cost in costs:
            if cost.per_call is None:
                print(f"{n:>9} {cost.backend:<10} skipped: {cost.unavailable}")
                continue
            compile_s = f"{cost.compile_s:.3f}" if cost.compile_s is not None else "-"
            if cost.cache is not None:
                compile_s = f"{compile_s} ({cost.cache})"
            ratio = eager.per_call.median / cost.per_call.median
            if cost is eager:
                even = "-"
            elif within_spread(eager.per_call, cost.per_call):
                even = "tie"
            else:
                calls = break_even_calls(eager, cost)
                even = f"{calls:,.0f}" if calls is not None else "never"
            print(
                f"{n:>9} {cost.backend:<10} {compile_s:>17} {cost.per_call.median * 1e6:>12.2f} "
                f"{cost.per_call.iqr * 1e6:>8.2f} {ratio:>8.2f}x {even:>12}"
            )
        inputs = program_inputs(program.inputs, random_input(n, "float32", "cpu", 0, 20, max_n=10**8), 0)
        loops = measure(lambda: vectorized(inputs), device="cpu", budget_s=SWEEP_BUDGET_S)  # noqa: B023
        print(
            f"{n:>9} {'eager as the loops page times it':<28} {loops.median * 1e6:>12.2f} {loops.iqr * 1e6:>8.2f} "
            f"({loops.median / n * 1e9:.2f} ns/element; the cost section's: {eager.per_call.median / n * 1e9:.2f})"
        )
        print()


if __name__ == "__main__":
    main()
