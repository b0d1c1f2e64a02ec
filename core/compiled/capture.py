"""What PyTorch 2's graph capture makes of a built program: Dynamo's explain, fullgraph=True, and torch.export.

Each result is plain (text, counts, line numbers) so it can leave the worker; errors are PyTorch's own, verbatim.
"""

from __future__ import annotations

import re
import time
from collections.abc import Mapping
from dataclasses import dataclass

import torch

from core.compiled.function import BuiltFunction

# the rewrites a fullgraph error may suggest, and the words of PyTorch's hint that name them
SUGGESTIONS = {"where": "torch.where", "cond": "torch.cond"}


@dataclass(frozen=True, kw_only=True)
class CapturedGraph:
    """One graph Dynamo captured: its operations in order and the program lines they came from."""

    ops: tuple[str, ...]
    lines: tuple[int | None, ...]  # per op


@dataclass(frozen=True, kw_only=True)
class GraphBreak:
    """Where Dynamo stopped capturing and resumed eagerly: PyTorch's reason, at the program's line."""

    reason: str
    line: int | None
    source: str


@dataclass(frozen=True, kw_only=True)
class Explained:
    """`torch._dynamo.explain` of the program: graphs, breaks, and how long explaining took."""

    graph_count: int
    break_count: int  # Dynamo says -1 when it skipped the whole function (a graph break inside a loop)
    graphs: tuple[CapturedGraph, ...]
    breaks: tuple[GraphBreak, ...]
    seconds: float
    error: str = ""  # PyTorch's own message when explaining failed

    @property
    def skipped(self) -> bool:
        """Dynamo captured nothing and ran the whole function eagerly."""
        return not self.error and self.graph_count == 0


@dataclass(frozen=True, kw_only=True)
class Fullgraph:
    """`torch.compile(fullgraph=True)`: one graph and its result, or PyTorch's refusal verbatim with its hints."""

    compiled: bool
    error_type: str
    error: str
    suggestions: tuple[str, ...]  # keys of SUGGESTIONS that PyTorch's message names
    printed: str  # the compiled call's output, when it compiled
    seconds: float


@dataclass(frozen=True, kw_only=True)
class Exported:
    """`torch.export.export` of the program: the exported graph's code, or PyTorch's refusal verbatim."""

    exported: bool
    code: str
    error_type: str
    error: str
    printed: str  # the exported program's output on the inputs, when it exported
    seconds: float


def explain(built: BuiltFunction, inputs: Mapping[str, torch.Tensor]) -> Explained:
    """Run Dynamo's explain on the program's function (a fresh Dynamo, so nothing is reused from before)."""
    torch._dynamo.reset()
    started = time.perf_counter()
    try:
        result = torch._dynamo.explain(built.function)(**inputs)
    except Exception as exc:  # noqa: BLE001 - PyTorch's refusal is what the learner reads
        return Explained(
            graph_count=0,
            break_count=0,
            graphs=(),
            breaks=(),
            seconds=time.perf_counter() - started,
            error=f"{type(exc).__name__}: {exc}",
        )
    seconds = time.perf_counter() - started
    graphs = tuple(_graph(g, built.filename) for g in result.graphs)
    breaks = tuple(_break(b, built.filename) for b in result.break_reasons)
    return Explained(
        graph_count=result.graph_count,
        break_count=result.graph_break_count,
        graphs=graphs,
        breaks=breaks,
        seconds=seconds,
    )


def _graph(module: torch.fx.GraphModule, filename: str) -> CapturedGraph:
    nodes = [n for n in module.graph.nodes if n.op in {"call_function", "call_method"}]
    return CapturedGraph(
        ops=tuple(_op_name(n.target) for n in nodes),
        lines=tuple(line_in(n.meta.get("stack_trace") or "", filename) for n in nodes),
    )


def _op_name(target: object) -> str:
    return target if isinstance(target, str) else getattr(target, "__name__", str(target))


def line_in(text: str, filename: str) -> int | None:
    """The last line of `filename` that a traceback-like `text` names (the program's own frame, innermost)."""
    found = re.findall(rf'File "{re.escape(filename)}", line (\d+)', text)
    return int(found[-1]) if found else None


def _break(reason, filename: str) -> GraphBreak:
    frames = [f for f in reason.user_stack if f.filename == filename]
    frame = frames[-1] if frames else None
    return GraphBreak(
        reason=str(reason.reason),
        line=frame.lineno if frame else None,
        source=(frame.line or "").strip() if frame else "",
    )


def fullgraph(built: BuiltFunction, inputs: Mapping[str, torch.Tensor]) -> Fullgraph:
    """Compile with fullgraph=True (the eager backend: capture is the question, not code generation) and call it."""
    torch._dynamo.reset()
    started = time.perf_counter()
    try:
        output = torch.compile(built.function, fullgraph=True, backend="eager")(**inputs)
    except Exception as exc:  # noqa: BLE001 - whatever Dynamo raises is what the learner reads
        message = str(exc)
        suggestions = tuple(key for key, words in SUGGESTIONS.items() if words in message)
        return Fullgraph(
            compiled=False,
            error_type=type(exc).__name__,
            error=message,
            suggestions=suggestions,
            printed="",
            seconds=time.perf_counter() - started,
        )
    return Fullgraph(
        compiled=True,
        error_type="",
        error="",
        suggestions=(),
        printed=str(output),
        seconds=time.perf_counter() - started,
    )


class _AsModule(torch.nn.Module):
    """torch.export takes a Module: this one's forward is the program's function."""

    def __init__(self, built: BuiltFunction) -> None:
        super().__init__()
        self.built = built

    def forward(self, **inputs: torch.Tensor) -> torch.Tensor:  # by name, so the exported graph keeps x, w, b
        return self.built.function(**inputs)


def export(built: BuiltFunction, inputs: Mapping[str, torch.Tensor]) -> Exported:
    """Export the whole program as one graph, or keep PyTorch's refusal (a data-dependent branch cannot export)."""
    torch._dynamo.reset()
    named = {name: inputs[name] for name in built.inputs}
    started = time.perf_counter()
    try:
        program = torch.export.export(_AsModule(built), (), kwargs=named)
        printed = str(program.module()(**named))
    except Exception as exc:  # noqa: BLE001 - PyTorch's refusal is the lesson
        return Exported(
            exported=False,
            code="",
            error_type=type(exc).__name__,
            error=str(exc),
            printed="",
            seconds=time.perf_counter() - started,
        )
    return Exported(
        exported=True,
        code=program.graph_module.code.strip(),
        error_type="",
        error="",
        printed=printed,
        seconds=time.perf_counter() - started,
    )
