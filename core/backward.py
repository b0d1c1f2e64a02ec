"""Backward on a Program's output, with the order in which autograd visits each node recorded by hooks."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import torch

from core.autograd import AutogradGraph, TensorFlags, extract_graph, node_id, tensor_flags
from core.program import DEFAULT_PROGRAM, Program, ProgramTrace, run_program

REDUCTIONS = ("sum", "mean")


@dataclass(frozen=True)
class BackwardVisit:
    """One node as backward reached it: the gradient flowing into it (w.r.t. its forward output)."""

    order: int
    node_id: str
    label: str
    incoming: tuple[str, ...]  # print() of each incoming gradient, None shown as "None"


@dataclass(frozen=True)
class LeafGradient:
    name: str
    values: tuple[float, ...]
    grad: tuple[float, ...]
    printed: str  # print(leaf.grad)


@dataclass(frozen=True)
class ForwardResult:
    """A forward run with the chosen inputs requiring grad: the trace, its graph and every named tensor's flags."""

    inputs: dict[str, torch.Tensor]
    trace: ProgramTrace
    graph: AutogradGraph

    def flags(self) -> tuple[TensorFlags, ...]:
        """Flags of the inputs, then of each assigned name, read now (so after backward they show .grad)."""
        named = {**self.inputs, **self.trace.env}
        return tuple(tensor_flags(name, tensor) for name, tensor in named.items())


@dataclass(frozen=True)
class BackwardResult:
    """The graph that backward ran through, the visiting order, and every leaf's gradient."""

    output: str
    reduction: str | None
    forward: ForwardResult
    graph: AutogradGraph
    visits: tuple[BackwardVisit, ...]
    leaves: tuple[LeafGradient, ...]


def prepare_inputs(values: Mapping[str, torch.Tensor], requires_grad: set[str]) -> dict[str, torch.Tensor]:
    """Fresh leaf copies of the inputs, with requires_grad set as the learner chose."""
    return {name: t.detach().clone().requires_grad_(name in requires_grad) for name, t in values.items()}


def run_forward(
    program: Program, values: Mapping[str, torch.Tensor], requires_grad: set[str], output: str | None = None
) -> ForwardResult:
    """Run the program on fresh leaves and extract the graph PyTorch recorded (empty when nothing requires grad).

    Raises:
        ProgramError: when a statement fails.
    """
    inputs = prepare_inputs(values, requires_grad)
    trace = run_program(program, inputs)
    if trace.error is not None:
        raise trace.error
    outputs = (output,) if output else ()
    return ForwardResult(inputs, trace, extract_graph(trace, inputs, outputs))


def run_backward(
    program: Program,
    values: Mapping[str, torch.Tensor],
    requires_grad: set[str],
    output: str,
    reduction: str | None,
) -> BackwardResult:
    """Run the program forward, reduce `output` if asked, and run backward with a pre-hook on every node.

    Raises:
        RuntimeError: PyTorch's own, e.g. when nothing requires grad or the output is not a scalar.
        ProgramError: when the forward run fails.
    """
    forward = run_forward(program, values, requires_grad, output)
    inputs, trace = forward.inputs, forward.trace
    target = trace.env[output]
    root = getattr(target, reduction)() if reduction else target
    label = f"{output}.{reduction}()" if reduction else output
    graph = extract_graph(trace, inputs, (output,), reduced=(label, root) if reduction else None)
    visits: list[BackwardVisit] = []
    handles = [fn.register_prehook(_recorder(fn, visits)) for fn in _all_nodes(root.grad_fn)]
    try:
        root.backward()
    finally:
        for handle in handles:
            handle.remove()
    leaves = tuple(
        LeafGradient(name, tuple(_floats(t)), tuple(_floats(t.grad)), str(t.grad))
        for name, t in inputs.items()
        if t.requires_grad and t.grad is not None
    )
    return BackwardResult(output, reduction, forward, graph, tuple(visits), leaves)


def _all_nodes(root) -> list:
    seen, stack, found = set(), [root] if root is not None else [], []
    while stack:
        fn = stack.pop()
        if id(fn) in seen:
            continue
        seen.add(id(fn))
        found.append(fn)
        stack.extend(child for child, _ in fn.next_functions if child is not None)
    return found


def _recorder(fn, visits: list[BackwardVisit]):
    def hook(grad_outputs):
        incoming = tuple("None" if g is None else str(g) for g in grad_outputs)
        visits.append(BackwardVisit(len(visits), node_id(fn), type(fn).__name__, incoming))

    return hook


def _floats(tensor: torch.Tensor) -> list[float]:
    return tensor.detach().reshape(-1).to("cpu", torch.float64).tolist()


def analytic_default_gradient(program: Program, output: str, x: torch.Tensor, reduction: str | None):
    """dz/dx = 4·(2x + 5) for the lesson's program (divided by n under mean); None for any other case."""
    if program.text.strip() != DEFAULT_PROGRAM or output != "z":
        return None
    gradient = 4 * (2 * x.detach() + 5)
    return gradient / x.numel() if reduction == "mean" else gradient
