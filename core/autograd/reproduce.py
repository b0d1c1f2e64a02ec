"""The autograd page's script: flags after the forward, then backward and every leaf's .grad, or its refusal."""

from __future__ import annotations

from collections.abc import Sequence

from core.program import Program
from core.script_parts.autograd import AutogradReport
from core.script_source import routines
from core.scripts import header, input_lines, statement_lines
from core.settings import Settings


def script(
    program: Program,
    values: str | None,
    n: int,
    settings: Settings,
    requires_grad: Sequence[str],
    output: str,
    reduction: str | None,
    backward: bool = True,
) -> str:
    """Flags of every tensor after the forward, then (when asked) backward and each leaf's .grad, or its refusal."""
    chosen = [name for name in program.inputs if name in requires_grad]
    extra = {"x": values, "requires_grad": ",".join(chosen), "output": output, "reduce": reduction or "none"}
    parts = routines(AutogradReport)
    lines = [*header("autograd", settings, extra, parts.imports), *parts.lines, *input_lines(values, n, program.inputs)]
    lines += [f"{name}.requires_grad_(True)" for name in chosen]
    leaves = ", ".join(f'"{name}": {name}' for name in chosen)
    lines += [f"_leaves = {{{leaves}}}  # the inputs as created: a statement may reuse their names"]
    lines += ["_report = AutogradReport(_print)", ""]
    lines += ["try:", *(f"    {code}" for code in statement_lines(program))]
    lines += ["except Exception as _exc:", '    raise SystemExit(f"{_type(_exc).__name__}: {_exc}") from None', ""]
    lines += [f'_report.flags("{name}", {name})' for name in dict.fromkeys((*program.inputs, *program.targets))]
    if backward:
        root = f"{output}.{reduction}() if {output}.numel() != 1 else {output}" if reduction else output
        lines.append(f"_report.backward(lambda: {root}, _leaves)")
    return "\n".join([*lines, ""])
