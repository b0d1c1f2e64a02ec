"""`python -m core compiled`: what torch.compile and torch.export capture of the program, as JSON; with --cost,
each backend's compile time, time per call and break-even."""

from __future__ import annotations

import argparse
import dataclasses

import torch

from core.cli_types import budget_option
from core.compiled.cost import break_even_calls
from core.compiled.run import COST_BUDGET_S, CompiledRequest, capture_view, cost_view, recompile_view
from core.program import Program
from core.settings import Settings
from core.tensors import InputSpec

HELP = "what torch.compile and torch.export capture, recompiles, compile cost"
USES_X = True


# the CLI alone sets the time budget of each cost measurement (the page uses COST_BUDGET_S)
CLI_PARAMS = (budget_option(COST_BUDGET_S, "per backend"),)


def report(args: argparse.Namespace, settings: Settings, program: Program, x: torch.Tensor | None):
    """(page settings, report): the capture, the rewrites and recompiles, and the cost when asked."""
    request = CompiledRequest(program=program.text, inputs=InputSpec(values=args.x, n=args.n), settings=settings)
    view = capture_view(request)
    result: dict[str, object] = {
        "code": view.code,
        "explain": dataclasses.asdict(view.explained),
        "fullgraph": dataclasses.asdict(view.fullgraph),
        "export": dataclasses.asdict(view.exported),
        "where_program": view.where_text,
        "cond": None if view.cond is None else {"code": view.cond.code, "agrees": view.cond.agrees},
        "recompiles": [dataclasses.asdict(r) for r in recompile_view(request)],
    }
    backends = args.state.backends
    if args.state.cost:
        costs = [cost_view(request, backend, args.budget) for backend in backends]
        eager = next((c for c in costs if c.backend == "eager"), None)
        result["cost"] = [
            {
                "backend": c.backend,
                "compile_s": c.compile_s,
                "per_call_s": c.per_call.median if c.per_call else None,
                "iqr_s": c.per_call.iqr if c.per_call else None,
                "unavailable": c.unavailable,
                "break_even_calls": break_even_calls(eager, c) if eager and c is not eager else None,
            }
            for c in costs
        ]
    return {"cost": args.state.cost, "backends": ",".join(backends)}, result
