"""`python -m core train`: the training page's run without Streamlit, as JSON: its curves and final scores."""

from __future__ import annotations

import argparse
import math

import torch

from core.cli_types import bounded
from core.jobs import Job, execute
from core.program import Program
from core.settings import Settings
from core.train import datasets, models
from core.train.loop import MAX_BATCH, MAX_LR, MAX_STEPS, MIN_LR, OPTIMIZERS, TrainConfig
from core.train.run import train

HELP = "train a small model eagerly and report its loss curves"
USES_X = False  # its data come from --dataset and the seed


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--dataset", choices=datasets.DATASETS, default="circle")
    parser.add_argument(
        "--points", type=bounded(int, datasets.MIN_POINTS, datasets.MAX_POINTS), default=datasets.DEFAULT_POINTS
    )
    parser.add_argument("--noise", type=bounded(int, 0, datasets.MAX_NOISE), default=datasets.DEFAULT_NOISE)
    parser.add_argument(
        "--test-percent", type=bounded(int, datasets.MIN_TEST, datasets.MAX_TEST), default=datasets.DEFAULT_TEST
    )
    parser.add_argument("--model", choices=models.MODELS, default="mlp")
    parser.add_argument("--width", type=bounded(int, 1, models.MAX_WIDTH), default=models.DEFAULT_WIDTH)
    parser.add_argument("--depth", type=bounded(int, 1, models.MAX_DEPTH), default=models.DEFAULT_DEPTH)
    parser.add_argument("--activation", choices=tuple(models.ACTIVATIONS), default="tanh")
    parser.add_argument("--forward", default=models.DEFAULT_PROGRAM, help="the forward program (--model program)")
    parser.add_argument("--optimizer", choices=OPTIMIZERS, default="adam")
    parser.add_argument("--lr", type=bounded(float, MIN_LR, MAX_LR), default=TrainConfig.lr)
    parser.add_argument("--batch", type=bounded(int, 1, MAX_BATCH), default=TrainConfig.batch)
    parser.add_argument("--steps", type=bounded(int, 0, MAX_STEPS), default=300)


def config_from(args: argparse.Namespace, settings: Settings) -> TrainConfig:
    return TrainConfig(
        args.dataset,
        args.points,
        args.noise,
        args.test_percent,
        args.model,
        args.width,
        args.depth,
        args.activation,
        args.optimizer,
        args.lr,
        args.batch,
        args.forward if args.model == "program" else models.DEFAULT_PROGRAM,
        settings.seed,
        settings.device,
        settings.dtype,
    )


def _number(value: float | None) -> float | None:
    """inf and NaN (a diverged run's) as null: JSON has no such numbers, and `diverged_at` says why."""
    return value if value is None or math.isfinite(value) else None


def report(args: argparse.Namespace, settings: Settings, program: Program, x: torch.Tensor | None):
    """(page settings, report): the page's run to --steps, from the seed."""
    config = config_from(args, settings)
    # the very job the page runs, in this (CLI) process: execute sets the thread count as a worker does
    result = execute(Job(train, (config, None, args.steps), settings.threads, settings.device)).value
    page = {name: getattr(config, name) for name in ("dataset", "points", "noise", "test_percent", "model")}
    page |= {name: getattr(config, name) for name in ("width", "depth", "activation", "optimizer", "lr", "batch")}
    if config.model == "program":
        page["forward"] = config.program
    final = result.final
    return {**page, "steps": args.steps}, {
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
