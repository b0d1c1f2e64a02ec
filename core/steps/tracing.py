"""The declarative contrast: a Program traced into a torch.fx graph, and what tracing cannot do.

The graph is built by running the Program's lowered statements (core.program_core) with the interpreter's own
evaluator over fx Proxies (through GraphAppendingTracer), so PyTorch itself records each operation; no source text is
generated from user input, fx only writes code from its own graph nodes.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from dataclasses import dataclass

import torch
from torch import fx

from core.agreement import Agreement, compare
from core.program import Program, ProgramError, evaluate, run_program, walk


@dataclass(frozen=True, kw_only=True)
class FxNode:
    """One node of the traced fx graph, as fx reports it (the autograd graph's nodes are core.autograd.graph's)."""

    name: str
    op: str
    target: str
    args: str
    line: int | None  # program line that produced it; None for placeholders and output


@dataclass(frozen=True, kw_only=True)
class TracedProgram:
    """The fx graph of a Program, its generated code, and the names its outputs carry."""

    module: fx.GraphModule | None  # None once a view has dropped it
    nodes: tuple[FxNode, ...]
    code: str
    outputs: tuple[str, ...]

    def run(self, inputs: Mapping[str, torch.Tensor]) -> dict[str, torch.Tensor]:
        """Run the traced module and name its outputs."""
        values = self.module(**inputs)
        return dict(zip(self.outputs, values, strict=True))


def trace_program(program: Program) -> TracedProgram:
    """Record `program` as a torch.fx graph whose outputs are the final value of every assigned name."""
    graph = fx.Graph()
    tracer = fx.proxy.GraphAppendingTracer(graph)
    env: dict[str, object] = {name: fx.Proxy(graph.placeholder(name), tracer) for name in program.inputs}
    lines: dict[str, int] = {}

    def on_statement(statement, env, context) -> None:
        before = set(graph.nodes)
        value = evaluate(statement.lowered, env, statement.line)
        if not isinstance(value, fx.Proxy):
            raise ProgramError("not_a_tensor", statement.line, 0, name=statement.target)
        for node in graph.nodes:
            if node not in before:
                lines[node.name] = statement.line
        env[statement.target] = value

    def on_branch(branch, env, context) -> bool:
        condition = evaluate(branch.lowered, env, branch.line)
        try:
            return bool(condition)
        except fx.proxy.TraceError as exc:  # fx's own words: a traced value cannot choose a branch
            raise ProgramError("fx_control_flow", branch.line, 0, detail=f"{type(exc).__name__}: {exc}") from None

    walk(program.body, env, on_statement, on_branch)
    outputs = tuple(name for name in program.targets if name in env)  # a branch fx never took assigns nothing
    graph.output(tuple(env[name].node for name in outputs))
    module = fx.GraphModule(torch.nn.Module(), graph)
    nodes = tuple(
        FxNode(name=n.name, op=n.op, target=_target_name(n.target), args=_format_args(n), line=lines.get(n.name))
        for n in module.graph.nodes
    )
    return TracedProgram(module=module, nodes=nodes, code=module.code.strip(), outputs=outputs)


def _target_name(target: object) -> str:
    if isinstance(target, str):
        return target
    return getattr(target, "__name__", repr(target))


def _format_args(node: fx.Node) -> str:
    parts = [str(a) for a in node.args] + [f"{k}={v}" for k, v in node.kwargs.items()]
    return ", ".join(parts)


# --- control flow: eager runs it, symbolic tracing cannot -----------------------------------------


def branch_on_value(x: torch.Tensor) -> torch.Tensor:
    if x.sum() > 0:
        return x * 2
    return x - 1


@dataclass(frozen=True, kw_only=True)
class ControlFlowContrast:
    """The branching function's source, its eager result, and fx's own refusal message."""

    source: str
    eager_printed: str
    trace_error_type: str
    trace_error: str


def control_flow_contrast(x: torch.Tensor) -> ControlFlowContrast:
    """Run `branch_on_value` eagerly on `x`, then try to trace it symbolically and keep PyTorch's error."""
    eager = branch_on_value(x)
    try:
        fx.symbolic_trace(branch_on_value)
    except Exception as exc:  # noqa: BLE001 - whatever fx raises is what the learner should read
        error_type, error = type(exc).__name__, str(exc)
    else:
        error_type, error = "", ""
    return ControlFlowContrast(
        source=inspect.getsource(branch_on_value),
        eager_printed=str(eager),
        trace_error_type=error_type,
        trace_error=error,
    )


# --- define-by-run: the data decides which operations run -----------------------------------------


@dataclass(frozen=True, kw_only=True)
class DefineByRunRun:
    """The learner's program run on one input with grad tracking: what ran and the graph autograd recorded."""

    input_printed: str
    decisions: tuple[tuple[int, bool], ...]  # (line, taken) for each `if` the run reached
    executed: int  # assignments that ran, loop turns included
    graph_nodes: int  # autograd nodes reachable from the output (0 when it does not track gradients)
    output_printed: str
    error: ProgramError | None = None


def define_by_run(program: Program, inputs: tuple[dict[str, torch.Tensor], ...]) -> tuple[DefineByRunRun, ...]:
    """Run `program` eagerly on each set of inputs, every floating-point input requiring grad, and count the
    autograd graph its output holds: the graph is whatever the run did, so different data can record a
    different graph."""
    runs = []
    for values in inputs:
        leaves = {name: t.detach().clone().requires_grad_(t.is_floating_point()) for name, t in values.items()}
        trace = run_program(program, leaves)
        output = trace.env.get(program.output) if trace.error is None else None
        runs.append(
            DefineByRunRun(
                input_printed=str(values["x"]),
                decisions=tuple((d.line, d.taken) for d in trace.decisions),
                executed=len(trace.steps),
                graph_nodes=count_autograd_nodes(output) if output is not None else 0,
                output_printed=str(output.detach()) if output is not None else "",
                error=trace.error,
            )
        )
    return tuple(runs)


def count_autograd_nodes(tensor: torch.Tensor) -> int:
    """Number of distinct autograd nodes reachable from `tensor.grad_fn` (AccumulateGrad leaves included)."""
    seen: dict[int, object] = {}  # the node objects themselves, so no id is reused while counting
    stack = [tensor.grad_fn] if tensor.grad_fn is not None else []
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen[id(node)] = node
        stack.extend(child for child, _ in node.next_functions if child is not None)
    return len(seen)


def compare_with_eager(traced: Mapping[str, torch.Tensor], eager: Mapping[str, torch.Tensor]) -> tuple[Agreement, ...]:
    """Compare every traced output with the eager tensor of the same name (torch.allclose's own tolerances)."""
    return tuple(compare(name, value, eager[name]) for name, value in traced.items())
