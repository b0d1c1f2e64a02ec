"""The grad-modes page's one entry point, used by the page and the CLI alike: build the workload, compare modes."""

from __future__ import annotations

from dataclasses import dataclass

from core.grad_modes.modes import (
    DEFAULT_BATCH,
    DEFAULT_DEPTH,
    DEFAULT_SIZE,
    DEFAULT_WIDTH,
    MODES,
    ModeResult,
    ScalingPoint,
    Workload,
    compare_modes,
    mlp_workload,
    program_workload,
    scaling,
)
from core.program import parse_program
from core.settings import Settings
from core.timing import DEFAULT_BUDGET_S, measure

WORKLOADS = ("program", "mlp")
# seconds of timing per mode
GRAD_MODES_BUDGET_S = DEFAULT_BUDGET_S
# the scaling charts measure at these fractions of the chosen size
SCALING_FRACTIONS = (0.25, 0.5, 1.0)


@dataclass(frozen=True, kw_only=True)
class GradModesRequest:
    """Everything a comparison depends on, hashable: also the key its result is kept under.

    The program workload reads `program` and `size`; the MLP reads `width`, `depth` and `batch`.
    """

    workload: str
    settings: Settings
    program: str | None = None
    size: int = DEFAULT_SIZE
    width: int = DEFAULT_WIDTH
    depth: int = DEFAULT_DEPTH
    batch: int = DEFAULT_BATCH
    budget_s: float = GRAD_MODES_BUDGET_S

    @property
    def driving_size(self) -> int:
        """The size the scaling charts vary: n for the program, the batch for the MLP."""
        return self.size if self.workload == "program" else self.batch


@dataclass(frozen=True, kw_only=True)
class GradModesResult:
    results: tuple[ModeResult, ...]
    scaling: tuple[ScalingPoint, ...]


def make_workload(request: GradModesRequest, size: int | None = None) -> Workload:
    """The request's workload, with its driving size replaced by `size` when given."""
    size = size or request.driving_size
    settings = request.settings
    if request.workload == "program":
        program = parse_program(request.program)
        return program_workload(program, size, settings.dtype, settings.device, settings.seed)
    return mlp_workload(request.width, request.depth, size, settings.dtype, settings.device, settings.seed)


def scaling_sizes(total: int) -> tuple[int, ...]:
    return tuple(sorted({max(1, round(total * f)) for f in SCALING_FRACTIONS}))


def measurement_count(with_scaling: bool = True) -> int:
    """How many measurements `run_grad_modes` takes at most: each mode, at the size and at each scaling size."""
    return len(MODES) * (1 + (len(SCALING_FRACTIONS) if with_scaling else 0))


def run_grad_modes(request: GradModesRequest, *, measure_fn=measure, with_scaling: bool = True) -> GradModesResult:
    """Each mode on the workload (time, flags, saved bytes), and, when asked, how they scale with its size.

    Raises:
        InputError, SizeLimitError, ProgramError: for a workload that cannot be built or run.
    """
    settings = request.settings
    timing = {"device": settings.device, "threads": settings.threads, "budget_s": request.budget_s}
    results = compare_modes(make_workload(request), measure_fn=measure_fn, **timing)
    points = ()
    if with_scaling:
        sizes = scaling_sizes(request.driving_size)
        points = scaling(lambda size: make_workload(request, size), sizes, measure_fn=measure_fn, **timing)
    return GradModesResult(results=tuple(results), scaling=tuple(points))


def modes_at_size(request: GradModesRequest) -> GradModesResult:
    """Each mode at the chosen size only: the page's first result, before the slower scaling."""
    return run_grad_modes(request, with_scaling=False)


def scaling_of(request: GradModesRequest, *, measure_fn=measure) -> tuple:
    """How each mode's time and memory scale with the workload's size (the page's charts), as their own job."""
    settings = request.settings
    timing = {"device": settings.device, "threads": settings.threads, "budget_s": request.budget_s}
    sizes = scaling_sizes(request.driving_size)
    return tuple(scaling(lambda size: make_workload(request, size), sizes, measure_fn=measure_fn, **timing))
