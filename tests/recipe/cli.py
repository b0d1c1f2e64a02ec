"""`python -m core echo`: x times `times`, as JSON (the throwaway page's sub-command)."""

from __future__ import annotations

import torch

from core.settings import Settings
from core.tensors import InputSpec

HELP = "x added up `times` times"
USES_X = True


def multiplied(x: torch.Tensor, times: int) -> torch.Tensor:
    return x * times


def multiplied_values(spec: InputSpec, times: int, settings: Settings) -> list[float]:
    """The page's job: x built in the worker, multiplied, returned as plain numbers."""
    return multiplied(spec.build(("x",), settings.dtype, settings.device, settings.seed)["x"], times).tolist()


def report(args, settings, program, x):
    return {"times": args.state.times}, {"values": multiplied(x, args.state.times).tolist()}
