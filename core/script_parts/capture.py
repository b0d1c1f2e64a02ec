"""The compiled page's capture routines for scripts: Dynamo's explain, fullgraph=True, torch.export, and the guards
that make a compiled function recompile."""

from collections.abc import Callable, Iterable, Mapping

import torch
from torch._dynamo.utils import guard_failures

Inputs = Mapping[str, torch.Tensor]


def show_capture(program: Callable[..., torch.Tensor], inputs: Inputs) -> None:
    """Eager's output, then what Dynamo captures: its graphs' operations, and each graph break with its reason and
    the program's line (its statements are lines 1, 2, ... after the def)."""
    print("eager:", program(**inputs))
    torch._dynamo.reset()
    explained = torch._dynamo.explain(program)(**inputs)
    print("graphs:", explained.graph_count, "graph breaks:", explained.graph_break_count)
    first = program.__code__.co_firstlineno
    for reason in explained.break_reasons:
        print("break:", reason.reason, "at line", reason.user_stack[-1].lineno - first if reason.user_stack else "?")
    for number, graph in enumerate(explained.graphs, 1):
        ops = [str(node.target) for node in graph.graph.nodes if node.op in ("call_function", "call_method")]
        print(f"graph {number}:", ops)


def show_fullgraph(program: Callable[..., torch.Tensor], inputs: Inputs) -> None:
    """torch.compile(fullgraph=True): one graph and its result, or PyTorch's refusal."""
    torch._dynamo.reset()
    try:
        print("fullgraph:", torch.compile(program, fullgraph=True, backend="eager")(**inputs))
    except Exception as exc:
        print(f"fullgraph refused: {type(exc).__name__}: {exc}")


class AsModule(torch.nn.Module):
    """A function as a module's forward, the form torch.export takes."""

    def __init__(self, function: Callable[..., torch.Tensor]) -> None:
        super().__init__()
        self.function = function

    def forward(self, *args: torch.Tensor) -> torch.Tensor:
        return self.function(*args)


def show_export(program: Callable[..., torch.Tensor], inputs: Inputs) -> None:
    """torch.export: the whole program as one graph's code, or the name of PyTorch's refusal."""
    try:
        exported = torch.export.export(AsModule(program), tuple(inputs.values()))
        print(exported.graph_module.code)
    except Exception as exc:
        print(f"export refused: {type(exc).__name__}")


def show_recompiles(program: Callable[..., torch.Tensor], calls: Iterable[Inputs]) -> None:
    """The program compiled static first (torch.compile's default) then dynamic, called with each of `calls`: the
    guards that failed, as Dynamo words them (each failure made it recompile)."""
    for dynamic in (None, True):
        torch._dynamo.reset()
        guard_failures.clear()
        compiled = torch.compile(program, backend="eager", dynamic=dynamic)
        for values in calls:
            compiled(**values)
        print(f"dynamic={dynamic}:", [reason for reasons in guard_failures.values() for reason in reasons])
