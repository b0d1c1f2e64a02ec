"""`python -m core steps`: every statement run eagerly, with its result's attributes, as JSON."""

from __future__ import annotations

import argparse

import torch

from core.program import Program, ProgramError, run_program
from core.settings import Settings
from core.tensors import program_inputs, summarize

HELP = "run the program statement by statement"
USES_X = True


def report(args: argparse.Namespace, settings: Settings, program: Program, x: torch.Tensor | None):
    """(page settings, report) for the steps page."""
    return {}, steps_report(program, x, settings)


def _error(exc: ProgramError) -> dict[str, object]:
    """A program error as its code, line and parameters."""
    return {"code": exc.code, "line": exc.line, "params": {k: str(v) for k, v in exc.params.items()}}


def steps_report(program: Program, x: torch.Tensor, settings: Settings) -> dict[str, object]:
    """Every statement run eagerly: its result's attributes, print() text and summary statistics."""
    inputs = program_inputs(program.inputs, x, settings.seed)
    trace = run_program(program, inputs)
    steps = []
    for step in trace.steps:
        summary = summarize(step.tensor)
        steps.append(
            {
                "line": step.line,
                "source": step.source,
                "target": step.target,
                "shape": list(step.shape),
                "dtype": step.dtype,
                "device": step.device,
                "requires_grad": step.requires_grad,
                "grad_fn": step.grad_fn,
                "printed": step.printed,
                "min": summary.minimum,
                "max": summary.maximum,
                "mean": summary.mean,
            }
        )
    return {
        "inputs": {name: str(tensor) for name, tensor in inputs.items()},
        "steps": steps,
        "error": _error(trace.error) if trace.error else None,
    }
