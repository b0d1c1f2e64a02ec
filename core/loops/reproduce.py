"""The loops page's script: the lesson's loop against the vectorized statements, timed per size, then profiled."""

from __future__ import annotations

from collections.abc import Sequence

from core.loops.profile import DEFAULT_PROFILE_N
from core.program import Program
from core.script_parts.loops import lesson_loop, time_sizes
from core.script_parts.profiling import profiled
from core.script_source import routines
from core.scripts import header, input_lines, statement_lines
from core.settings import Settings

LOOP_LIMIT = 10_000  # past this size the script estimates the loop from its cost per element instead of running it


def script(
    program: Program, sizes: Sequence[int], budget_s: float, settings: Settings, profile_n: int = DEFAULT_PROFILE_N
) -> str:
    """The lesson's loop (one element at a time) against the vectorized statements, timed per size; then both under
    torch.profiler at `profile_n`, as the page's "where eager's time goes" shows them."""
    extra = {"sizes": ",".join(str(n) for n in sizes), "budget_s": budget_s, "profile_n": profile_n}
    parts = routines(lesson_loop, time_sizes, profiled)
    names = ", ".join(program.inputs)
    lines = [*header("loops vs vectorized", settings, extra, parts.imports), *parts.lines]
    lines += [f"def vectorized({names}):", *(f"    {code}" for code in statement_lines(program))]
    lines += [f"    return {program.output}", "", ""]
    lines += ["def make_inputs(n):", *(f"    {line}" for line in input_lines(None, "n", program.inputs))]
    lines += [f"    return {names}," if len(program.inputs) == 1 else f"    return {names}", "", ""]
    lines += [f"time_sizes(vectorized, make_inputs, {list(sizes)!r}, {budget_s!r}, {LOOP_LIMIT!r})", ""]
    lines += [
        "# where eager's time goes: both under torch.profiler at one size, as the page profiles them",
        f"inputs = make_inputs({profile_n!r})",
        f"profiled('lesson_loop', lambda: lesson_loop(vectorized, *inputs), {profile_n!r})",
        f"profiled('vectorized', lambda: vectorized(*inputs), {profile_n!r})",
        "",
    ]
    return "\n".join(lines)
