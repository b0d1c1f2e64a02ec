"""The autograd page's script: flags after the forward, then backward and every leaf's .grad, or its refusal."""

from __future__ import annotations

from collections.abc import Sequence

from core.program import Program
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
    lines = [*header("autograd", settings, extra), *input_lines(values, n, program.inputs)]
    lines += [f"{name}.requires_grad_(True)" for name in chosen]
    leaves = ", ".join(f'"{name}": {name}' for name in chosen)
    lines += [f"_leaves = {{{leaves}}}  # the inputs as created: a statement may reuse their names", ""]
    lines += ["try:", *(f"    {code}" for code in statement_lines(program))]
    lines += ["except Exception as _exc:", '    raise SystemExit(f"{_type(_exc).__name__}: {_exc}")', ""]
    for name in dict.fromkeys((*program.inputs, *program.targets)):
        grad_fn = f"_type({name}.grad_fn).__name__ if {name}.grad_fn is not None else None"
        lines.append(f'_print("{name}: requires_grad =", {name}.requires_grad, "is_leaf =", {name}.is_leaf, '
                     f'"grad_fn =", {grad_fn})')  # fmt: skip
    if not backward:
        return "\n".join([*lines, ""])
    root = f"{output}.{reduction}() if {output}.numel() != 1 else {output}" if reduction else output
    lines += [
        "",
        "try:",
        f"    _root = {root}",
        "    _root.backward()",
        "except RuntimeError as _exc:  # PyTorch's own refusal, as the page shows it",
        '    _print(f"{_type(_exc).__name__}: {_exc}")',
        "else:",
        "    for _name, _leaf in _leaves.items():",
        "        if _leaf.grad is not None:",
        '            _print(f"{_name}.grad =")',
        "            _print(_leaf.grad)",
        "",
    ]
    return "\n".join(lines)
