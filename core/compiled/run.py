"""The Eager vs compiled page's one entry point, for the page (as worker jobs) and the CLI alike.

`capture_view` answers what graph capture makes of the program (explain, fullgraph, export, both rewrites),
`recompile_view` what happens when x changes, `cost_view` what one backend costs (a measurement, one job each so
the page can show progress between backends).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import torch

from core.compiled.capture import Explained, Exported, Fullgraph, explain, export, fullgraph
from core.compiled.cost import BackendCost, backend_cost
from core.compiled.function import BuiltFunction, program_function
from core.compiled.guards import DYNAMIC_CHOICES, Recompiles, recompiles
from core.compiled.rewrite import RewriteRefused, cond_function, where_program
from core.program import Program, ProgramError, parse_program, run_program
from core.settings import Settings
from core.tensors import InputSpec
from core.timing import DEFAULT_BUDGET_S

COST_BUDGET_S = DEFAULT_BUDGET_S
# one backend's job: Inductor's first compile takes seconds (9-12 s cold on a 2-core machine), beyond any timing
COMPILE_ALLOWANCE_S = 60.0


@dataclass(frozen=True, kw_only=True)
class CompiledRequest:
    """Everything the page's results depend on, hashable: also the key they are kept under."""

    program: str
    inputs: InputSpec
    settings: Settings


@dataclass(frozen=True, kw_only=True)
class CondVersion:
    """The `torch.cond` rewrite: its code, what capture and export make of it, and whether it computes what eager
    does."""

    code: str
    explained: Explained | None  # None, with `error`, when PyTorch refused the torch.cond version itself
    fullgraph: Fullgraph | None
    exported: Exported | None
    agrees: bool
    error: str = ""


@dataclass(frozen=True, kw_only=True)
class CaptureResult:
    """Capture of the program as written, and of the rewrites PyTorch suggests (None where they cannot apply)."""

    code: str  # the program as the Python function PyTorch compiles
    eager_printed: str
    explained: Explained
    fullgraph: Fullgraph
    exported: Exported
    where_text: str | None
    where_refused: Exception | None  # RewriteRefused, or the checker's ProgramError on the rewritten text
    cond: CondVersion | None
    cond_refused: Exception | None


def _prepare(request: CompiledRequest) -> tuple[Program, BuiltFunction, dict[str, torch.Tensor], torch.Tensor]:
    """Parse, build the inputs, run eagerly (a program PyTorch refuses is refused here, with its error), build.

    Raises:
        ProgramError, InputError, SizeLimitError.
    """
    program = parse_program(request.program)
    settings = request.settings
    inputs = request.inputs.build(program.inputs, settings.dtype, settings.device, settings.seed)
    inputs = {name: inputs[name] for name in program.inputs}  # the function takes the inputs the program reads
    trace = run_program(program, inputs)
    if trace.error is not None:
        raise trace.error
    return program, program_function(program), inputs, trace.env[program.output]


def capture_view(request: CompiledRequest) -> CaptureResult:
    """Explain, fullgraph and export of the program, then of its torch.where and torch.cond rewrites."""
    program, built, inputs, eager = _prepare(request)
    where_text, where_refused = None, None
    try:
        where_text = where_program(program)
        # both sides now always run: one PyTorch refuses where the if never took it fails the rewrite here
        rewritten = run_program(parse_program(where_text), inputs)
        if rewritten.error is not None:
            where_text, where_refused = None, rewritten.error
    except (RewriteRefused, ProgramError) as exc:
        where_refused = exc
    cond, cond_refused = None, None
    try:
        cond = _cond_version(cond_function(program), inputs, eager)
    except RewriteRefused as exc:
        cond_refused = exc
    return CaptureResult(
        code=built.code,
        eager_printed=str(eager),
        explained=explain(built, inputs),
        fullgraph=fullgraph(built, inputs),
        exported=export(built, inputs),
        where_text=where_text,
        where_refused=where_refused,
        cond=cond,
        cond_refused=cond_refused,
    )


def _cond_version(built: BuiltFunction, inputs: Mapping[str, torch.Tensor], eager: torch.Tensor) -> CondVersion:
    """The torch.cond version captured, compiled and exported; torch.cond's own refusal (branches whose outputs
    differ in shape or dtype, say) is kept verbatim instead."""
    try:
        agrees = bool(torch.equal(built.function(**inputs), eager))
        return CondVersion(
            code=built.code,
            explained=explain(built, inputs),
            fullgraph=fullgraph(built, inputs),
            exported=export(built, inputs),
            agrees=agrees,
        )
    except Exception as exc:  # noqa: BLE001 - PyTorch's refusal is what the learner reads
        return CondVersion(
            code=built.code,
            explained=None,
            fullgraph=None,
            exported=None,
            agrees=False,
            error=f"{type(exc).__name__}: {exc}",
        )


def recompile_view(request: CompiledRequest) -> tuple[Recompiles, ...]:
    """The call plan under each `dynamic` choice: what recompiled, and Dynamo's reasons."""
    _, built, inputs, _ = _prepare(request)
    return tuple(recompiles(built, inputs, dynamic) for dynamic in DYNAMIC_CHOICES)


def cost_view(request: CompiledRequest, backend: str, budget_s: float = COST_BUDGET_S) -> BackendCost:
    """One backend's compile time and time per call on the request's inputs (a measurement: run it in a worker)."""
    _, built, inputs, _ = _prepare(request)
    return backend_cost(built, inputs, backend, request.settings.device, budget_s)
