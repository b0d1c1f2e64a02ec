"""`python -m core home`: the lesson's first example run live, and this machine's environment, as JSON."""

from __future__ import annotations

import argparse
from dataclasses import asdict

import torch

from core.home.environment import read_environment
from core.home.lesson import lesson_example_source, run_lesson_example
from core.program import Program
from core.settings import Settings

HELP = "the lesson's first example and this machine's environment"
USES_X = False


def report(args: argparse.Namespace, settings: Settings, program: Program, x: torch.Tensor | None):
    """(page settings, report): the example's source and what PyTorch printed, and the environment."""
    environment = read_environment()
    return {}, {
        "example_source": lesson_example_source(),
        "printed": run_lesson_example(settings.device, settings.torch_dtype),
        "environment": {**asdict(environment), "devices": [asdict(d) for d in environment.devices]},
    }
