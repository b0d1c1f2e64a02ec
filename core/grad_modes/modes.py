"""Grad tracking vs torch.no_grad() vs torch.inference_mode(): time, output flags, and what autograd saves.

The memory ledger counts the tensors autograd saves for backward, seen through
torch.autograd.graph.saved_tensors_hooks, deduplicated by storage, and split into storages that exist anyway
(parameters and inputs) and extra activations kept alive only so backward can run.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import torch
from torch import nn

from core.closures import TORCH, compile_program
from core.devices import synchronize
from core.limits import check_fits
from core.program import Program, run_program
from core.script_parts.grad_modes import seeded_mlp
from core.tensors import DTYPES, InputError, program_inputs, random_input
from core.timing import Measurement, measure

MODES = ("grad", "no_grad", "inference_mode")
MAX_WIDTH, MAX_DEPTH, MAX_BATCH = 4096, 8, 65_536
# multiply-adds of one MLP forward (width^2 x depth x batch): keeps every measurement to well under a second
MAX_MLP_WORK = 2_000_000_000
MAX_PROGRAM_N = 10_000_000
# the page's starting point: the program on 10^5 elements, or a 3-layer MLP 256 wide on a batch of 512
DEFAULT_SIZE, DEFAULT_WIDTH, DEFAULT_DEPTH, DEFAULT_BATCH = 100_000, 256, 3, 512


def mode_context(mode: str) -> contextlib.AbstractContextManager:
    """The context a forward runs under: grad tracking (the default), no_grad, or inference_mode."""
    if mode == "no_grad":
        return torch.no_grad()
    if mode == "inference_mode":
        return torch.inference_mode()
    return contextlib.nullcontext()


@dataclass(frozen=True, kw_only=True)
class Workload:
    """A forward to compare across modes: `run()` computes the output; `anyway` are parameters and inputs."""

    name: str
    run: Callable[[], torch.Tensor]
    anyway: tuple[torch.Tensor, ...]
    work: int  # elements of the input that drives the work (n, or batch x width)


def program_workload(program: Program, n: int, dtype: str, device: str, seed: int) -> Workload:
    """The current Program on inputs of size n; in grad mode every input requires grad.

    Raises:
        SizeLimitError: before allocating, when the inputs and one result per statement would not fit.
        InputError: for n outside 1 ... MAX_PROGRAM_N.
        ProgramError: when the program fails on these inputs.
    """
    copies = len(program.inputs) + 2 * program.max_executed + 2
    x = random_input(n, dtype, device, seed, copies=copies, max_n=MAX_PROGRAM_N)
    inputs = {name: t.requires_grad_(True) for name, t in program_inputs(program.inputs, x, seed).items()}
    trace = run_program(program, inputs)  # surfaces a program that fails or yields no tensor, before timing it
    if trace.error is not None:
        raise trace.error
    del trace
    compiled = compile_program(program, TORCH)
    output = program.output
    return Workload(name="program", run=lambda: compiled(inputs)[output], anyway=tuple(inputs.values()), work=n)


def build_mlp(width: int, depth: int, dtype: str, device: str, seed: int) -> nn.Sequential:
    """`depth` Linear(width, width) layers with ReLU between them, from the seed (the page's script builds the same
    with seeded_mlp), on `device` in `dtype`."""
    return seeded_mlp(width, depth, seed).to(device=device, dtype=DTYPES[dtype])


def mlp_workload(width: int, depth: int, batch: int, dtype: str, device: str, seed: int) -> Workload:
    """A small MLP on a random batch; its parameters require grad, the batch does not (as in training).

    Raises:
        InputError: for sizes outside the caps. SizeLimitError: before allocating, when it would not fit.
    """
    if not (1 <= width <= MAX_WIDTH and 1 <= depth <= MAX_DEPTH and 1 <= batch <= MAX_BATCH):
        raise InputError("mlp_out_of_range", width=MAX_WIDTH, depth=MAX_DEPTH, batch=MAX_BATCH)
    elements = depth * (width * width + width) + batch * width * (2 * depth + 1)
    check_fits(elements, DTYPES[dtype], device, copies=2)
    if width * width * depth * batch > MAX_MLP_WORK:
        raise InputError("mlp_too_much_work", limit=MAX_MLP_WORK, work=width * width * depth * batch)
    model = build_mlp(width, depth, dtype, device, seed)
    generator = torch.Generator().manual_seed(seed + 1)
    batch_input = torch.randn(batch, width, generator=generator).to(device=device, dtype=DTYPES[dtype])
    return Workload(
        name="mlp", run=lambda: model(batch_input), anyway=(*model.parameters(), batch_input), work=batch * width
    )


@dataclass(frozen=True, kw_only=True)
class Ledger:
    """Bytes autograd saved for backward, by distinct storage: those that exist anyway, and extra ones."""

    anyway_bytes: int
    extra_bytes: int
    saved_count: int  # tensors packed, before deduplication

    @property
    def total_bytes(self) -> int:
        return self.anyway_bytes + self.extra_bytes


def saved_ledger(workload: Workload, mode: str) -> tuple[Ledger, torch.Tensor]:
    """Run the forward under `mode` and count what autograd saved; returns the ledger and the output."""
    storages: dict[tuple[str, int], int] = {}
    count = 0

    def pack(tensor: torch.Tensor) -> torch.Tensor:
        nonlocal count
        count += 1
        storage = tensor.untyped_storage()
        storages[(str(tensor.device), storage.data_ptr())] = storage.nbytes()
        return tensor

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda tensor: tensor), mode_context(mode):
        output = workload.run()
    # the output exists under every mode, so saving it costs nothing extra
    anyway = {(str(t.device), t.untyped_storage().data_ptr()) for t in (*workload.anyway, output)}
    anyway_bytes = sum(size for key, size in storages.items() if key in anyway)
    extra_bytes = sum(size for key, size in storages.items() if key not in anyway)
    return Ledger(anyway_bytes=anyway_bytes, extra_bytes=extra_bytes, saved_count=count), output


@dataclass(frozen=True, kw_only=True)
class OutputFlags:
    requires_grad: bool
    grad_fn: str | None
    is_inference: bool


def output_flags(output: torch.Tensor) -> OutputFlags:
    grad_fn = type(output.grad_fn).__name__ if output.grad_fn is not None else None
    return OutputFlags(requires_grad=output.requires_grad, grad_fn=grad_fn, is_inference=output.is_inference())


def peak_extra_bytes(workload: Workload, mode: str) -> int | None:
    """On CUDA: the allocator's peak during the forward minus what was allocated before. None elsewhere."""
    device = workload.anyway[0].device
    if device.type != "cuda":
        return None
    synchronize(device)
    torch.cuda.reset_peak_memory_stats(device)
    baseline = torch.cuda.memory_allocated(device)
    with mode_context(mode):
        output = workload.run()
    synchronize(device)
    peak = torch.cuda.max_memory_allocated(device) - baseline
    del output
    return peak


def forward_under(workload: Workload, mode: str) -> Callable[[], torch.Tensor]:
    """The workload's forward, run under `mode`, as the timing engine's callable."""

    def forward() -> torch.Tensor:
        with mode_context(mode):
            return workload.run()

    return forward


@dataclass(frozen=True, kw_only=True)
class ModeResult:
    mode: str
    time: Measurement
    flags: OutputFlags
    ledger: Ledger
    peak_extra_bytes: int | None


def compare_modes(
    workload: Workload, *, device: str, threads: int, budget_s: float, measure_fn=measure
) -> tuple[ModeResult, ...]:
    """Each mode: the forward's time, its output's flags, the saved-bytes ledger and (CUDA) the peak."""
    results = []
    for mode in MODES:
        ledger, output = saved_ledger(workload, mode)
        flags = output_flags(output)
        del output

        time = measure_fn(forward_under(workload, mode), device=device, threads=threads, budget_s=budget_s)
        peak = peak_extra_bytes(workload, mode)
        results.append(ModeResult(mode=mode, time=time, flags=flags, ledger=ledger, peak_extra_bytes=peak))
    return tuple(results)


@dataclass(frozen=True, kw_only=True)
class ScalingPoint:
    """One size: what grad mode saved (the other two modes save nothing) and each mode's median time."""

    work: int
    ledger: Ledger
    seconds: Mapping[str, float]


def scaling(
    make_workload: Callable[[int], Workload],
    sizes: tuple[int, ...],
    *,
    device: str,
    threads: int,
    budget_s: float,
    measure_fn=measure,
) -> tuple[ScalingPoint, ...]:
    """Saved bytes (grad mode) and forward time per mode at each size: the saving grows with the work."""
    points = []
    for size in sizes:
        workload = make_workload(size)
        ledger, output = saved_ledger(workload, "grad")
        del output
        seconds = {}
        for mode in MODES:
            forward = forward_under(workload, mode)
            seconds[mode] = measure_fn(forward, device=device, threads=threads, budget_s=budget_s).median
        points.append(ScalingPoint(work=workload.work, ledger=ledger, seconds=seconds))
    return tuple(points)
