"""The Eager vs compiled page's script: the program as a function, Dynamo's explain, fullgraph, export,
recompiles on a size and a dtype change, and each backend's compile time and time per call."""

from __future__ import annotations

from collections.abc import Sequence

from core.program import Program
from core.scripts import header, input_lines, statement_lines
from core.settings import Settings


def script(
    program: Program, values: str | None, n: int, settings: Settings, backends: Sequence[str], budget_s: float
) -> str:
    """A standalone script printing what the page shows, in the same order."""
    extra = {"x": values, "n": n if values is None else None, "backends": ",".join(backends)}
    names = ", ".join(program.inputs)
    lines = [*header("eager vs compiled", settings, extra), "import time", "", "from torch.utils import benchmark", ""]
    lines += input_lines(values, n, program.inputs)
    lines += ["", "", f"def program({names}):", *(f"    {line}" for line in statement_lines(program))]
    lines += [f"    return {program.output}", "", ""]
    return "\n".join([*lines, *_capture(program), *_export(names), *_recompiles(), *_cost(backends, budget_s)])


def _capture(program: Program) -> list[str]:
    """Eager's output, Dynamo's explain (graphs, breaks with their lines) and fullgraph=True."""
    return [
        f"inputs = dict({', '.join(f'{name}={name}' for name in program.inputs)})",
        '_print("eager:", program(**inputs))',
        "",
        "# what Dynamo captures: graphs, and each graph break with its reason and line",
        "torch._dynamo.reset()",
        "explained = torch._dynamo.explain(program)(**inputs)",
        '_print("graphs:", explained.graph_count, "graph breaks:", explained.graph_break_count)',
        "for reason in explained.break_reasons:",
        '    _print("break:", reason.reason, "at line", reason.user_stack[-1].lineno if reason.user_stack else "?")',
        "for number, graph in enumerate(explained.graphs, 1):",
        '    ops = [str(node.target) for node in graph.graph.nodes if node.op in ("call_function", "call_method")]',
        '    _print(f"graph {number}:", ops)',
        "",
        "# fullgraph=True: one graph, or PyTorch's refusal",
        "torch._dynamo.reset()",
        "try:",
        '    _print("fullgraph:", torch.compile(program, fullgraph=True, backend="eager")(**inputs))',
        "except Exception as exc:",
        '    _print(f"fullgraph refused: {_type(exc).__name__}: {exc}")',
        "",
    ]


def _export(names: str) -> list[str]:
    return [
        "# torch.export: the whole program as one graph, or PyTorch's refusal",
        "",
        "",
        "class Program(torch.nn.Module):",
        f"    def forward(self, {names}):",
        f"        return program({names})",
        "",
        "",
        "try:",
        f"    exported = torch.export.export(Program(), ({names},))",
        "    _print(exported.graph_module.code)",
        "except Exception as exc:",
        '    _print(f"export refused: {_type(exc).__name__}")',
        "",
    ]


def _recompiles() -> list[str]:
    return [
        "# guards and recompiles: x one and two elements longer, then in another dtype",
        "from torch._dynamo.utils import guard_failures",
        "",
        "for dynamic in (None, True):",
        "    torch._dynamo.reset()",
        "    guard_failures.clear()",
        "    compiled = torch.compile(program, backend='eager', dynamic=dynamic)",
        "    longer = lambda k: {n: torch.cat([t, t[:k].repeat(k)[:k]]) for n, t in inputs.items()}",
        "    other = torch.float64 if x.dtype != torch.float64 else torch.float32",
        "    for values in (inputs, inputs, longer(1), longer(2), {n: t.to(other) for n, t in longer(2).items()}):",
        "        compiled(**values)",
        '    _print(f"dynamic={dynamic}:", [r for reasons in guard_failures.values() for r in reasons])',
        "",
    ]


def _cost(backends: Sequence[str], budget_s: float) -> list[str]:
    return [
        "# what compiling costs: compile time (first call) and time per call, per backend",
        f"BUDGET_S = {budget_s!r}",
        "",
        "",
        "def per_call(fn):",
        "    timer = benchmark.Timer(stmt='fn()', globals={'fn': fn}, num_threads=torch.get_num_threads())",
        "    return timer.blocked_autorange(min_run_time=BUDGET_S).median",
        "",
        "",
        f"for backend in {tuple(backends)!r}:",
        "    if backend == 'eager':",
        '        _print("eager: per call", per_call(lambda: program(**inputs)), "s")',
        "        continue",
        "    torch._dynamo.reset()",
        "    compiled = torch.compile(program, backend=backend)",
        "    started = time.perf_counter()",
        "    try:",
        "        compiled(**inputs)",
        "    except Exception as exc:  # Inductor needs a C++ compiler (g++) on the CPU",
        '        _print(f"{backend}: {_type(exc).__name__}: {exc}")',
        "        continue",
        "    compile_s = time.perf_counter() - started",
        '    _print(f"{backend}: compile {compile_s:.3f} s, per call", per_call(lambda: compiled(**inputs)), "s")',
        "",
    ]
