"""What compiling costs and what it buys: compile time against time per call, per backend, and the break-even.

- `eager`: no compilation, the reference per call;
- `aot_eager`: Dynamo's graph plus AOTAutograd, run by eager kernels (capture's overhead, no code generation);
- `inductor`: torch.compile's default, generating C++ (CPU) or Triton (CUDA) kernels; it needs a C++ compiler
  on the CPU (g++ here), so it is measured only where one is found, and the reason is said otherwise.

Compile time is the first call after `torch._dynamo.reset()` (capture, compilation and one run). Only Dynamo is reset:
Inductor's FX graph cache (in the process and on disk, bounded: core.compiled.cache) survives, so a program it has
compiled before compiles much faster the next time. Each Inductor compile therefore says which it was, from
Inductor's own counters around the call: "cold" (a cache miss: it generated and built the kernels) or "warm" (every
graph came from its cache).
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Mapping
from dataclasses import dataclass

import torch

from core.compiled.cache import use_bounded_cache
from core.compiled.function import BuiltFunction
from core.devices import synchronize
from core.timing import Measurement, measure

BACKENDS = ("eager", "aot_eager", "inductor")
CXX_COMPILERS = ("g++", "c++", "clang++")


@dataclass(frozen=True, kw_only=True)
class BackendCost:
    """One backend: seconds to compile (None for eager), the time per call, and whether it could run here."""

    backend: str
    compile_s: float | None
    per_call: Measurement | None
    unavailable: str | None = None  # "no_cxx" or "no_triton" when the backend cannot run on this machine
    error: str = ""  # PyTorch's own message when compiling or calling failed
    cache: str | None = None  # Inductor only: "cold" (it generated the kernels) or "warm" (its cache gave them back)


def _fxgraph_counts() -> dict[str, int]:
    """Inductor's FX graph cache counters so far in this process (hits, misses, bypasses)."""
    from torch._dynamo.utils import counters

    inductor = counters["inductor"]
    return {kind: inductor[f"fxgraph_cache_{kind}"] for kind in ("hit", "miss", "bypass")}


def cache_state(before: Mapping[str, int], after: Mapping[str, int]) -> str | None:
    """Between two counts: "cold" if Inductor compiled any graph anew (a miss or a bypass), "warm" if every graph
    came from its cache (hits only), None if it compiled no graph."""
    delta = {kind: after[kind] - before[kind] for kind in after}
    if delta["miss"] or delta["bypass"]:
        return "cold"
    return "warm" if delta["hit"] else None


def unavailable_reason(backend: str, device: str) -> str | None:
    """Why `backend` cannot run on `device` here, or None: Inductor needs g++ for the CPU and Triton for CUDA."""
    if backend != "inductor":
        return None
    if device == "cuda":
        from torch.utils._triton import has_triton

        return None if has_triton() else "no_triton"
    if device == "mps":
        return None
    return None if any(shutil.which(c) for c in CXX_COMPILERS) else "no_cxx"


def backend_cost(
    built: BuiltFunction, inputs: Mapping[str, torch.Tensor], backend: str, device: str, budget_s: float
) -> BackendCost:
    """Compile the program with `backend` from a fresh Dynamo, then time a call (torch.utils.benchmark's way)."""
    reason = unavailable_reason(backend, device)
    if reason is not None:
        return BackendCost(backend=backend, compile_s=None, per_call=None, unavailable=reason)
    if backend == "eager":
        per_call = measure(lambda: built.function(**inputs), device=device, budget_s=budget_s)
        return BackendCost(backend=backend, compile_s=None, per_call=per_call)
    torch._dynamo.reset()
    use_bounded_cache()
    if backend == "inductor":
        import torch._inductor.config as inductor_config

        inductor_config.compile_threads = 1  # the worker has one core: no compile subprocesses beside it
    compiled = torch.compile(built.function, backend=backend)
    synchronize(device)
    counts = _fxgraph_counts()
    started = time.perf_counter()
    try:
        compiled(**inputs)
    except Exception as exc:  # noqa: BLE001 - PyTorch's refusal (a missing compiler, say) is what the learner reads
        return BackendCost(backend=backend, compile_s=None, per_call=None, error=f"{type(exc).__name__}: {exc}")
    synchronize(device)
    compile_s = time.perf_counter() - started
    cache = cache_state(counts, _fxgraph_counts()) if backend == "inductor" else None
    per_call = measure(lambda: compiled(**inputs), device=device, budget_s=budget_s)
    return BackendCost(backend=backend, compile_s=compile_s, per_call=per_call, cache=cache)


def break_even_calls(eager: BackendCost, compiled: BackendCost) -> float | None:
    """Calls after which compiling has paid for itself: compile time over the time saved per call.

    None when the compiled call is not faster (it never pays off) or either side was not measured.
    """
    if eager.per_call is None or compiled.per_call is None or compiled.compile_s is None:
        return None
    saved = eager.per_call.median - compiled.per_call.median
    if saved <= 0:
        return None
    return compiled.compile_s / saved
