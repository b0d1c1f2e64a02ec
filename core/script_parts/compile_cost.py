"""What compiling costs, for scripts: per backend, the compile time (the first call) and the time per call."""

import functools
import time
from collections.abc import Callable, Iterable, Mapping

import torch

from core.script_parts.timer import median_seconds


def show_costs(
    program: Callable[..., torch.Tensor], inputs: Mapping[str, torch.Tensor], backends: Iterable[str], budget_s: float
) -> None:
    """Each backend compiled from a fresh Dynamo: the first call's seconds (capture, compilation and one run), then
    the median time per call; eager is not compiled."""
    for backend in backends:
        if backend == "eager":
            print("eager: per call", median_seconds(functools.partial(program, **inputs), budget_s), "s")
            continue
        torch._dynamo.reset()
        compiled = torch.compile(program, backend=backend)
        started = time.perf_counter()
        try:
            compiled(**inputs)
        except Exception as exc:  # Inductor needs a C++ compiler (g++) on the CPU
            print(f"{backend}: {type(exc).__name__}: {exc}")
            continue
        compile_s = time.perf_counter() - started
        per_call = median_seconds(functools.partial(compiled, **inputs), budget_s)
        print(f"{backend}: compile {compile_s:.3f} s, per call", per_call, "s")
