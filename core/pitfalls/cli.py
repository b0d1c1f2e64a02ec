"""`python -m core pitfalls`: each typical mistake run for real, broken then fixed, as JSON."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

import torch

from core.cases import outcome_dict, run_demo
from core.pitfalls.mistakes import CASE_KEYS, PITFALLS, SYNC_TIMING, sync_timing
from core.program import Program
from core.settings import Settings
from core.tensors import demo_vector
from core.timing import measure

HELP = "each typical mistake, broken then fixed"
USES_X = True


# without --case, every case (the page shows one at a time)
CLI_DEFAULTS = {"case": None}


def report(args: argparse.Namespace, settings: Settings, program: Program, x: torch.Tensor | None):
    """(page settings, report) for the pitfalls page."""
    case = args.state.case
    cases = CASE_KEYS if case is None else (case,)
    return {"case": case or "all"}, pitfalls_report(demo_vector(x), settings, cases)


def pitfalls_report(x: torch.Tensor, settings: Settings, cases: Sequence[str]) -> dict[str, object]:
    """Each chosen case run for real, broken then fixed; `sync_timing` times a matmul naively and synchronised."""
    report: dict[str, object] = {"x": str(x), "cases": {}}
    for pitfall in PITFALLS:
        if pitfall.key in cases:
            outcomes = [outcome_dict(run_demo(function, x)) for function in pitfall.functions]
            report["cases"][pitfall.key] = dict(zip(("broken", "fixed", "also"), outcomes, strict=False))
    if SYNC_TIMING in cases:
        timing = sync_timing(settings.device, settings.torch_dtype, threads=settings.threads, measure_fn=measure)
        report["sync_timing"] = {
            "size": timing.size,
            "naive_s": timing.naive_s,
            "synced_s": timing.synced_s,
            "under_report": timing.under_report,
        }
    return report
