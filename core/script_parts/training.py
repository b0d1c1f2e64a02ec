"""The training page's routines for scripts: the data's noise and split, each step's batch, the loop and the test."""

import math
from collections.abc import Callable

import torch
from torch import nn


def noisy_split(
    x: torch.Tensor, y: torch.Tensor, noise: float, test_percent: float, regression: bool, g: torch.Generator
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """Gaussian noise of `noise` % on the targets (regression) or on the points, a shuffle, and the split into
    (x_train, y_train, x_test, y_test), drawn from `g`: core.train.datasets.make_dataset's own split."""
    n = len(x)
    if regression:
        y = y + noise / 100 * torch.randn(n, generator=g)
    else:
        x = x + noise / 100 * torch.randn(n, 2, generator=g)
    order = torch.randperm(n, generator=g)
    x, y = x[order], y[order].unsqueeze(1)
    test = max(1, round(n * test_percent / 100))
    return x[test:], y[test:], x[:test], y[:test]


def batch_order(step: int, n: int, batch: int, seed: int) -> torch.Tensor:
    """The indices of step `step`'s batch (from 1) among `n` points: each epoch shuffled by a generator seeded by the
    seed and the epoch, then cut in batches: the page's Trainer takes its batches from here too."""
    size = min(batch, n)
    epoch, index = divmod(step - 1, math.ceil(n / size))
    order = torch.randperm(n, generator=torch.Generator().manual_seed(seed * 1_000_003 + epoch))
    return order[index * size : (index + 1) * size]


def train(
    model: nn.Module,
    loss_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor],
    optimizer: torch.optim.Optimizer,
    train_split: tuple[torch.Tensor, torch.Tensor],
    steps: int,
    batch: int,
    seed: int,
) -> None:
    """`steps` iterations of the loop the page shows, each on its step's batch of `train_split` (x, y)."""
    x_train, y_train = train_split
    for step in range(1, steps + 1):
        chosen = batch_order(step, len(x_train), batch, seed).to(x_train.device)
        optimizer.zero_grad()
        loss = loss_fn(model(x_train[chosen]), y_train[chosen])
        loss.backward()
        optimizer.step()


def evaluate(
    model: nn.Module,
    loss_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor],
    test_split: tuple[torch.Tensor, torch.Tensor],
    classification: bool,
    step: int,
) -> None:
    """The test split's loss, and its accuracy for a classification, in eval mode under torch.no_grad()."""
    x_test, y_test = test_split
    model.eval()
    with torch.no_grad():
        output = model(x_test)
        test_loss = loss_fn(output, y_test).item()
    print(f"step {step}: test loss {test_loss:.6f}")
    if classification:
        accuracy = ((output > 0).to(y_test.dtype) == y_test).float().mean().item()
        print(f"test accuracy {accuracy:.4f}")


def uniform_parameter(shape: tuple[int, ...], fan_in: int, g: torch.Generator) -> nn.Parameter:
    """nn.Linear's default initialisation, U(-1/sqrt(fan_in), 1/sqrt(fan_in)), from `g`."""
    bound = 1 / math.sqrt(fan_in)
    return nn.Parameter((torch.rand(shape, generator=g) * 2 - 1) * bound)


class ProgramParameters(nn.Module):
    """The parameters a forward program reads: W1 (in x width), b1 (width), W2 (width x 1), b2 (1), from `seed`;
    ProgramModel adds the forward (and so does the training page's script, from the program's statements)."""

    def __init__(self, in_features: int, width: int, seed: int) -> None:
        super().__init__()
        g = torch.Generator().manual_seed(seed)
        self.W1 = uniform_parameter((in_features, width), in_features, g)
        self.b1 = uniform_parameter((width,), in_features, g)
        self.W2 = uniform_parameter((width, 1), width, g)
        self.b2 = uniform_parameter((1,), width, g)
