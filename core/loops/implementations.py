"""The lesson's first pitfall, made measurable: the same elementwise program as a Python loop and vectorized.

Three implementations, all running the learner's own statements (compiled once, see core.closures):
- `lesson_loop`: indexes the tensors element by element, as the lesson's loop does, and rebuilds a
  tensor with torch.tensor(result) at the end; every element pays PyTorch's per-call overhead;
- `float_loop`: the same over Python floats from .tolist(); no PyTorch inside the loop at all;
- `vectorized`: one call on the whole tensors.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

import torch

from core.agreement import Agreement, compare
from core.closures import FLOATS, TORCH, compile_program
from core.program import Program, ProgramError, run_program

LOOPS = ("lesson_loop", "float_loop")
IMPLEMENTATIONS = (*LOOPS, "vectorized")
REDUCTIONS = frozenset({"sum", "mean", "max", "min"})
# Agreement tolerance per dtype: the float loop computes in float64, the others in the chosen dtype.
TOLERANCE = {
    torch.float64: (1e-9, 1e-9),
    torch.float32: (1e-5, 1e-5),
    torch.float16: (1e-2, 1e-2),
    torch.bfloat16: (2e-2, 2e-2),
}

Implementation = Callable[[Mapping[str, torch.Tensor]], torch.Tensor]


def _as_torch_does(name: str, function: Callable[..., float]) -> Callable[..., float]:
    """`function` over floats; where math raises and torch answers (math.sin(inf): "math domain error", torch
    nan), torch's own answer on float64 scalars."""

    def safe(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except (ValueError, OverflowError, ZeroDivisionError):
            scalars = [torch.tensor(float(a), dtype=torch.float64) for a in args]
            return getattr(torch, name)(*scalars, **kwargs).item()

    return safe


# the float loop never raises where PyTorch gives nan or inf: math's own functions (sin, cos, tanh) guarded, the rest
# of FLOATS already is (a wrapper per call would add to the loop's time, so only where math may raise)
LOOP_FLOATS = replace(
    FLOATS,
    functions={
        name: _as_torch_does(name, f) if getattr(f, "__module__", None) == "math" else f
        for name, f in FLOATS.functions.items()
    },
)


def check_elementwise(program: Program) -> None:
    """Refuse reductions and matrix products: element i of the result must depend on element i of x alone.

    Raises:
        ProgramError: "not_elementwise" at the offending call or operator.
    """
    for branch in program.branches:  # one decision for the whole tensor: no element-by-element meaning
        raise ProgramError("branch_not_elementwise", branch.line, 1)
    for statement in program.statements:
        for node in ast.walk(statement.expression):
            if isinstance(node, ast.Call) and node.func.attr in REDUCTIONS and not _is_two_tensor_min_max(node):
                raise ProgramError("not_elementwise", node.lineno, node.col_offset + 1, name=f"{node.func.attr}()")
            if isinstance(node, ast.BinOp) and isinstance(node.op, ast.MatMult):
                raise ProgramError("not_elementwise", node.lineno, node.col_offset + 1, name="@")


def _is_two_tensor_min_max(node: ast.Call) -> bool:
    """torch.max(a, b) and a.max(b) are elementwise; a.max() is a reduction."""
    if node.func.attr not in {"max", "min"}:
        return False
    is_function = isinstance(node.func.value, ast.Name) and node.func.value.id == "torch"
    if len(node.args) != (2 if is_function else 1) or node.keywords:
        return False
    # torch.max(x, 1), x.max(0) and x.max(0 + 0) reduce along a dimension: an argument that reads no
    # variable is a dim, however it is written; only a tensor argument makes max/min elementwise
    return any(isinstance(part, ast.Name) for part in ast.walk(node.args[-1]))


@dataclass(frozen=True, kw_only=True)
class Implementations:
    """The three callables for one program, and the name of the output they all compute."""

    output: str
    functions: Mapping[str, Implementation]
    program: Program


def build_implementations(program: Program) -> Implementations:
    """Compile `program` for tensors and for floats, and wrap each in its loop (or none)."""
    check_elementwise(program)
    output = program.output
    on_tensors = compile_program(program, TORCH)
    on_floats = compile_program(program, LOOP_FLOATS)
    names = program.inputs

    def lesson_loop(inputs):
        x = inputs["x"]
        result = []
        for i in range(len(x)):
            result.append(on_tensors({n: inputs[n][i] for n in names})[output])
        return torch.tensor(result, dtype=x.dtype, device=x.device)

    def float_loop(inputs):
        x = inputs["x"]
        columns = [inputs[n].tolist() for n in names]
        result = [on_floats(dict(zip(names, row, strict=True)))[output] for row in zip(*columns, strict=True)]
        return torch.tensor(result, dtype=x.dtype, device=x.device)

    def vectorized(inputs):
        return on_tensors(inputs)[output]

    functions = {"lesson_loop": lesson_loop, "float_loop": float_loop, "vectorized": vectorized}
    return Implementations(output=output, functions=functions, program=program)


def check_agreement(implementations: Implementations, inputs: Mapping[str, torch.Tensor]) -> tuple[Agreement, ...]:
    """Run all three on the same inputs and compare each loop with the vectorized call (core.agreement).

    Raises:
        ProgramError: the eager run's own error when the program fails or yields no tensor on these inputs.
    """
    trace = run_program(implementations.program, inputs)
    if trace.error is not None:
        raise trace.error
    result = trace.env[implementations.output]
    if not result.is_floating_point() or result.shape != inputs["x"].shape:
        raise ProgramError("loops_output", name=implementations.output)
    reference = implementations.functions["vectorized"](inputs)
    rtol, atol = TOLERANCE[reference.dtype]
    return tuple(compare(name, implementations.functions[name](inputs), reference, rtol, atol) for name in LOOPS)
