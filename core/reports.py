"""Each page's routine as plain JSON-ready data, for `python -m core` and for comparing exports later."""

from __future__ import annotations

import platform
from collections.abc import Sequence
from dataclasses import dataclass

import torch

from core import tensors
from core.backward import run_backward, run_forward
from core.cases import Outcome, run_demo
from core.devices import list_devices
from core.grad_modes import (
    DEFAULT_BATCH,
    DEFAULT_DEPTH,
    DEFAULT_SIZE,
    DEFAULT_WIDTH,
    ModeResult,
    compare_modes,
    mlp_workload,
    program_workload,
)
from core.loops import build_implementations, check_agreement
from core.pitfalls import PITFALLS, SYNC_TIMING, sync_timing
from core.program import Program, ProgramError, run_program
from core.sweep import copies_per_size, input_maker, plan_sizes, run_sweep
from core.tensors import DTYPES, program_inputs, summarize
from core.timing import measure


@dataclass(frozen=True)
class RunSettings:
    """The global settings a routine runs under: what a result needs to be compared later."""

    device: str = "cpu"
    dtype: str = "float32"
    seed: int = 0
    threads: int = torch.get_num_threads()

    @property
    def torch_dtype(self) -> torch.dtype:
        return DTYPES[self.dtype]


def provenance(settings: RunSettings, **page: object) -> dict[str, object]:
    """Settings, torch version, device name and thread count, carried by every export and CLI report."""
    label = next(d.label for d in list_devices() if d.name == torch.device(settings.device).type)
    if torch.device(settings.device).type == "cpu":
        label = f"{platform.processor() or platform.machine()} ({label})"
    return {
        "settings": {"device": settings.device, "dtype": settings.dtype, "seed": settings.seed, **page},
        "torch_version": torch.__version__,
        "device_name": label,
        "threads": settings.threads,
    }


def build_x(values: str | None, n: int, settings: RunSettings) -> torch.Tensor:
    """x from typed values when given, else n standard-normal values from the seed (as the pages do)."""
    return tensors.build_x(values, n, settings.dtype, settings.device, settings.seed)


def demo_vector(x: torch.Tensor) -> torch.Tensor:
    """Up to 8 elements of x for the small pitfall demos; [1., 2., 3.] when x has fewer than two."""
    flat = x.detach().reshape(-1)[:8]
    if flat.numel() >= 2:
        return flat
    return torch.tensor([1.0, 2.0, 3.0], dtype=x.dtype, device=x.device)


def _error(exc: ProgramError) -> dict[str, object]:
    return {"code": exc.code, "line": exc.line, "params": {k: str(v) for k, v in exc.params.items()}}


def steps_report(program: Program, x: torch.Tensor, settings: RunSettings) -> dict[str, object]:
    """Every statement run eagerly: its result's attributes, print() text and summary statistics."""
    inputs = program_inputs(program.inputs, x, settings.seed)
    trace = run_program(program, inputs)
    steps = []
    for step in trace.steps:
        summary = summarize(step.tensor)
        steps.append(
            {
                "line": step.line,
                "source": step.source,
                "target": step.target,
                "shape": list(step.shape),
                "dtype": step.dtype,
                "device": step.device,
                "requires_grad": step.requires_grad,
                "grad_fn": step.grad_fn,
                "printed": step.printed,
                "min": summary.minimum,
                "max": summary.maximum,
                "mean": summary.mean,
            }
        )
    return {
        "inputs": {name: str(tensor) for name, tensor in inputs.items()},
        "steps": steps,
        "error": _error(trace.error) if trace.error else None,
    }


def autograd_report(
    program: Program, x: torch.Tensor, settings: RunSettings, requires_grad: set[str], output: str, reduce: str | None
) -> dict[str, object]:
    """Flags after the forward, then backward's visit order and every leaf's .grad, or PyTorch's refusal."""
    values = program_inputs(program.inputs, x, settings.seed)
    forward = run_forward(program, values, requires_grad, output)
    report: dict[str, object] = {
        "output": output,
        "flags": [
            {"name": f.name, "requires_grad": f.requires_grad, "is_leaf": f.is_leaf, "grad_fn": f.grad_fn}
            for f in forward.flags()
        ],
        "graph_nodes": [node.label for node in forward.graph.nodes],
    }
    try:
        result = run_backward(program, values, requires_grad, output, reduce)
    except RuntimeError as exc:
        report["backward"] = {"error_type": type(exc).__name__, "error": str(exc)}
        return report
    report["backward"] = {
        "reduction": result.reduction,
        "visits": [visit.label for visit in result.visits],
        "grads": {leaf.name: leaf.printed for leaf in result.leaves},
        "grad_values": {leaf.name: leaf.grad.reshape(-1)[:1000].tolist() for leaf in result.leaves},
    }
    return report


def loops_report(
    program: Program, sizes: Sequence[int], budget_s: float, settings: RunSettings, x: torch.Tensor | None = None
) -> dict[str, object]:
    """The loops page's sweep: agreement of the three implementations on (up to 1000 elements of) x, then time per
    size and bandwidth on random inputs of each size from the seed."""
    implementations = build_implementations(program)
    make_inputs = input_maker(program, settings.dtype, settings.device, settings.seed)
    copies = copies_per_size(program)
    sample = program_inputs(program.inputs, x, settings.seed) if x is not None else make_inputs(1000)
    agreement = check_agreement(implementations, {k: v.reshape(-1)[:1000] for k, v in sample.items()})
    runnable, refused = plan_sizes(sizes, settings.torch_dtype, settings.device, copies)
    result = run_sweep(
        program, runnable, make_inputs, device=settings.device, threads=settings.threads, budget_s=budget_s
    )
    return {
        "output": implementations.output,
        "agreement": {"agrees": agreement.agrees, "max_abs_diff": dict(agreement.max_abs_diff)},
        "points": [
            {
                "implementation": p.implementation,
                "n": p.n,
                "measured": p.measured,
                "median_s": p.median,
                "q1_s": p.q1,
                "q3_s": p.q3,
                "runs": p.runs,
                "noisy": p.noisy,
            }
            for p in result.points
        ],
        "speedup_vs_lesson_loop": {str(n): result.speedup("lesson_loop", n) for n in runnable},
        "bandwidth": [
            {"n": b.n, "bytes_per_call": b.bytes_per_call, "vectorized_Bps": b.vectorized, "copy_Bps": b.copy}
            for b in result.bandwidth
        ],
        "refused": [str(exc) for exc in refused] + [f"{n}: {exc}" for n, exc in result.refused],
        "wall_s": result.wall_s,
    }


def grad_modes_report(
    settings: RunSettings,
    budget_s: float,
    *,
    program: Program | None = None,
    size: int = DEFAULT_SIZE,
    width: int = DEFAULT_WIDTH,
    depth: int = DEFAULT_DEPTH,
    batch: int = DEFAULT_BATCH,
) -> dict[str, object]:
    """Grad tracking vs no_grad vs inference_mode on the program (size n) or the MLP: time, flags, saved bytes."""
    if program is not None:
        workload = program_workload(program, size, settings.dtype, settings.device, settings.seed)
    else:
        workload = mlp_workload(width, depth, batch, settings.dtype, settings.device, settings.seed)
    results = compare_modes(workload, device=settings.device, threads=settings.threads, budget_s=budget_s)
    return {
        "workload": workload.name,
        "work": workload.work,
        "modes": mode_rows(results),
    }


def mode_rows(results: Sequence[ModeResult]) -> list[dict[str, object]]:
    """One row per grad mode: time, the output's flags and the bytes autograd saved, under stable names."""
    return [
        {
            "mode": r.mode,
            "median_s": r.time.median,
            "q1_s": r.time.q1,
            "q3_s": r.time.q3,
            "runs": r.time.runs,
            "requires_grad": r.flags.requires_grad,
            "grad_fn": r.flags.grad_fn,
            "is_inference": r.flags.is_inference,
            "saved_bytes_anyway": r.ledger.anyway_bytes,
            "saved_bytes_extra": r.ledger.extra_bytes,
            "saved_tensors": r.ledger.saved_count,
            "peak_extra_bytes": r.peak_extra_bytes,
        }
        for r in results
    ]


def outcome_dict(outcome: Outcome) -> dict[str, object]:
    return {
        "printed": outcome.printed,
        "returned": outcome.returned,
        "error_type": outcome.error_type,
        "error": outcome.error,
        "warnings": list(outcome.warnings),
    }


def pitfalls_report(x: torch.Tensor, settings: RunSettings, cases: Sequence[str]) -> dict[str, object]:
    """Each chosen case run for real, broken then fixed; `sync_timing` times a matmul naively and synchronised."""
    report: dict[str, object] = {"x": str(x), "cases": {}}
    for pitfall in PITFALLS:
        if pitfall.key in cases:
            broken, fixed = run_demo(pitfall.case.broken, x), run_demo(pitfall.case.fixed, x)
            report["cases"][pitfall.key] = {"broken": outcome_dict(broken), "fixed": outcome_dict(fixed)}
    if SYNC_TIMING in cases:
        timing = sync_timing(settings.device, settings.torch_dtype, threads=settings.threads, measure_fn=measure)
        report["sync_timing"] = {
            "size": timing.size,
            "naive_s": timing.naive_s,
            "synced_s": timing.synced_s,
            "under_report": timing.under_report,
        }
    return report
