"""The Eager vs compiled page's script: the program as a function, Dynamo's explain, fullgraph, export,
recompiles on a size and a dtype change, and each backend's compile time and time per call."""

from __future__ import annotations

from collections.abc import Sequence

from core.compiled.guards import call_plan
from core.program import Program
from core.script_parts.capture import show_capture, show_export, show_fullgraph, show_recompiles
from core.script_parts.compile_cost import show_costs
from core.script_source import routines
from core.scripts import header, input_lines, statement_lines
from core.settings import Settings


def script(
    program: Program, values: str | None, n: int, settings: Settings, backends: Sequence[str], budget_s: float
) -> str:
    """A standalone script printing what the page shows, in the same order."""
    extra = {"x": values, "n": n if values is None else None, "backends": ",".join(backends)}
    parts = routines(show_capture, show_fullgraph, show_export, call_plan, show_recompiles, show_costs)
    names = ", ".join(program.inputs)
    lines = [*header("eager vs compiled", settings, extra, parts.imports), *parts.lines]
    lines += input_lines(values, n, program.inputs)
    lines += ["", "", f"def program({names}):", *(f"    {line}" for line in statement_lines(program))]
    lines += [f"    return {program.output}", "", ""]
    lines += [
        f"inputs = dict({', '.join(f'{name}={name}' for name in program.inputs)})",
        "show_capture(program, inputs)",
        "show_fullgraph(program, inputs)",
        "show_export(program, inputs)",
        "# guards and recompiles: x one and two elements longer, then in another dtype",
        "show_recompiles(program, call_plan(inputs))",
        "# what compiling costs: compile time (first call) and time per call, per backend",
        f"show_costs(program, inputs, {tuple(backends)!r}, {budget_s!r})",
        "",
    ]
    return "\n".join(lines)
