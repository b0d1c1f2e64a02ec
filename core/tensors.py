"""Making the input tensor x (typed values or seeded random) and summarising tensors too large to list."""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import torch

from core.limits import check_fits
from core.program import INPUT_NAMES, MAX_STATEMENTS

DTYPES = {
    "float32": torch.float32,
    "float64": torch.float64,
    "float16": torch.float16,
    "bfloat16": torch.bfloat16,
}
MAX_TYPED_VALUES = 1000
MAX_RANDOM_N = 1_000_000
# Tensors with more elements than this are summarised instead of listed.
LIST_LIMIT = 20


class InputError(ValueError):
    """Typed values or a size were refused; `code` and `params` let the page translate the reason."""

    def __init__(self, code: str, **params: object) -> None:
        self.code = code
        self.params = params
        super().__init__(f"{code}: {params}")

    def __reduce__(self):  # so a worker's refusal reaches the page with its code and params intact
        return (functools.partial(InputError, **self.params), (self.code,))


@dataclass(frozen=True, kw_only=True)
class TensorSummary:
    """A large tensor in a few figures plus a histogram (bin edges and counts), never every value."""

    numel: int
    minimum: float
    maximum: float
    mean: float
    std: float
    first: tuple[float, ...]
    bin_edges: tuple[float, ...]
    counts: tuple[int, ...]


def parse_values(text: str) -> tuple[float, ...]:
    """Parse comma-separated numbers such as "1, 2.5, -3e2"; refuse anything else."""
    parts = [p.strip() for p in (text or "").split(",")]
    if not any(parts):
        raise InputError("values_empty")
    if len(parts) > MAX_TYPED_VALUES:
        raise InputError("values_too_many", limit=MAX_TYPED_VALUES)
    values = []
    for position, part in enumerate(parts, 1):
        try:
            value = float(part)
        except ValueError:
            raise InputError("value_not_number", position=position, text=part[:20]) from None
        if not math.isfinite(value):
            raise InputError("value_not_number", position=position, text=part[:20])
        values.append(value)
    return tuple(values)


def typed_input(values: tuple[float, ...], dtype: str, device: str) -> torch.Tensor:
    """x from the learner's own numbers."""
    return torch.tensor(values, dtype=DTYPES[dtype], device=device)


def random_input(
    n: int, dtype: str, device: str, seed: int, copies: int = 1, max_n: int = MAX_RANDOM_N
) -> torch.Tensor:
    """x of `n` standard-normal values from `seed`, refused before allocation if `copies` of it won't fit."""
    if not 1 <= n <= max_n:
        raise InputError("n_out_of_range", limit=max_n)
    check_fits(n, DTYPES[dtype], device, copies=copies)
    generator = torch.Generator().manual_seed(seed)
    # Drawn on the CPU from one generator, so every device shows the same numbers for a seed.
    return torch.randn(n, generator=generator, dtype=torch.float32).to(device=device, dtype=DTYPES[dtype])


# Tensors alive at once in a program run: x, w, b, one per statement, the traced module's outputs and a float64
# copy for summaries (counted as two), with room for temporaries.
COPIES_PER_RUN = 2 * MAX_STATEMENTS + 8


def build_x(values: str | None, n: int, dtype: str, device: str, seed: int) -> torch.Tensor:
    """x from typed values when given, else n standard-normal values from the seed: the x every page reads.

    Raises:
        InputError, SizeLimitError: for values that are not numbers, or an n out of range or too big to fit.
    """
    if values is not None:
        return typed_input(parse_values(values), dtype, device)
    return random_input(n, dtype, device, seed, COPIES_PER_RUN)


@dataclass(frozen=True, kw_only=True)
class InputSpec:
    """Where x comes from: the learner's typed values, or (when `values` is None) n random values from the seed."""

    values: str | None
    n: int

    def build(self, names: tuple[str, ...], dtype: str, device: str, seed: int) -> dict[str, torch.Tensor]:
        """x and the extra inputs among `names` (w, b).

        Raises:
            InputError, SizeLimitError: the page shows them translated.
        """
        return program_inputs(names, build_x(self.values, self.n, dtype, device, seed), seed)


def demo_vector(x: torch.Tensor) -> torch.Tensor:
    """Up to 8 elements of x for the small live demos; [1., 2., 3.] when x has fewer than two."""
    flat = x.detach().reshape(-1)[:8].clone()  # a copy: a view would carry (and pickle) all of x's storage
    if flat.numel() >= 2:
        return flat
    return torch.tensor([1.0, 2.0, 3.0], dtype=x.dtype, device=x.device)


def program_inputs(names: tuple[str, ...], x: torch.Tensor, seed: int) -> dict[str, torch.Tensor]:
    """x plus each extra input the program reads (w, b): standard-normal tensors of x's shape from the seed.

    Each extra input has its own generator (seed + its position), so w and b never change with the other.
    """
    inputs = {"x": x}
    for offset, name in enumerate(INPUT_NAMES[1:], 1):
        if name in names:
            generator = torch.Generator().manual_seed((seed + offset) % 2**63)
            values = torch.randn(x.shape, generator=generator, dtype=torch.float32)
            inputs[name] = values.to(device=x.device, dtype=x.dtype)
    return inputs


def summarize(tensor: torch.Tensor, bins: int = 30, first: int = 8) -> TensorSummary:
    """Min, max, mean, std, the first values and a histogram of `tensor`, computed by PyTorch in float64."""
    flat = tensor.detach().reshape(-1).to(device="cpu", dtype=torch.float64)
    finite = flat[torch.isfinite(flat)]
    if finite.numel() == 0:
        finite = torch.zeros(1, dtype=torch.float64)
    low, high = finite.min().item(), finite.max().item()
    if low == high:
        low, high = low - 0.5, high + 0.5
    counts = torch.histc(finite, bins=bins, min=low, max=high)
    edges = torch.linspace(low, high, bins + 1, dtype=torch.float64)
    return TensorSummary(
        numel=flat.numel(),
        minimum=flat.min().item(),
        maximum=flat.max().item(),
        mean=flat.mean().item(),
        std=flat.std().item() if flat.numel() > 1 else 0.0,
        first=tuple(flat[:first].tolist()),
        bin_edges=tuple(edges.tolist()),
        counts=tuple(int(c) for c in counts.tolist()),
    )


def sample_indices(numel: int, limit: int) -> tuple[int, ...]:
    """At most `limit` evenly spaced indices into a tensor of `numel` elements, first and last included."""
    if numel <= limit:
        return tuple(range(numel))
    step = (numel - 1) / (limit - 1)
    return tuple(sorted({round(i * step) for i in range(limit)}))
