"""Backward on a Program's output, with the order in which autograd visits each node recorded by hooks."""

from __future__ import annotations

import ast
from collections.abc import Mapping
from dataclasses import dataclass, field

import torch

from core.autograd.graph import (
    AutogradGraph,
    ShapeRecorder,
    TensorFlags,
    extract_graph,
    first_values,
    node_id,
    tensor_flags,
)
from core.program import DEFAULT_PROGRAM, Program, ProgramTrace, parse_program, run_program
from core.script_parts.autograd import gradient_agrees  # noqa: F401 - where core.autograd callers read it

REDUCTIONS = ("sum", "mean")


@dataclass(frozen=True, kw_only=True)
class BackwardVisit:
    """One node as backward reached it: the gradient flowing into it (w.r.t. its forward output)."""

    order: int
    node_id: str
    label: str
    incoming: tuple[str, ...]  # print() of each incoming gradient, None shown as "None"
    grads: tuple[float, ...] | None = None  # the first elements of the (first) incoming gradient, as a node shows it


@dataclass(frozen=True, kw_only=True)
class LeafGradient:
    """A leaf that requires grad: its values and its .grad (tensors, sampled only when drawn)."""

    name: str
    values: torch.Tensor = field(repr=False)
    grad: torch.Tensor = field(repr=False)
    printed: str  # print(leaf.grad)


@dataclass(frozen=True, kw_only=True)
class ForwardPass:
    """A forward run with the chosen inputs requiring grad: the trace, its graph and every named tensor's flags.

    Live tensors: it stays in the process that ran it (core.autograd.run makes the plain result that leaves).
    """

    inputs: dict[str, torch.Tensor]
    trace: ProgramTrace
    graph: AutogradGraph
    recorder: ShapeRecorder = field(repr=False, default_factory=ShapeRecorder)  # every operation's shape and values

    def flags(self) -> tuple[TensorFlags, ...]:
        """Flags of the inputs, then of each assigned name, read now (so after backward they show .grad)."""
        named = {**self.inputs, **self.trace.env}
        return tuple(tensor_flags(name, tensor) for name, tensor in named.items())


@dataclass(frozen=True, kw_only=True)
class BackwardPass:
    """The part of the graph backward ran through, the order it visited it, and every leaf's gradient.

    Live tensors, like ForwardPass; core.autograd.run.BackwardResult is its plain form.
    """

    output: str
    reduction: str | None  # None when the output was already a single element
    forward: ForwardPass
    graph: AutogradGraph
    visits: tuple[BackwardVisit, ...]
    leaves: tuple[LeafGradient, ...]


def prepare_inputs(values: Mapping[str, torch.Tensor], requires_grad: set[str]) -> dict[str, torch.Tensor]:
    """Fresh leaf copies of the inputs, with requires_grad set as the learner chose."""
    return {name: t.detach().clone().requires_grad_(name in requires_grad) for name, t in values.items()}


def run_forward(
    program: Program, values: Mapping[str, torch.Tensor], requires_grad: set[str], output: str | None = None
) -> ForwardPass:
    """Run the program on fresh leaves of the inputs it reads and extract the graph PyTorch recorded.

    Raises:
        ProgramError: when a statement fails.
    """
    inputs = prepare_inputs({name: values[name] for name in program.inputs}, requires_grad)
    with ShapeRecorder() as recorder:
        trace = run_program(program, inputs)
    if trace.error is not None:
        raise trace.error
    outputs = (output,) if output else ()
    graph = extract_graph(trace, inputs, outputs, shapes=recorder.shapes, values=recorder.values)
    return ForwardPass(inputs=inputs, trace=trace, graph=graph, recorder=recorder)


def needs_reduction(tensor: torch.Tensor) -> bool:
    """backward() without an argument accepts exactly one element; anything larger must be reduced first."""
    return tensor.numel() != 1


def run_backward(
    program: Program,
    values: Mapping[str, torch.Tensor],
    requires_grad: set[str],
    output: str,
    reduction: str | None,
) -> BackwardPass:
    """Run the program forward, reduce `output` if asked and needed, and run backward with a pre-hook on every node.

    Raises:
        RuntimeError: PyTorch's own, e.g. when nothing requires grad or the output is not a scalar.
        ProgramError: when the forward run fails.
    """
    forward = run_forward(program, values, requires_grad, output)
    inputs, trace = forward.inputs, forward.trace
    target = trace.env[output]
    reduction = reduction if needs_reduction(target) else None
    with ShapeRecorder() as recorder:
        root = getattr(target, reduction)() if reduction else target
    label = f"{output}.{reduction}()" if reduction else output
    shapes = {**forward.recorder.shapes, **recorder.shapes}
    values = {**forward.recorder.values, **recorder.values}
    graph = extract_graph(trace, inputs, (output,), (label, root) if reduction else None, shapes, values)
    graph = graph.reaching(node_id(root.grad_fn)) if root.grad_fn is not None else AutogradGraph(nodes=(), edges=())
    visits: list[BackwardVisit] = []
    handles = [fn.register_prehook(_recorder(fn, visits)) for fn in _all_nodes(root.grad_fn)]
    try:
        root.backward()
    finally:
        for handle in handles:
            handle.remove()
    graph = graph.with_grads({v.node_id: v.grads for v in visits if v.grads is not None})
    leaves = tuple(
        LeafGradient(name=name, values=t.detach(), grad=t.grad.detach(), printed=str(t.grad))
        for name, t in inputs.items()
        if t.requires_grad and t.grad is not None
    )
    return BackwardPass(
        output=output, reduction=reduction, forward=forward, graph=graph, visits=tuple(visits), leaves=leaves
    )


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
        first = grad_outputs[0] if grad_outputs else None
        grads = None if first is None else first_values(first)
        visit = BackwardVisit(
            order=len(visits), node_id=node_id(fn), label=type(fn).__name__, incoming=incoming, grads=grads
        )
        visits.append(visit)

    return hook


def diagnose(forward: ForwardPass, output: str, reduction: str | None, requires_grad: set[str]) -> str | None:
    """Which one-click fix answers a backward refusal: "enable_grad", "choose_output", "reduce_sum" or None."""
    if not requires_grad & set(forward.inputs):
        return "enable_grad"
    target = forward.trace.env[output]
    if not target.requires_grad or not target.is_floating_point():
        return "choose_output"
    if reduction is None and needs_reduction(target):
        return "reduce_sum"
    return None


def differentiable_outputs(forward: ForwardPass) -> tuple[str, ...]:
    """Assigned names whose final tensor requires grad and is floating point: outputs backward can start from."""
    env = forward.trace.env
    return tuple(n for n in forward.trace.program.targets if env[n].requires_grad and env[n].is_floating_point())


_DEFAULT_SHAPE = tuple((s.target, ast.dump(s.expression)) for s in parse_program(DEFAULT_PROGRAM).statements)


def analytic_default_gradient(program: Program, output: str, x: torch.Tensor, reduction: str | None):
    """dz/dx = 4·(2x + 5) in float64 for the lesson's program, however it is spaced (divided by n under mean).

    None for any other program or output.
    """
    shape = tuple((s.target, ast.dump(s.expression)) for s in program.statements)
    if shape != _DEFAULT_SHAPE or output != "z":
        return None
    gradient = 4 * (2 * x.detach().to(torch.float64) + 5)
    return gradient / x.numel() if reduction == "mean" and x.numel() != 1 else gradient
