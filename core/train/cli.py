"""`python -m core train`: the training page's run without Streamlit, as JSON: its curves and final scores."""

from __future__ import annotations

import argparse
import math

import torch

from core.jobs import Job, execute
from core.program import Program
from core.settings import Settings
from core.train.run import train
from core.train.spec import config_of

HELP = "train a small model eagerly and report its loss curves"
USES_X = False  # its data come from --dataset and the seed


# a report at step 0 says little: without --steps the CLI trains as far as a learner's first Play usually goes
CLI_DEFAULTS = {"steps": 300}


def _number(value: float | None) -> float | None:
    """inf and NaN (a diverged run's) as null: JSON has no such numbers, and `diverged_at` says why."""
    return value if value is None or math.isfinite(value) else None


def report(args: argparse.Namespace, settings: Settings, program: Program, x: torch.Tensor | None):
    """(page settings, report): the page's run to --steps, from the seed."""
    config = config_of(args.state, settings)
    # the very job the page runs, in this (CLI) process: execute sets the thread count as a worker does
    result = execute(
        Job(routine=train, args=(config, None, args.state.steps), threads=settings.threads, device=settings.device)
    ).value
    page = {name: getattr(config, name) for name in ("dataset", "points", "noise", "test_percent", "model")}
    page |= {name: getattr(config, name) for name in ("width", "depth", "activation", "optimizer", "lr", "batch")}
    if config.model == "program":
        page["forward"] = config.program
    final = result.final
    return {**page, "steps": args.state.steps}, {
        "diverged_at": result.diverged,
        "losses": [_number(loss) for loss in result.losses],
        "nodes": list(result.nodes),
        "depths": list(result.depths),
        "evals": [
            {"step": e.step, "test_loss": _number(e.test_loss), "test_accuracy": e.test_accuracy} for e in result.evals
        ],
        "final": {
            "step": final.step,
            "train_loss": _number(final.train_loss),
            "test_loss": _number(final.test_loss),
            "train_accuracy": final.train_accuracy,
            "test_accuracy": final.test_accuracy,
        },
        "layers": {
            name: {"weight_norm": _number(w)} for name, w in zip(result.layers, final.weight_norms, strict=True)
        },
    }
