"""`python -m core echo`: x doubled, as JSON (the throwaway page's sub-command)."""

from __future__ import annotations

import argparse

import torch

HELP = "x doubled"
USES_X = True


def doubled(x: torch.Tensor) -> torch.Tensor:
    return x * 2


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """No options of its own."""


def report(args, settings, program, x):
    return {}, {"doubled": doubled(x).tolist()}
