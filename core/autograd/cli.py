"""`python -m core autograd`: flags after the forward, then backward's visit order and every leaf's .grad."""

from __future__ import annotations

import argparse

import torch

from core.autograd.backward import run_backward, run_forward
from core.cli_types import UsageError
from core.program import INPUT_NAMES, Program
from core.settings import Settings
from core.tensors import program_inputs

HELP = "flags, graph and backward"
USES_X = True


def report(args: argparse.Namespace, settings: Settings, program: Program, x: torch.Tensor | None):
    """(page settings, report) for the autograd page; an --output the program lacks is a UsageError."""
    state = args.state
    grad = set(state.grad)
    output = state.output or program.output
    if output not in program.targets:
        raise UsageError(f"--output {output!r} is not assigned by the program (it assigns {program.targets})")
    reduce = None if state.reduce == "none" else state.reduce
    page_settings = {"grad": sorted(grad), "output": output, "reduce": state.reduce}
    return page_settings, autograd_report(program, x, settings, grad & set(INPUT_NAMES), output, reduce)


def autograd_report(
    program: Program, x: torch.Tensor, settings: Settings, requires_grad: set[str], output: str, reduce: str | None
) -> dict[str, object]:
    """Flags after the forward, then backward's visit order and every leaf's .grad, or PyTorch's refusal."""
    values = program_inputs(program.inputs, x, settings.seed)
    forward = run_forward(program, values, requires_grad, output)
    report: dict[str, object] = {
        "output": output,
        "flags": [
            {"name": f.name, "requires_grad": f.requires_grad, "is_leaf": f.is_leaf, "grad_fn": f.grad_fn}
            for f in forward.flags()
        ],
        "graph_nodes": [node.label for node in forward.graph.nodes],
    }
    try:
        result = run_backward(program, values, requires_grad, output, reduce)
    except RuntimeError as exc:
        report["backward"] = {"error_type": type(exc).__name__, "error": str(exc)}
        return report
    report["backward"] = {
        "reduction": result.reduction,
        "visits": [visit.label for visit in result.visits],
        "grads": {leaf.name: leaf.printed for leaf in result.leaves},
        "grad_values": {leaf.name: leaf.grad.reshape(-1)[:1000].tolist() for leaf in result.leaves},
    }
    return report
