"""The autograd page's one entry point: the forward with its flags and graph, then (when asked) backward, or
PyTorch's refusal with the one-click fix that answers it, and the analytic check where one is known."""

from __future__ import annotations

from dataclasses import dataclass

import torch

from core.autograd.backward import (
    BackwardResult,
    ForwardResult,
    analytic_default_gradient,
    diagnose,
    differentiable_outputs,
    run_backward,
    run_forward,
)
from core.program import Program, parse_program
from core.settings import Settings
from core.tensors import InputSpec


@dataclass(frozen=True)
class AutogradRequest:
    program: str
    inputs: InputSpec
    settings: Settings
    requires_grad: frozenset[str]
    output: str
    reduction: str | None  # "sum", "mean" or None
    backward: bool


@dataclass(frozen=True)
class AutogradRun:
    """The forward always; backward's result or its failure (with `fix`) when backward was asked for."""

    program: Program
    x: torch.Tensor
    forward: ForwardResult
    backward: BackwardResult | None = None
    failure: RuntimeError | None = None
    fix: str | None = None  # see core.autograd.backward.diagnose
    differentiable: tuple[str, ...] = ()
    analytic: torch.Tensor | None = None  # the lesson program's dz/dx, where x requires grad

    @property
    def flags(self):
        return (self.backward.forward if self.backward else self.forward).flags()


def run_autograd(request: AutogradRequest) -> AutogradRun:
    """Forward, then backward if asked; PyTorch's refusal of backward is part of the result, not an exception.

    Raises:
        InputError, SizeLimitError: for x itself; ProgramError: when a statement fails in the forward.
    """
    program = parse_program(request.program)
    settings = request.settings
    values = request.inputs.build(program.inputs, settings.dtype, settings.device, settings.seed)
    grad, output, reduction = set(request.requires_grad), request.output, request.reduction
    forward = run_forward(program, values, grad, output)
    if not request.backward:
        return AutogradRun(program, values["x"], forward)
    try:
        result = run_backward(program, values, grad, output, reduction)
    except RuntimeError as exc:  # PyTorch's refusal is the lesson: shown verbatim, with its fix
        fix = diagnose(forward, output, reduction, grad)
        return AutogradRun(program, values["x"], forward, None, exc, fix, differentiable_outputs(forward))
    analytic = analytic_default_gradient(program, output, values["x"], result.reduction) if "x" in grad else None
    return AutogradRun(program, values["x"], forward, result, analytic=analytic)
