"""`python -m core grad-modes`: grad tracking vs no_grad vs inference_mode as JSON: time, flags, saved bytes."""

from __future__ import annotations

import argparse

import torch

from core.cli_types import budget_option
from core.grad_modes.run import GRAD_MODES_BUDGET_S, GradModesRequest, make_workload, run_grad_modes
from core.grad_modes.table import mode_rows
from core.program import Program
from core.settings import Settings

HELP = "grad vs no_grad vs inference_mode"
USES_X = False  # its inputs come from --size (or the MLP's shape), not from x


# the CLI alone sets the time budget of each measurement (the page uses GRAD_MODES_BUDGET_S)
CLI_PARAMS = (budget_option(GRAD_MODES_BUDGET_S, "per mode"),)


def report(args: argparse.Namespace, settings: Settings, program: Program, x: torch.Tensor | None):
    """(page settings, report) for the grad-modes page: the same request the page makes, without the scaling."""
    if args.workload == "program":
        shape = {"size": args.size}
    else:
        shape = {"width": args.width, "depth": args.depth, "batch": args.batch}
    text = program.text if args.workload == "program" else None
    request = GradModesRequest(workload=args.workload, settings=settings, program=text, budget_s=args.budget, **shape)
    workload = make_workload(request)
    run = run_grad_modes(request, with_scaling=False)
    report = {"workload": workload.name, "work": workload.work, "modes": mode_rows(run.results)}
    return {"workload": args.workload, **shape}, report
