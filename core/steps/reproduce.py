"""The step-by-step page's script: the statements run so far, each printed as the page's cards show it."""

from __future__ import annotations

from core.program import Program
from core.scripts import header, input_lines, statement_lines
from core.settings import Settings


def script(program: Program, values: str | None, n: int, settings: Settings, executed: int) -> str:
    """The first `executed` statements, each followed by print() of its result, as the page's cards show.

    Like the page, the run stops at the first statement PyTorch refuses and shows its message.
    """
    lines = [*header("step by step", settings, {"x": values, "n": n if values is None else None})]
    lines += input_lines(values, n, program.inputs)
    lines += [f'_print("{name} =", {name})' for name in program.inputs]
    if program.has_control_flow:
        return "\n".join([*lines, *_blocks_run(program, executed)])
    lines += ["", "try:"]
    for statement, code in zip(program.statements[:executed], statement_lines(program, executed), strict=True):
        lines += [f"    {code}", f'    _print("line {statement.line}: {statement.target} =")']
        lines.append(f"    _print({statement.target})")
    lines += [
        "    pass",
        "except Exception as _exc:  # PyTorch's refusal, as the page shows it",
        '    _print(f"{_type(_exc).__name__}: {_exc}")',
        "",
    ]
    return "\n".join(lines)


def _blocks_run(program: Program, executed: int) -> list[str]:
    """A program with if/for blocks: the whole program, each assignment printed as it runs, stopping after
    `executed` of them as the page did (a loop's line runs once per turn)."""

    def show(statement) -> list[str]:
        return [f'_show("line {statement.line}: {statement.target} =", {statement.target})']

    body = statement_lines(program, after=show)
    return [
        "",
        "",
        "class _Paused(Exception):",
        '    """Raised where the page paused."""',
        "",
        "",
        "_shown = 0",
        "",
        "",
        "def _show(label, value):",
        "    global _shown",
        "    _print(label)",
        "    _print(value)",
        "    _shown += 1",
        f"    if _shown >= {executed}:",
        "        raise _Paused",
        "",
        "",
        "try:",
        f"    if {executed} == 0:",
        "        raise _Paused",
        *(f"    {line}" for line in body),
        "except _Paused:",
        "    pass",
        "except Exception as _exc:  # PyTorch's refusal, as the page shows it",
        '    _print(f"{_type(_exc).__name__}: {_exc}")',
        "",
    ]
