"""The typical mistakes of eager PyTorch, each as a broken function and its fix, with where to explore it.

The lesson's three pitfalls come first. Cases the autograd and grad-modes pages already run are reused
from their modules, so every page shows the same code. Timing GPU work without synchronising is a
measurement, not an error: `sync_timing` runs it live.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import torch

from core.autograd import errors as autograd_errors
from core.cases import Case
from core.devices import synchronize
from core.grad_modes import cases as grad_mode_cases
from core.settings import Settings
from core.timing import measure, naive_time, within_spread

LOOP_TIMING_N = 1000  # elements the loop case is timed on
LOOP_BUDGET_S = 0.3
SYNC_BUDGET_S = 0.3


class count_saved_bytes(contextlib.AbstractContextManager):  # noqa: N801 - reads like the with-statement it is
    """`with count_saved_bytes(exist_anyway=...) as saved:` ... what autograd kept for backward, once per storage:
    `saved.bytes` in all, `saved.extra_bytes` of storages that exist only for backward (the grad-modes split)."""

    def __init__(self, exist_anyway: tuple[torch.Tensor, ...] = ()):
        self._anyway = {t.untyped_storage().data_ptr() for t in exist_anyway}

    def __enter__(self):
        self.bytes = self.extra_bytes = 0
        self._storages: set[int] = set()

        def pack(tensor):
            storage = tensor.untyped_storage()
            if storage.data_ptr() not in self._storages:
                self._storages.add(storage.data_ptr())
                self.bytes += storage.nbytes()
                self.extra_bytes += 0 if storage.data_ptr() in self._anyway else storage.nbytes()
            return tensor

        self._hooks = torch.autograd.graph.saved_tensors_hooks(pack, lambda tensor: tensor)
        self._hooks.__enter__()
        return self

    def __exit__(self, *exc_info):
        return self._hooks.__exit__(*exc_info)


# --- the lesson's three ---------------------------------------------------------------------------------


def unnecessary_loop(x):
    result = []
    for i in range(len(x)):
        result.append(x[i] * 2 + 5)
    return torch.tensor(result)


def unnecessary_loop_fixed(x):
    return x * 2 + 5


def inference_without_no_grad(x):
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(x.numel(), 64), torch.nn.ReLU(), torch.nn.Linear(64, 1)).to(x)
    with count_saved_bytes(exist_anyway=(x, *model.parameters())) as saved:
        y = model(x)
    print("y.grad_fn:", y.grad_fn)
    print("bytes kept only for a backward that never comes:", saved.extra_bytes)


def inference_without_no_grad_fixed(x):
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(x.numel(), 64), torch.nn.ReLU(), torch.nn.Linear(64, 1)).to(x)
    model.eval()
    with torch.no_grad(), count_saved_bytes(exist_anyway=(x, *model.parameters())) as saved:
        y = model(x)
    print("y.grad_fn:", y.grad_fn)
    print("bytes kept only for a backward that never comes:", saved.extra_bytes)


# --- more mistakes --------------------------------------------------------------------------------------


def requires_grad_forgotten_on_one_parameter(x):
    w = torch.ones_like(x, requires_grad=True)
    b = torch.zeros_like(x)  # requires_grad forgotten on this parameter only
    loss = (x * w + b).sum()
    loss.backward()  # no error...
    print("w.grad:", w.grad)
    print("b.grad:", b.grad)  # ...but b gets no gradient: training would never change it


def gradients_accumulate(x):
    x = x.detach().requires_grad_(True)
    for step in range(2):
        loss = (x * 3).sum()
        loss.backward()
        print(f"step {step}: x.grad =", x.grad)


def gradients_accumulate_fixed(x):
    x = x.detach().requires_grad_(True)
    for step in range(2):
        x.grad = None  # what optimizer.zero_grad() does
        loss = (x * 3).sum()
        loss.backward()
        print(f"step {step}: x.grad =", x.grad)


def requires_grad_on_the_loss(x):
    w = torch.ones_like(x)  # the parameter: requires_grad forgotten
    loss = (x * w).sum()
    loss.requires_grad = True  # silences the error...
    loss.backward()
    print("w.grad:", w.grad)  # ...but the parameter gets no gradient


def requires_grad_on_the_loss_fixed(x):
    w = torch.ones_like(x, requires_grad=True)
    loss = (x * w).sum()
    loss.backward()
    print("w.grad:", w.grad)


@dataclass(frozen=True, kw_only=True)
class Pitfall:
    """A case, whether it is one of the lesson's, and the page (with its URL parameters) that explores it."""

    case: Case
    lesson: bool
    page: str  # the registered page name that explores it
    params: Mapping[str, str] = field(default_factory=dict)
    also: Callable[[torch.Tensor], None] | None = None  # a further demo the case shows after its fix

    @property
    def key(self) -> str:
        return self.case.key

    @property
    def functions(self) -> tuple[Callable[[torch.Tensor], None], ...]:
        """What the page runs, in order: the mistake, its fix, and the further demo if there is one."""
        return (self.case.broken, self.case.fixed, *((self.also,) if self.also else ()))


PITFALLS = (
    Pitfall(
        case=Case(key="unnecessary_loop", broken=unnecessary_loop, fixed=unnecessary_loop_fixed),
        lesson=True,
        page="loops",
    ),
    Pitfall(
        case=Case(
            key="forgot_requires_grad",
            broken=autograd_errors.nothing_requires_grad,
            fixed=autograd_errors.nothing_requires_grad_fixed,
        ),
        lesson=True,
        page="autograd",
        params={"grad": "", "backward": "1"},
        also=requires_grad_forgotten_on_one_parameter,
    ),
    Pitfall(
        case=Case(
            key="inference_without_no_grad", broken=inference_without_no_grad, fixed=inference_without_no_grad_fixed
        ),
        lesson=True,
        page="grad_modes",
        params={"workload": "mlp"},
    ),
    Pitfall(
        case=Case(
            key="non_scalar", broken=autograd_errors.non_scalar_output, fixed=autograd_errors.non_scalar_output_fixed
        ),
        lesson=False,
        page="autograd",
        params={"reduce": "none", "backward": "1"},
    ),
    Pitfall(
        case=Case(
            key="backward_twice", broken=autograd_errors.backward_twice, fixed=autograd_errors.backward_twice_fixed
        ),
        lesson=False,
        page="autograd",
        params={"fixed": "backward_twice"},
    ),
    Pitfall(
        case=Case(key="inplace", broken=autograd_errors.inplace_on_saved, fixed=autograd_errors.inplace_on_saved_fixed),
        lesson=False,
        page="autograd",
        params={"fixed": "inplace"},
    ),
    Pitfall(
        case=Case(
            key="non_leaf_grad", broken=autograd_errors.grad_of_non_leaf, fixed=autograd_errors.grad_of_non_leaf_fixed
        ),
        lesson=False,
        page="autograd",
        params={"fixed": "non_leaf_grad"},
    ),
    Pitfall(
        case=Case(key="accumulate", broken=gradients_accumulate, fixed=gradients_accumulate_fixed),
        lesson=False,
        page="autograd",
        params={"backward": "1"},
    ),
    Pitfall(
        case=Case(
            key="inference_tensor",
            broken=grad_mode_cases.inference_tensor_in_autograd,
            fixed=grad_mode_cases.inference_tensor_in_autograd_fixed,
        ),
        lesson=False,
        page="grad_modes",
        params={"fixes": "inference_tensor"},
    ),
    Pitfall(
        case=Case(key="bad_fix", broken=requires_grad_on_the_loss, fixed=requires_grad_on_the_loss_fixed),
        lesson=False,
        page="autograd",
        params={"grad": "", "backward": "1"},
    ),
)
SYNC_TIMING = "sync_timing"
CASE_KEYS = (*(p.key for p in PITFALLS), SYNC_TIMING)


# --- timing GPU work without synchronising ----------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class SyncTiming:
    """A matrix product timed naively (one call, no sync) and by the engine (synchronised median)."""

    device: str
    size: int
    naive_s: float
    synced_s: float

    @property
    def under_report(self) -> float:
        """How many times smaller the naive figure is than the honest one."""
        return self.synced_s / self.naive_s if self.naive_s else float("inf")


def sync_size(device: str) -> int:
    """The matmul's side: big enough on a GPU for the missing sync to show, quick on a CPU."""
    return 4096 if torch.device(device).type == "cuda" else 512


def sync_timing(
    device: str, dtype: torch.dtype, size: int | None = None, threads: int | None = None, measure_fn=measure
) -> SyncTiming:
    """Time `a @ b` both ways on `device`; on CUDA the naive clock only sees the kernel launch."""
    size = size or sync_size(device)
    generator = torch.Generator().manual_seed(0)
    a = torch.randn(size, size, generator=generator).to(device=device, dtype=dtype)
    b = torch.randn(size, size, generator=generator).to(device=device, dtype=dtype)
    a @ b  # one warm-up call, so both figures compare steady-state work: the difference is the missing sync
    synchronize(device)
    naive = naive_time(lambda: a @ b)
    synchronize(device)
    synced = measure_fn(lambda: a @ b, device=device, threads=threads, budget_s=SYNC_BUDGET_S).median
    return SyncTiming(device=str(device), size=size, naive_s=naive, synced_s=synced)


@dataclass(frozen=True, kw_only=True)
class LoopSpeedup:
    """The lesson's loop and its vectorized fix on the same x, timed by the engine."""

    n: int
    loop_s: float
    vectorized_s: float
    tie: bool = False  # the two timings are within each other's spread (see core.timing.within_spread)

    @property
    def speedup(self) -> float:
        return self.loop_s / self.vectorized_s


def loop_speedup_for(settings: Settings, n: int = LOOP_TIMING_N) -> LoopSpeedup:
    """`loop_speedup` on `n` standard-normal values from the settings' seed, dtype and device: the page's job."""
    generator = torch.Generator().manual_seed(settings.seed)
    x = torch.randn(n, generator=generator).to(device=settings.device, dtype=settings.torch_dtype)
    return loop_speedup(x, threads=settings.threads)


def sync_timing_for(settings: Settings) -> SyncTiming:
    """`sync_timing` under the settings: the page's job."""
    return sync_timing(settings.device, settings.torch_dtype, threads=settings.threads)


def loop_speedup(
    x: torch.Tensor, threads: int | None = None, budget_s: float = LOOP_BUDGET_S, measure_fn=measure
) -> LoopSpeedup:
    """Time `unnecessary_loop` and `unnecessary_loop_fixed`, the very functions the page shows, on `x`."""
    device = str(x.device)
    loop = measure_fn(lambda: unnecessary_loop(x), device=device, threads=threads, budget_s=budget_s)
    vectorized = measure_fn(lambda: unnecessary_loop_fixed(x), device=device, threads=threads, budget_s=budget_s / 4)
    return LoopSpeedup(
        n=x.numel(), loop_s=loop.median, vectorized_s=vectorized.median, tie=within_spread(loop, vectorized)
    )
