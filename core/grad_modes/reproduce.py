"""The grad-modes page's script: the forward under each grad mode, its flags, saved bytes and time."""

from __future__ import annotations

from core.program import Program
from core.script_parts.grad_modes import compare_modes, seeded_mlp
from core.script_source import routines
from core.scripts import header, input_lines, statement_lines
from core.settings import Settings


def script(
    program: Program | None, settings: Settings, size: int, width: int, depth: int, batch: int, budget_s: float
) -> str:
    """The forward under each grad mode: output flags, bytes autograd saved beyond what exists anyway, time."""
    if program is not None:
        extra: dict[str, object] = {"workload": "program", "size": size}
        parts = routines(compare_modes)
        forward = _program_forward(program, size)
    else:
        extra = {"workload": "mlp", "width": width, "depth": depth, "batch": batch}
        parts = routines(seeded_mlp, compare_modes)
        forward = _mlp_forward(width, depth, batch)
    lines = [*header("grad modes", settings, extra, parts.imports), *parts.lines, *forward]
    return "\n".join([*lines, f"compare_modes(forward, anyway, {budget_s!r})", ""])


def _program_forward(program: Program, size: int) -> list[str]:
    """The program's inputs, requiring grad, and its statements as `forward()`."""
    names = ", ".join(program.inputs)
    lines = [*input_lines(None, size, program.inputs), f"anyway = [{names}]"]
    lines += ["for tensor in anyway:", "    tensor.requires_grad_(True)", "", ""]
    # the inputs bound as defaults: a statement may reassign an input's name (`x = x * 2`) inside forward()
    defaults = ", ".join(f"{name}={name}" for name in program.inputs)
    lines += [f"def forward({defaults}):", *(f"    {c}" for c in statement_lines(program))]
    return [*lines, f"    return {program.output}", "", ""]


def _mlp_forward(width: int, depth: int, batch: int) -> list[str]:
    """The seeded MLP and its batch, as the page builds them, with `forward()` calling the model."""
    return [
        f"model = seeded_mlp({width!r}, {depth!r}, SEED).to(device=DEVICE, dtype=DTYPE)",
        f"batch = torch.randn({batch!r}, {width!r}, generator=torch.Generator().manual_seed(SEED + 1))",
        "batch = batch.to(device=DEVICE, dtype=DTYPE)",
        "anyway = [*model.parameters(), batch]",
        "",
        "",
        "def forward():",
        "    return model(batch)",
        "",
        "",
    ]
