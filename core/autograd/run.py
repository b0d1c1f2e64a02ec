"""The autograd page's one entry point: the forward with its flags and graph, then (when asked) backward, or
PyTorch's refusal with the one-click fix that answers it, and the analytic check where one is known."""

from __future__ import annotations

from dataclasses import dataclass, replace

import torch

from core.autograd.backward import (
    BackwardVisit,
    LeafGradient,
    analytic_default_gradient,
    diagnose,
    differentiable_outputs,
    gradient_agrees,
    needs_reduction,
    run_backward,
    run_forward,
)
from core.autograd.drawing import GraphDrawing, draw_graph
from core.autograd.frames import BackwardStep, backward_steps
from core.autograd.graph import TensorFlags
from core.program import Program, parse_program
from core.settings import Settings
from core.tensors import InputSpec, sample_indices


@dataclass(frozen=True, kw_only=True)
class AutogradRequest:
    program: str
    inputs: InputSpec
    settings: Settings
    requires_grad: frozenset[str]
    output: str
    reduction: str | None  # "sum", "mean" or None
    backward: bool


# a gradient chart shows at most this many elements
MAX_GRADIENT_POINTS = 200


@dataclass(frozen=True, kw_only=True)
class GradientResult:
    """A leaf's gradient as the page draws it: sampled values and .grad, and the analytic derivative where known."""

    name: str
    indices: tuple[int, ...]
    values: tuple[float, ...]
    grads: tuple[float, ...]
    printed: str  # print(leaf.grad), whole
    analytic: tuple[float, ...] | None = None
    agrees: bool | None = None  # the whole .grad against the whole analytic derivative


@dataclass(frozen=True, kw_only=True)
class BackwardResult:
    """What backward did, plain: the order of its visits, each leaf's gradient, and what the page draws of the graph
    it ran through (`drawing`, and `steps`: its visits as the animation's frames)."""

    output: str
    reduction: str | None
    visits: tuple[BackwardVisit, ...]
    gradients: tuple[GradientResult, ...]
    drawing: GraphDrawing
    steps: tuple[BackwardStep, ...]


@dataclass(frozen=True, kw_only=True)
class AutogradResult:
    """The forward's flags and graph always; backward's result or its failure (with `fix`) when asked for.

    Plain values only (tensors printed, sampled or summarised), so it can leave the worker that computed it. The
    graph leaves it as its `drawing` only (bounded, laid out here), so the UI process receives and draws coordinates
    whatever the graph's size.
    """

    program: Program
    flags: tuple[TensorFlags, ...]  # read after backward, so they show .grad
    drawing: GraphDrawing
    output_needs_reduction: bool
    backward: BackwardResult | None = None
    failure: RuntimeError | None = None
    fix: str | None = None  # see core.autograd.backward.diagnose
    differentiable: tuple[str, ...] = ()


def run_autograd(request: AutogradRequest) -> AutogradResult:
    """Forward, then backward if asked; PyTorch's refusal of backward is part of the result, not an exception.

    Raises:
        InputError, SizeLimitError: for x itself; ProgramError: when a statement fails in the forward.
    """
    program = parse_program(request.program)
    settings = request.settings
    values = request.inputs.build(program.inputs, settings.dtype, settings.device, settings.seed)
    grad, output, reduction = set(request.requires_grad), request.output, request.reduction
    forward = run_forward(program, values, grad, output)
    plain = AutogradResult(
        program=program,
        flags=forward.flags(),
        drawing=draw_graph(forward.graph.plain()),
        output_needs_reduction=needs_reduction(forward.trace.env[output]),
    )
    if not request.backward:
        return plain
    try:
        ran = run_backward(program, values, grad, output, reduction)
    except RuntimeError as exc:  # PyTorch's refusal is the lesson: shown verbatim, with its fix
        fix = diagnose(forward, output, reduction, grad)
        return replace(plain, failure=exc, fix=fix, differentiable=differentiable_outputs(forward))
    analytic = analytic_default_gradient(program, output, values["x"], ran.reduction) if "x" in grad else None
    gradients = tuple(_gradient_result(leaf, analytic if leaf.name == "x" else None) for leaf in ran.leaves)
    drawing = draw_graph(ran.graph.plain())
    backward = BackwardResult(
        output=ran.output,
        reduction=ran.reduction,
        visits=ran.visits,
        gradients=gradients,
        drawing=drawing,
        steps=backward_steps(drawing, ran.visits),
    )
    # the forward's graph as backward left it: every node it reached shows its gradient
    grads = {n.id: n.grads for n in ran.graph.nodes if n.grads is not None}
    graph = ran.forward.graph.with_grads(grads).plain()
    return replace(plain, flags=ran.forward.flags(), drawing=draw_graph(graph), backward=backward)


def _gradient_result(leaf: LeafGradient, analytic: torch.Tensor | None) -> GradientResult:
    indices = sample_indices(leaf.values.numel(), MAX_GRADIENT_POINTS)
    at = torch.tensor(indices, dtype=torch.long)

    def sampled(tensor: torch.Tensor) -> tuple[float, ...]:
        return tuple(tensor.detach().reshape(-1).to("cpu", torch.float64)[at].tolist())

    plain = GradientResult(
        name=leaf.name,
        indices=indices,
        values=sampled(leaf.values),
        grads=sampled(leaf.grad),
        printed=leaf.printed,
    )
    if analytic is None:
        return plain
    return replace(plain, analytic=sampled(analytic), agrees=gradient_agrees(leaf.grad, analytic))
