"""Guards and recompilation: the same compiled program called with x changed in size, then in dtype.

Dynamo compiles for what it saw and guards that assumption; a call that breaks a guard recompiles. The reasons are
Dynamo's own (`torch._dynamo.utils.guard_failures`), and a counting backend says how many graphs were compiled.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import torch
from torch._dynamo.utils import guard_failures

from core.compiled.function import BuiltFunction

# dynamic=None is torch.compile's default: static first, then "automatic dynamic" once a size has changed
DYNAMIC_CHOICES = (None, True)


@dataclass(frozen=True, kw_only=True)
class GuardedCall:
    """One call of the compiled program: the inputs' size and dtype, graphs compiled for it, and Dynamo's reasons."""

    numel: int
    dtype: str
    compiled_graphs: int  # graphs compiled during this call (0: every guard held, nothing recompiled)
    reasons: tuple[str, ...]  # the guard failures that made it recompile, as Dynamo words them


@dataclass(frozen=True, kw_only=True)
class Recompiles:
    """The calls under one `dynamic` setting, and the graph signatures Dynamo compiled (their input shapes)."""

    dynamic: bool | None
    calls: tuple[GuardedCall, ...]
    signatures: tuple[str, ...]
    error: str = ""  # PyTorch's own message when a call failed


def call_plan(inputs: Mapping[str, torch.Tensor]) -> tuple[dict[str, torch.Tensor], ...]:
    """The calls shown: the inputs as they are, again, one and two elements longer, then in another dtype."""
    x = next(iter(inputs.values()))  # x, or the first input a program reads
    other = torch.float64 if x.dtype != torch.float64 else torch.float32

    def longer(extra: int) -> dict[str, torch.Tensor]:
        return {name: torch.cat([t, t.reshape(-1)[:extra].repeat(extra)[:extra]]) for name, t in inputs.items()}

    two_longer = longer(2)
    return (dict(inputs), dict(inputs), longer(1), two_longer, {n: t.to(other) for n, t in two_longer.items()})


def recompiles(built: BuiltFunction, inputs: Mapping[str, torch.Tensor], dynamic: bool | None) -> Recompiles:
    """Call `torch.compile(dynamic=dynamic)` of the program along `call_plan`, recording what each call compiled."""
    torch._dynamo.reset()
    guard_failures.clear()
    signatures: list[str] = []

    def counting_backend(module: torch.fx.GraphModule, example_inputs):
        signatures.append(", ".join(_describe(v) for v in example_inputs))
        return module.forward

    compiled = torch.compile(built.function, backend=counting_backend, dynamic=dynamic)
    calls = []
    for values in call_plan(inputs):
        graphs_before, seen = len(signatures), _reason_counts(built)
        try:
            compiled(**values)
        except Exception as exc:  # noqa: BLE001 - PyTorch's refusal is what the learner reads
            error = f"{type(exc).__name__}: {exc}"
            return Recompiles(dynamic=dynamic, calls=tuple(calls), signatures=tuple(signatures), error=error)
        x = next(iter(values.values()))
        new_reasons = _new_reasons(built, seen)
        dtype = str(x.dtype).removeprefix("torch.")
        compiled_graphs = len(signatures) - graphs_before
        calls.append(GuardedCall(numel=x.numel(), dtype=dtype, compiled_graphs=compiled_graphs, reasons=new_reasons))
    return Recompiles(dynamic=dynamic, calls=tuple(calls), signatures=tuple(signatures))


def _reason_counts(built: BuiltFunction) -> dict[object, int]:
    """How many guard failures each of the program's code objects (resume functions included) has recorded so far."""
    return {code: len(reasons) for code, reasons in guard_failures.items() if code.co_filename == built.filename}


def _new_reasons(built: BuiltFunction, seen: Mapping[object, int]) -> tuple[str, ...]:
    """The failures recorded since `seen`, code object by code object: exactly what `TORCH_LOGS=recompiles` logs."""
    return tuple(
        reason
        for code, reasons in guard_failures.items()
        if code.co_filename == built.filename
        for reason in reasons[seen.get(code, 0) :]
    )


def _describe(value) -> str:
    if isinstance(value, torch.Tensor):
        return f"{str(value.dtype).removeprefix('torch.')}[{', '.join(str(s) for s in value.shape)}]"
    return f"Sym({value})"
