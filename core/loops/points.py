"""What a sweep records: a point per implementation and size, the bandwidth per size, and the whole result."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from core.timing import within_spread


@dataclass(frozen=True, kw_only=True)
class SweepPoint:
    """One implementation at one size: seconds per call (median, IQR), or an estimate when `measured` is False."""

    implementation: str
    n: int
    measured: bool
    median: float
    iqr: float
    runs: int
    noisy: bool
    q1: float = 0.0
    q3: float = 0.0

    @property
    def per_element(self) -> float:
        return self.median / self.n


@dataclass(frozen=True, kw_only=True)
class BandwidthPoint:
    """Bytes the vectorized call moves per call, its achieved rate, and clone()'s rate on the same tensors."""

    n: int
    bytes_per_call: int
    vectorized: float  # bytes per second
    copy: float

    @property
    def share_of_copy(self) -> float:
        return self.vectorized / self.copy if self.copy else 0.0


@dataclass(frozen=True, kw_only=True)
class SweepResult:
    points: tuple[SweepPoint, ...]
    bandwidth: tuple[BandwidthPoint, ...]
    per_element_fit: Mapping[str, float | None]
    refused: tuple[tuple[int, Exception], ...]
    device: str
    threads: int
    budget_s: float
    wall_s: float

    def point(self, implementation: str, n: int) -> SweepPoint | None:
        return next((p for p in self.points if p.implementation == implementation and p.n == n), None)

    def tie(self, loop: str, n: int) -> bool:
        """The loop and the vectorized call, both measured at n, within each other's spread."""
        slow, fast = self.point(loop, n), self.point("vectorized", n)
        return bool(slow and fast and slow.measured and fast.measured and within_spread(slow, fast))

    def speedup(self, loop: str, n: int) -> float | None:
        """Loop time over vectorized time at size n."""
        slow, fast = self.point(loop, n), self.point("vectorized", n)
        return slow.median / fast.median if slow and fast and fast.median else None


def fit_per_element(points: Sequence[SweepPoint]) -> float | None:
    """Least-squares slope through the origin of time against n, over measured points only."""
    measured = [p for p in points if p.measured]
    if not measured:
        return None
    return sum(p.median * p.n for p in measured) / sum(p.n * p.n for p in measured)
