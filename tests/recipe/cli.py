"""`python -m core echo`: x doubled, as JSON (the throwaway page's sub-command)."""

from __future__ import annotations

import argparse

import torch

from core.settings import Settings
from core.tensors import InputSpec

HELP = "x doubled"
USES_X = True


def doubled(x: torch.Tensor) -> torch.Tensor:
    return x * 2


def doubled_values(spec: InputSpec, settings: Settings) -> list[float]:
    """The page's job: x built in the worker, doubled, returned as plain numbers."""
    return doubled(spec.build(("x",), settings.dtype, settings.device, settings.seed)["x"]).tolist()


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """No options of its own."""


def report(args, settings, program, x):
    return {}, {"doubled": doubled(x).tolist()}
