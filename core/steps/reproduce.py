"""The step-by-step page's script: the statements run so far, each printed as the page's cards show it."""

from __future__ import annotations

from core.program import Program
from core.script_parts.steps import Cards
from core.script_source import routines
from core.scripts import header, input_lines, statement_lines
from core.settings import Settings


def script(program: Program, values: str | None, n: int, settings: Settings, executed: int) -> str:
    """The first `executed` assignments, each followed by its card (print of its value), as the page shows them.

    Like the page, the run stops at the first statement PyTorch refuses and shows its message; a program with if/for
    blocks runs whole, pausing after `executed` assignments as the page did (a loop's line runs once per turn).
    """
    parts = routines(Cards)
    lines = [*header("step by step", settings, {"x": values, "n": n if values is None else None}, parts.imports)]
    lines += [*parts.lines, *input_lines(values, n, program.inputs)]
    lines += [f'_print("{name} =", {name})' for name in program.inputs]

    def card(statement) -> list[str]:
        return [f'_cards.show("line {statement.line}: {statement.target} =", {statement.target})']

    if program.has_control_flow:
        body = statement_lines(program, after=card)
    else:
        shown = program.statements[:executed]
        body = [
            line for s, code in zip(shown, statement_lines(program, executed), strict=True) for line in (code, *card(s))
        ]
    return "\n".join(
        [
            *lines,
            f"_cards = Cards({executed}, _print)",
            "try:",
            "    _cards.start()",
            *(f"    {line}" for line in body),
            "except _cards.Paused:",
            "    pass",
            "except Exception as _exc:  # PyTorch's refusal, as the page shows it",
            "    _cards.refused(_exc)",
            "",
        ]
    )
