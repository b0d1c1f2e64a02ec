"""Seeded toy datasets: four 2-D classification sets and a 1-D regression, each a pure function of its arguments.

Every draw comes from its own `torch.Generator` (never the global RNG), on the CPU in float32, so the same seed gives
the same points on every machine and device; the caller casts them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch

from core.script_parts.training import noisy_split

CLASSIFICATION = ("circle", "xor", "gaussians", "spiral")
DATASETS = (*CLASSIFICATION, "sine")
MIN_POINTS, MAX_POINTS, DEFAULT_POINTS = 50, 1000, 400
MAX_NOISE, DEFAULT_NOISE = 50, 10  # percent of the data's scale: the standard deviation of the added noise
MIN_TEST, MAX_TEST, DEFAULT_TEST = 10, 90, 30  # percent of the points held out for testing
EXTENT = 1.5  # the 2-D sets lie within [-1.5, 1.5]^2, where the decision boundary is drawn


@dataclass(frozen=True, kw_only=True)
class Dataset:
    """Train and test splits: x is (N, 2) (or (N, 1) for the sine), y is (N, 1) of 0/1 labels (or targets)."""

    name: str
    x_train: torch.Tensor
    y_train: torch.Tensor
    x_test: torch.Tensor
    y_test: torch.Tensor

    @property
    def classification(self) -> bool:
        return self.name in CLASSIFICATION

    @property
    def in_features(self) -> int:
        return self.x_train.shape[1]


def _circle(n: int, g: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    """Half the points inside radius 0.5 (label 1), half in a ring from 0.7 to 1.0 (label 0)."""
    inside = torch.arange(n) < n // 2
    radius = torch.where(inside, 0.5 * torch.rand(n, generator=g), 0.7 + 0.3 * torch.rand(n, generator=g))
    angle = 2 * math.pi * torch.rand(n, generator=g)
    x = torch.stack([radius * torch.cos(angle), radius * torch.sin(angle)], dim=1)
    return x, inside.float()


def _xor(n: int, g: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    """Uniform in [-1, 1]^2, kept 0.05 off the axes; label 1 where both coordinates have the same sign."""
    x = torch.rand(n, 2, generator=g) * 1.9 - 0.95
    x = x + 0.05 * torch.sign(x)
    return x, (x[:, 0] * x[:, 1] > 0).float()


def _gaussians(n: int, g: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    """Two round clusters of spread 0.25 around (-0.5, -0.5) (label 0) and (0.5, 0.5) (label 1)."""
    label = (torch.arange(n) % 2).float()
    centre = (label * 2 - 1).unsqueeze(1) * 0.5
    return centre + 0.25 * torch.randn(n, 2, generator=g), label


def _spiral(n: int, g: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    """Two interleaved arms, radius growing with the angle; the arm is the label."""
    label = (torch.arange(n) % 2).float()
    t = torch.rand(n, generator=g) * 0.95 + 0.05
    angle = 2.5 * math.pi * t + math.pi * label
    return torch.stack([t * torch.cos(angle), t * torch.sin(angle)], dim=1), label


def _sine(n: int, g: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    """x uniform in [-1, 1], target sin(3x)."""
    x = torch.rand(n, 1, generator=g) * 2 - 1
    return x, torch.sin(3 * x[:, 0])


MAKERS = {"circle": _circle, "xor": _xor, "gaussians": _gaussians, "spiral": _spiral, "sine": _sine}


def make_dataset(name: str, points: int, noise: int, test_percent: int, seed: int) -> Dataset:
    """`points` points of `name` from `seed`, Gaussian noise of `noise` % added, `test_percent` % held out.

    Raises:
        ValueError: for an unknown dataset or a size outside the limits.
    """
    if name not in MAKERS:
        raise ValueError(f"unknown dataset {name!r}")
    if not (MIN_POINTS <= points <= MAX_POINTS and 0 <= noise <= MAX_NOISE and MIN_TEST <= test_percent <= MAX_TEST):
        raise ValueError("dataset size, noise or split outside the limits")
    g = torch.Generator().manual_seed(seed)
    x, y = MAKERS[name](points, g)
    x_train, y_train, x_test, y_test = noisy_split(x, y, noise, test_percent, name not in CLASSIFICATION, g)
    return Dataset(name=name, x_train=x_train, y_train=y_train, x_test=x_test, y_test=y_test)
