"""`python -m core loops`: the loops page's sweep as JSON: agreement, time per size, speedups and bandwidth.

`python -m core loops --profile [--prof-n N]`: instead of the sweep, where eager's time goes at n = N (default 10):
both implementations under torch.profiler, their operators, and the share of time outside operators; `--trace-dir`
writes each Chrome trace there (for ui.perfetto.dev).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import torch

from core.loops.profile import ProfileReport, ProfileRequest
from core.loops.run import LoopsRequest, check_loops, profile_loops, run_loops
from core.program import Program
from core.settings import Settings
from core.tensors import InputSpec

HELP = "Python loops vs one vectorized call, across sizes"
USES_X = True


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The CLI alone writes the profile's Chrome traces to files (the page offers them as downloads)."""
    parser.add_argument("--trace-dir", type=Path, help="with --profile: write each Chrome trace (JSON) here")


def report(args: argparse.Namespace, settings: Settings, program: Program, x: torch.Tensor | None):
    """(page settings, report) for the loops page: the same request the page makes."""
    state = args.state
    if state.profile:
        request = LoopsRequest(
            program=program.text, inputs=_inputs(args), sizes=(), settings=settings, budget_s=state.budget
        )
        report = profile_report(request, state.prof_n, args.trace_dir)
        return {"profile_n": state.prof_n}, report
    request = LoopsRequest(
        program=program.text, inputs=_inputs(args), sizes=state.sizes, settings=settings, budget_s=state.budget
    )
    return {"sizes": list(state.sizes), "budget": state.budget}, loops_report(request)


def _inputs(args: argparse.Namespace) -> InputSpec:
    return InputSpec(values=args.x, n=args.n)


def profile_report(request: LoopsRequest, n: int, trace_dir: Path | None = None) -> dict[str, object]:
    """Agreement on x as for the sweep, then both implementations under torch.profiler at n: per implementation
    its wall time, the share outside operators, and each operator's calls and self time (largest first)."""
    checked = check_loops(request)
    profiled = profile_loops(ProfileRequest(program=request.program, n=n, settings=request.settings))
    traces = write_traces(profiled, trace_dir) if trace_dir is not None else {}
    return {
        "output": checked.output,
        "agreement": {"agrees": checked.agrees, "max_abs_diff": {a.name: a.max_abs_diff for a in checked.agreement}},
        "profile": {
            p.implementation: {
                "wall_us": p.wall_us,
                "operators_us": p.operators_us,
                "python_share": p.python_share,
                "unprofiled_us": p.unprofiled_us,
                "operator_calls": p.calls,
                "events": p.event_count,
                "operators": [
                    {"name": r.name, "count": r.count, "self_us": r.self_us, "total_us": r.total_us}
                    for r in p.operators
                ],
                **({"chrome_trace": traces[p.implementation]} if traces else {}),
            }
            for p in profiled.profiles
        },
    }


def write_traces(report: ProfileReport, folder: Path) -> dict[str, str]:
    """Each implementation's Chrome trace as eager-lab-loops-<implementation>-trace.json in `folder`; their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for p in report.profiles:
        path = folder / f"eager-lab-loops-{p.implementation}-trace.json"
        path.write_text(p.chrome_trace, encoding="utf-8")
        paths[p.implementation] = str(path)
    return paths


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
