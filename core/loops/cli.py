"""`python -m core loops`: the loops page's sweep as JSON: agreement, time per size, speedups and bandwidth."""

from __future__ import annotations

import argparse

import torch

from core.cli_types import bounded, sizes_list
from core.loops.run import LoopsRequest, check_loops, run_loops
from core.loops.sweep import DEFAULT_SIZES, SWEEP_BUDGET_S
from core.program import Program
from core.settings import Settings
from core.tensors import InputSpec
from core.timing import MAX_BUDGET_S

HELP = "Python loops vs one vectorized call, across sizes"
USES_X = True


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--sizes", type=sizes_list, default=DEFAULT_SIZES)
    parser.add_argument(
        "--budget",
        type=bounded(float, 0.01, MAX_BUDGET_S),
        default=SWEEP_BUDGET_S,
        help="seconds of timing per implementation and size",
    )


def report(args: argparse.Namespace, settings: Settings, program: Program, x: torch.Tensor | None):
    """(page settings, report) for the loops page: the same request the page makes."""
    request = LoopsRequest(program.text, InputSpec(args.x, args.n), tuple(args.sizes), settings, args.budget)
    return {"sizes": list(args.sizes), "budget": args.budget}, loops_report(request)


def loops_report(request: LoopsRequest) -> dict[str, object]:
    """Agreement of the three implementations on (up to 1000 elements of) x, then time per size and bandwidth on
    random inputs of each size from the seed."""
    checked = check_loops(request)
    result = run_loops(request, checked)
    return {
        "output": checked.output,
        "agreement": {"agrees": checked.agrees, "max_abs_diff": {a.name: a.max_abs_diff for a in checked.agreement}},
        "points": [
            {
                "implementation": p.implementation,
                "n": p.n,
                "measured": p.measured,
                "median_s": p.median,
                "q1_s": p.q1,
                "q3_s": p.q3,
                "runs": p.runs,
                "noisy": p.noisy,
            }
            for p in result.points
        ],
        "speedup_vs_lesson_loop": {str(n): result.speedup("lesson_loop", n) for n in checked.runnable},
        "bandwidth": [
            {"n": b.n, "bytes_per_call": b.bytes_per_call, "vectorized_Bps": b.vectorized, "copy_Bps": b.copy}
            for b in result.bandwidth
        ],
        "refused": [str(exc) for exc in checked.refused] + [f"{n}: {exc}" for n, exc in result.refused],
        "wall_s": result.wall_s,
    }
