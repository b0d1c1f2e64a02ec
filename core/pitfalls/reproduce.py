"""The pitfalls page's script: the chosen mistake and its fix run as the page runs them, or the timing demo.

The demos are core's own functions (and the saved-bytes counter they use), copied by core.script_source.
"""

from __future__ import annotations

import torch

from core.pitfalls import mistakes
from core.script_parts.demos import show, time_both_ways
from core.script_source import routines
from core.scripts import header
from core.settings import Settings


def script(case: str, x: torch.Tensor, settings: Settings) -> str:
    """The chosen mistake and its fix, run as the page runs them; or the unsynchronised timing demo."""
    if case == mistakes.SYNC_TIMING:
        parts = routines(time_both_ways)
        size, budget_s = mistakes.sync_size(settings.device), mistakes.SYNC_BUDGET_S
        glue = [f"time_both_ways({size!r}, DEVICE, DTYPE, {budget_s!r})"]
    else:
        functions = next(p for p in mistakes.PITFALLS if p.key == case).functions
        parts = routines(*functions, show)
        values = ", ".join(repr(v) for v in x.detach().cpu().double().tolist())
        glue = [f"x = torch.tensor([{values}], dtype=DTYPE, device=DEVICE)"]
        for function in functions:
            glue += [f'print("--- {function.__name__} ---")', f"show({function.__name__}, x)"]
    return "\n".join([*header("typical mistakes", settings, {"case": case}, parts.imports), *parts.lines, *glue, ""])
